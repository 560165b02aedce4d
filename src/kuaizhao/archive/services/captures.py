"""Storing captures: a batch of fetches becomes Capture rows, new Snapshots and page states.

Captures are stored a batch at a time in one transaction (a handful of bulk queries per batch),
which is what lets a crawl keep up with hundreds of pages a second on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field

from ...extract.article import Article
from ..models import Capture, CaptureOutcome, Category, Page, PageStatus, Snapshot, Source
from ..urlkeys import urlkey
from ..warc import WarcPointer
from .changes import log_index_changes
from .sources import category_map
from .stories import assign_stories


@dataclass(frozen=True)
class CapturedPage:
    """One fetched article URL, archived (or deliberately not) and extracted, ready to store."""

    page_url: str  # canonical URL: the Page it belongs to
    url: str  # as fetched
    fetched_at: datetime
    http_status: int
    headers: list[tuple[str, str]]
    content_type: str
    payload_sha256: str
    payload_length: int
    pointer: WarcPointer | None  # None when the body was not kept
    article: Article | None
    skipped: CaptureOutcome | None = None  # NOARCHIVE / NOT_HTML: not kept, not extracted
    reason: str = ""
    source: str | None = None  # source name from sources.toml
    category: str | None = None  # the listing's category, which wins over the extracted one



def store_captures(items: Sequence[CapturedPage]) -> list[CaptureOutcome]:
    """Store a batch of captures; returns the outcome of each, in order."""
    if not items:
        return []
    with transaction.atomic():
        sources = {s.name: s for s in Source.objects.filter(name__in={i.source for i in items if i.source})}
        categories = category_map()
        pages = _pages_for(items, sources)
        latest_hash = dict(
            Snapshot.objects.filter(pk__in=[p.latest_snapshot_id for p in pages.values() if p.latest_snapshot_id])
            .values_list("pk", "content_hash")
        )
        outcomes: list[CaptureOutcome] = []
        captures: list[Capture] = []
        pending: list[tuple[CapturedPage, Page, Capture]] = []  # new content waiting for a snapshot
        new_hashes: dict[int, str] = {}  # page id → content hash decided in this batch
        for item in items:
            page = pages[item.page_url]
            outcome = _outcome(item, page, latest_hash, new_hashes)
            outcomes.append(outcome)
            capture = Capture(
                page=page, url=item.url[:2000], fetched_at=item.fetched_at, http_status=item.http_status,
                headers=[list(h) for h in item.headers], content_type=item.content_type[:200],
                payload_sha256=item.payload_sha256, payload_length=item.payload_length,
                warc_file=item.pointer.file if item.pointer else "",
                warc_offset=item.pointer.offset if item.pointer else None,
                warc_length=item.pointer.length if item.pointer else None,
                outcome=outcome, reason=item.reason[:300],
            )
            captures.append(capture)
            _advance_page(page, item, outcome, sources)
            if outcome == CaptureOutcome.NEW_SNAPSHOT:
                assert item.article is not None
                new_hashes[page.pk] = item.article.content_hash
                pending.append((item, page, capture))
        Capture.objects.bulk_create(captures)
        snapshots = [_snapshot(item, page, capture, sources, categories) for item, page, capture in pending]
        store_buckets = assign_stories(snapshots)
        Snapshot.objects.bulk_create(snapshots)
        store_buckets()
        changed = []
        for (_, page, _), snapshot in zip(pending, snapshots, strict=True):
            if page.latest_snapshot_id:
                changed.append(page.latest_snapshot_id)  # superseded: no longer the current version
            page.latest_snapshot = snapshot
            changed.append(snapshot.pk)
        _update_pages({p.pk: p for p in pages.values()}.values())
        log_index_changes(changed)
    return outcomes



_PAGE_STATE = ("status", "last_fetched", "last_seen", "latest_snapshot", "source")


def _update_pages(pages: Iterable[Page]) -> None:
    """One executemany UPDATE: Django's bulk_update builds a CASE per field per row, several times
    slower for the batch sizes a crawl writes."""
    # Plain columns of Page: the casts drop what the stubs allow for other fields (a reverse
    # relation from get_field, a column of None for a relation without one of its own).
    fields = [cast("Field[Any, Any]", Page._meta.get_field(name)) for name in _PAGE_STATE]
    sets = ", ".join(f"{connection.ops.quote_name(cast(str, f.column))} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(Page._meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608 (names quoted)
    rows = [[f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk] for p in pages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)



def record_unreachable(page_url: str, when: datetime, source: str | None) -> None:
    """A fetch that got no HTTP answer (timeout, refused, DNS): the page is unreachable for now."""
    with transaction.atomic():
        sources = {s.name: s for s in Source.objects.filter(name=source)}
        page = _pages_for([_Stub(page_url, when, source)], sources)[page_url]
        page.status = PageStatus.UNREACHABLE
        page.last_fetched = when
        page.save(update_fields=["status", "last_fetched"])


@dataclass(frozen=True)
class _Stub:
    page_url: str
    fetched_at: datetime
    source: str | None


def _pages_for(items: Sequence[CapturedPage | _Stub], sources: dict[str, Source]) -> dict[str, Page]:
    urls = {i.page_url for i in items}
    pages = {p.url: p for p in Page.objects.filter(url__in=urls)}
    missing: list[Page] = []
    for item in items:
        if item.page_url not in pages and item.page_url not in {m.url for m in missing}:
            host = item.page_url.split("/")[2] if item.page_url.count("/") >= 2 else ""
            missing.append(Page(url=item.page_url, urlkey=urlkey(item.page_url), host=host,
                                source=sources.get(item.source or ""),
                                first_seen=item.fetched_at, last_fetched=item.fetched_at))
    if missing:
        # ignore_conflicts: another crawler may insert the same URL at the same moment.
        Page.objects.bulk_create(missing, ignore_conflicts=True)
        pages.update({p.url: p for p in Page.objects.filter(url__in=[m.url for m in missing])})
    return pages


def _outcome(item: CapturedPage, page: Page, latest_hash: dict[int, str], new_hashes: dict[int, str]) -> CaptureOutcome:
    if item.skipped is not None:
        return item.skipped
    if item.http_status >= 400:
        return CaptureOutcome.HTTP_ERROR
    if item.article is None:
        return CaptureOutcome.NOT_ARTICLE
    current = new_hashes.get(page.pk) or latest_hash.get(page.latest_snapshot_id or -1)
    return CaptureOutcome.UNCHANGED if current == item.article.content_hash else CaptureOutcome.NEW_SNAPSHOT


def _advance_page(page: Page, item: CapturedPage, outcome: CaptureOutcome, sources: dict[str, Source]) -> None:
    """Move a page's status and clocks forward for one capture."""
    page.last_fetched = max(page.last_fetched, item.fetched_at)
    if page.source_id is None and item.source in sources:
        page.source = sources[item.source]
    had_snapshot = page.latest_snapshot_id is not None or page.status == PageStatus.EDITED
    if outcome == CaptureOutcome.NOARCHIVE:
        page.status = PageStatus.EXCLUDED
    elif outcome == CaptureOutcome.NEW_SNAPSHOT:
        page.status = PageStatus.EDITED if had_snapshot else PageStatus.LIVE
        page.last_seen = item.fetched_at
    elif outcome == CaptureOutcome.UNCHANGED:
        if page.status not in (PageStatus.LIVE, PageStatus.EDITED):
            edited = Snapshot.objects.filter(page=page).count() > 1
            page.status = PageStatus.EDITED if edited else PageStatus.LIVE
        page.last_seen = item.fetched_at
    elif outcome == CaptureOutcome.HTTP_ERROR:
        page.status = PageStatus.REMOVED if item.http_status in (404, 410, 451) else PageStatus.UNREACHABLE
    elif outcome == CaptureOutcome.NOT_ARTICLE and had_snapshot:
        page.status = PageStatus.REMOVED  # an article page that now says 该内容已被删除


def _snapshot(item: CapturedPage, page: Page, capture: Capture, sources: dict[str, Source],
              categories: dict[str, Category]) -> Snapshot:
    article = item.article
    assert article is not None
    source = sources.get(item.source or "")
    category = categories.get(item.category or "") or categories.get(article.category or "")
    if category is None and source is not None:
        category = source.default_category
    published = article.published
    return Snapshot(
        page=page, capture=capture, source=source, category=category,
        title=article.title[:500], text=article.text, html=article.html,
        published_at=published.value if published else None,
        published_precision=published.precision.value if published else "",
        published_provenance=published.provenance.value if published else "",
        published_raw=published.raw[:100] if published else "",
        declared_published_at=article.declared.value if article.declared else None,
        updated_at=article.updated.value if article.updated else None,
        updated_provenance=article.updated.provenance.value if article.updated else "",
        source_name=(article.source or "")[:200],
        reposted_from=" ← ".join(article.reposted_from)[:500],
        original_title=(article.original_title or "")[:500],
        authors=list(article.authors), editor=(article.editor or "")[:100],
        charset=article.charset[:32], content_hash=article.content_hash,
        captured_at=item.fetched_at,
        sort_time=published.value if published else item.fetched_at,
    )
