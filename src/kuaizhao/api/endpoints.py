"""The API's endpoints. Every snapshot comes through `Snapshot.objects.public()` (directly, or via
the search service, which loads hits through it), so a takedown holds here as everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.timezone import is_aware, make_aware
from ninja import Router
from ninja.params.functions import Path, Query  # ninja.Path / ninja.Query call these; to mypy they are aliases

from ..archive.canonical import canonical_url
from ..archive.models import Capture, Category, Page, Snapshot, Source
from ..archive.urlkeys import urlkey
from ..exceptions import QueryError, SearchUnavailable
from ..search import service
from ..search.engine import MAX_PAGE
from . import cursor, ratelimit
from .problems import COMMON, Problem, ProblemError
from .schemas import (
    CategoryOut,
    PageList,
    PageOut,
    SearchOut,
    SnapshotList,
    SnapshotOut,
    SourceOut,
)

router = Router()

Limit = Query(20, ge=1, le=100, description="items per page (1–100)")
# Ids are 64-bit keys: a larger number names nothing, and SQLite's driver cannot even send it
# (OverflowError: a 500 without this; schemathesis found it).
MAX_ID = 2**63 - 1
# Text that reaches a database lookup: PostgreSQL cannot hold NUL in text, so such a value could
# match nothing, and its driver refuses to send it (a 500 without this).
NO_NUL = r"^[^\x00]*$"


def _abs(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _summary(request: HttpRequest, s: Snapshot) -> dict[str, Any]:
    return {
        "id": s.pk, "url": _abs(request, reverse("web:snapshot", args=[s.pk])), "original_url": s.page.url,
        "title": s.title, "lead": s.lead_line, "published": s.published_at, "captured": s.captured_at,
        "site": s.site_label, "source_name": s.source_name or None,
        "category": s.category.name if s.category else None,
    }


def _next(request: HttpRequest, next_cursor: str | None) -> str | None:
    if next_cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = next_cursor
    return _abs(request, request.path + "?" + params.urlencode())


def _iso_time(value: str, name: str) -> datetime:
    """An ISO 8601 time (a bare date or a time without offset is read in the site's time zone).
    Stricter than pydantic, which would also take a number of seconds."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ProblemError(400, "bad-parameter", f"{name} 应为 ISO 8601 时间，如 2026-01-17T08:00:00+08:00") from None
    return when if is_aware(when) else make_aware(when)


def _capture(c: Capture, snapshot_of: dict[int, int]) -> dict[str, Any]:
    return {
        "id": c.pk, "url": c.url, "fetched_at": c.fetched_at, "http_status": c.http_status,
        "content_type": c.content_type, "payload_sha256": c.payload_sha256, "payload_length": c.payload_length,
        "outcome": c.outcome, "reason": c.reason, "snapshot": snapshot_of.get(c.pk),
    }


# --- snapshots ------------------------------------------------------------------------------------


@router.get("/snapshots", response={200: SnapshotList, **COMMON}, tags=["snapshots"],
            summary="Current snapshots, newest first")
def list_snapshots(
    request: HttpRequest,
    category: str | None = Query(None, description="category URL name or name, e.g. world or 国际", pattern=NO_NUL),
    source: int | None = Query(None, ge=1, le=MAX_ID, description="source id (see /api/sources)"),
    since: str | None = Query(None, description="only snapshots published (else captured) at or after this "
                              "ISO 8601 time, e.g. 2026-01-17T08:00:00+08:00", format="date-time"),
    cursor_: str | None = Query(None, alias="cursor", description="next_cursor of the previous page"),
    limit: int = Limit,
) -> dict[str, Any]:
    qs = (Snapshot.objects.public().current().select_related("page", "source", "category")
          .defer("html").newest_first())
    if category:
        cat = Category.objects.filter(Q(slug=category) | Q(name=category)).first()
        if cat is None:
            raise ProblemError(400, "bad-parameter", f"没有这个类别：{category}")
        qs = qs.filter(category=cat)
    if source is not None:
        qs = qs.filter(source_id=source)
    if since is not None:
        qs = qs.filter(sort_time__gte=_iso_time(since, "since"))
    rows, next_cursor = cursor.page(qs, cursor_, limit, "sort_time")
    return {"items": [_summary(request, s) for s in rows], "next_cursor": next_cursor,
            "next": _next(request, next_cursor)}


@router.get("/snapshots/{snapshot_id}", response={200: SnapshotOut, **COMMON}, tags=["snapshots"],
            summary="One snapshot: the extracted article, its attribution and its capture")
def get_snapshot(request: HttpRequest, snapshot_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    try:
        s = Snapshot.objects.public().select_related("page", "source", "category", "capture").get(pk=snapshot_id)
    except Snapshot.DoesNotExist:
        raise Http404(f"没有快照 {snapshot_id}，或它已被删除") from None
    versions = list(Snapshot.objects.public().filter(page=s.page_id).order_by("captured_at", "pk")
                    .values_list("pk", flat=True))
    return _summary(request, s) | {
        "text": s.text, "html": s.html, "authors": list(s.authors or []), "editor": s.editor,
        "reposted_from": s.reposted_from, "original_title": s.original_title, "published_raw": s.published_raw,
        "published_precision": s.published_precision, "declared_published": s.declared_published_at,
        "updated": s.updated_at, "content_hash": s.content_hash, "page": s.page_id,
        "raw_url": _abs(request, reverse("web:raw", args=[s.pk])),
        "capture": _capture(s.capture, {s.capture_id: s.pk}), "versions": versions,
    }


# --- pages ----------------------------------------------------------------------------------------


def _pages_out(pages: list[Page]) -> list[dict[str, Any]]:
    ids = [p.pk for p in pages]
    public = list(Snapshot.objects.public().filter(page_id__in=ids).order_by("captured_at", "pk")
                  .values_list("pk", "page_id", "capture_id"))
    snapshot_of = {capture: pk for pk, _, capture in public}
    captures: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for c in Capture.objects.public().filter(page_id__in=ids).order_by("fetched_at", "pk"):
        assert c.page_id is not None  # filtered on it
        captures[c.page_id].append(_capture(c, snapshot_of))
    snapshots: dict[int, list[int]] = {pk: [] for pk in ids}
    for pk, page_id, _ in public:
        snapshots[page_id].append(pk)
    return [{
        "id": p.pk, "url": p.url, "host": p.host, "source": p.source.name if p.source else None,
        "status": p.status, "first_seen": p.first_seen, "last_fetched": p.last_fetched, "last_seen": p.last_seen,
        "latest_snapshot": p.latest_snapshot_id if p.latest_snapshot_id in snapshots[p.pk] else None,
        "snapshots": snapshots[p.pk], "captures": captures[p.pk],
    } for p in pages]


@router.get("/pages", response={200: PageList, **COMMON}, tags=["pages"],
            summary="Archived pages (URLs) with every capture, newest first")
def list_pages(
    request: HttpRequest,
    url: str | None = Query(None, description="only this URL: as fetched, canonical, or any spelling with "
                                                "the same SURT key (http/https, www., case, query order)",
                            pattern=NO_NUL),
    host: str | None = Query(None, description="only pages on this host", pattern=NO_NUL),
    status: str | None = Query(None, description="only pages in this state: live, edited, removed, unreachable",
                               pattern="^(live|edited|removed|unreachable)$"),
    cursor_: str | None = Query(None, alias="cursor", description="next_cursor of the previous page"),
    limit: int = Limit,
) -> dict[str, Any]:
    qs = Page.objects.public().select_related("source").order_by("-first_seen", "-pk")
    if status is not None:
        qs = qs.filter(status=status)
    if url:
        try:
            canonical = canonical_url(url)
        except ValueError:  # not an http(s) URL: it can only match as given (it will not)
            canonical = url
        keys = {urlkey(url), urlkey(canonical)}
        qs = qs.filter(Q(urlkey__in=keys) | Q(url=url) | Q(url=canonical) | Q(captures__url=url)).distinct()
    if host:
        qs = qs.filter(host=host.lower())
    rows, next_cursor = cursor.page(qs, cursor_, limit, "first_seen")
    return {"items": _pages_out(rows), "next_cursor": next_cursor, "next": _next(request, next_cursor)}


@router.get("/pages/{page_id}", response={200: PageOut, **COMMON}, tags=["pages"],
            summary="One page with every capture")
def get_page(request: HttpRequest, page_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    page = Page.objects.public().select_related("source").filter(pk=page_id).first()
    if page is None:
        raise Http404(f"没有页面 {page_id}，或它的快照已被删除")
    return _pages_out([page])[0]


# --- categories and sources -------------------------------------------------------------------------


@router.get("/categories", response={200: list[CategoryOut]}, tags=["categories"], summary="Categories")
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"slug": c.slug, "name": c.name, "url": _abs(request, reverse("web:category", args=[c.slug])),
             "feed": _abs(request, reverse("web:category-rss", args=[c.slug]))} for c in Category.objects.all()]


@router.get("/sources", response={200: list[SourceOut]}, tags=["sources"], summary="Configured news sources")
def list_sources(request: HttpRequest) -> list[dict[str, Any]]:
    counts = dict(Snapshot.objects.public().current().values("source_id").annotate(n=Count("pk"))
                  .values_list("source_id", "n"))
    return [{"id": s.pk, "name": s.name, "homepage": s.homepage, "snapshots": counts.get(s.pk, 0),
             "url": _abs(request, reverse("web:source", args=[s.pk])),
             "feed": _abs(request, reverse("web:source-rss", args=[s.pk]))} for s in Source.objects.order_by("name")]


# --- search -----------------------------------------------------------------------------------------


@router.get("/search", response={200: SearchOut, 400: Problem, 429: Problem, 503: Problem}, tags=["search"],
            summary="Full-text search (the query language of /search)")
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=500,
                   description='query, e.g. 泰国 总理 or "解散国会" site:xinhuanet.com'),
    sort: Literal["relevance", "time"] = Query("relevance"),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int | None = Query(None, ge=1, le=50),
) -> dict[str, Any]:
    ratelimit.check(request, "search", settings.API_SEARCH_PER_MINUTE)
    text = q.strip()
    if not text:
        raise ProblemError(400, "bad-parameter", "缺少检索式：/api/search?q=…")
    try:
        found = service.search(text, sort=sort, page=page, per_page=per_page)
    except QueryError as e:
        raise ProblemError(400, "bad-query", e.message, at=e.at) from None
    except SearchUnavailable:
        raise ProblemError(503, "search-unavailable",
                           "搜索暂时不可用：检索索引还没有建立或正在修复，请稍后再试。") from None
    out = service.as_json(found, _abs(request, "/"))
    params = {"q": text, "sort": sort, "page": found.results.page + 1}
    if per_page:
        params["per_page"] = per_page
    out["next"] = _abs(request, request.path + "?" + urlencode(params)) if found.results.has_next else None
    return out

