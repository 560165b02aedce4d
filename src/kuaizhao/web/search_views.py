"""The search page (its JSON twin is /api/search, kuaizhao.api). Query language: kuaizhao.search.query."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..archive.models import Snapshot
from ..exceptions import QueryError, SearchUnavailable
from ..search import service
from ..search.engine import MAX_PAGE, SORTS
from . import examples, feeds, links
from .jinja import iso_time, page_time

UNAVAILABLE = "搜索暂时不可用：检索索引还没有建立或正在修复，请稍后再试。"


class _BadParameter(ValueError):
    pass


def _params(request: HttpRequest) -> tuple[str, str, int, int | None]:
    text = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise _BadParameter("sort 只能是 relevance（相关度）或 time（时间）")
    try:
        page = int(request.GET.get("page", "1") or 1)
        per_page = int(request.GET["per_page"]) if request.GET.get("per_page") else None
    except ValueError:
        raise _BadParameter("page 和 per_page 应为数字") from None
    if not 1 <= page <= MAX_PAGE:
        raise _BadParameter(f"页码应在 1 到 {MAX_PAGE} 之间")
    if per_page is not None and not 1 <= per_page <= 50:
        raise _BadParameter("per_page 应在 1 到 50 之间")
    if len(text) > 500:
        raise _BadParameter("检索式太长（最多 500 个字）")
    return text, sort, page, per_page


def _link(text: str, sort: str, page: int = 1) -> str:
    params = {"q": text}
    if sort != "relevance":
        params["sort"] = sort
    if page > 1:
        params["page"] = str(page)
    return links.path("web:search") + "?" + urlencode(params)


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) or not value else value


def _facet_links(text: str, sort: str, facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[dict[str, object]]]:
    """Each facet value as a link that adds it to the query (filters are query language too)."""
    out: dict[str, list[dict[str, object]]] = {}
    for name, operator in (("category", "category:"), ("source", "来源:")):
        out[name] = [{"value": v, "count": n, "href": _link(f"{text} {operator}{_quoted(v)}", sort),
                      "active": f"{operator}{_quoted(v)}" in text} for v, n in facets.get(name, [])]
    months: list[dict[str, object]] = []
    for value, n in facets.get("month", []):
        year, month = map(int, value.split("-"))
        nxt = f"{year + (month == 12)}-{month % 12 + 1:02d}"
        months.append({"value": value, "count": n, "href": _link(f"{text} after:{value} before:{nxt}", sort),
                       "active": f"after:{value}" in text})
    out["month"] = months
    return out


def _rows(items: list[service.Item]) -> list[dict[str, object]]:
    """Each result as the plain values its row shows (links, labels, times), so the template only
    places them (a row held some twenty lookups through snapshot objects)."""
    def href(snap: Snapshot) -> str:
        return links.path("web:snapshot", snap.pk)

    rows: list[dict[str, object]] = []
    for item in items:
        s = item.snapshot
        rows.append({
            "href": href(s), "title": item.title, "excerpt": item.excerpt,
            "category": s.category.name if s.category else "", "site": s.site_label, "credit": s.other_credit,
            "iso": iso_time(s.sort_time), "time": page_time(s.sort_time, "minute"),
            "original": (href(item.original), item.original.site_label) if item.original else None,
            "reprints": item.reprints, "more_others": item.more_others,
            "story": links.path("web:story", s.story_id) if item.reprints and s.story_id is not None else "",
            "others": [(href(o), o.site_label) for o in item.others],
        })
    return rows


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"q": "", "sort": "relevance", "sorts": [("relevance", "相关度"), ("time", "时间")],
                     "examples": {row: {"query": e.query, "href": _link(e.query, "relevance"), "live": e.live}
                                  for row, e in examples.examples().items()}}
    try:
        text, sort, page, per_page = _params(request)
    except _BadParameter as e:
        context["error"] = str(e)
        return render(request, "search.html", context, status=400)
    context.update(q=text, sort=sort)
    if not text:
        return render(request, "search.html", context)
    try:
        found = service.search(text, sort=sort, page=page, per_page=per_page)
    except QueryError as e:
        context["error"] = e.message
        return render(request, "search.html", context, status=400)
    except SearchUnavailable:
        context["error"] = UNAVAILABLE
        return render(request, "search.html", context, status=503)
    results = found.results
    context.update(
        found=found, results=results, rows=_rows(found.items),
        facets=_facet_links(text, sort, results.facets),
        prev_link=_link(text, sort, results.page - 1) if results.page > 1 else None,
        next_link=_link(text, sort, results.page + 1) if results.has_next else None,
        sort_links=[(key, label, _link(text, key)) for key, label in context["sorts"]],
        feeds=feeds.alternates("search", f"搜索：{text}", query=text),
        hint_parts=[{"s": h, "href": _link(h.query, sort)} for h in found.hints.parts],
        hint_instead=[{"s": h, "href": _link(h.query, sort)} for h in found.hints.instead],
    )
    return render(request, "search.html", context)
