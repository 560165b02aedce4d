"""Public pages: home, categories, snapshot pages and the raw captures behind them.

Every read of snapshots starts from `Snapshot.objects.public()`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from ..archive.models import Category, Snapshot, Source
from . import feeds, listings


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    sections = []
    for cat in Category.objects.all():
        items = listings.rows(category=cat).first(6)
        if items:
            sections.append((cat, items))
    latest = listings.rows().first(10)
    listings.with_reprints([s for _, items in sections for s in items] + latest)
    return render(request, "home.html", {
        "sections": sections, "latest": latest, "feeds": feeds.alternates("latest", "最新快照"),
    })


class ListingPaginator(Paginator):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    """A paginator whose total is counted at most once per LISTING_COUNT_SECONDS per listing.

    Counting every current, public snapshot of a large category is the one query of a listing
    page that grows with the archive (60 ms at 37k snapshots on PostgreSQL; the 20 rows shown
    take 0.3 ms), and a total a minute old is as good to a reader as an exact one. The rows are
    always read fresh, so a takedown leaves the listing at once; a page past the stale end is a 404.
    """

    def __init__(self, object_list: listings.Stories, per_page: int, count_key: str) -> None:
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if settings.LISTING_COUNT_SECONDS <= 0:
            return super().count
        key = f"kuaizhao:listing-count:{self.count_key}"
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, settings.LISTING_COUNT_SECONDS)
        return int(total)


def _listing_page(
    request: HttpRequest, snapshots: listings.Stories, context: dict[str, Any], count_key: str
) -> HttpResponse:
    """One page of a newest-first listing (a category's, a source's) with its heading and feeds."""
    paginator = ListingPaginator(snapshots, settings.PAGE_SIZE, count_key)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return bad_request(request, message="页码应为数字。")
    except EmptyPage:
        raise Http404("没有这一页") from None
    page.object_list = listings.with_reprints(list(page.object_list))
    return render(request, "category.html", {"page": page, **context})


@require_safe
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category, slug=slug)
    return _listing_page(request, listings.rows(category=cat), {
        "heading": cat.name, "empty": "这个类别还没有快照。", "current_category": cat,
        "feeds": feeds.alternates("category", cat.name, cat.slug),
    }, count_key=f"category:{cat.pk}")


@require_safe
def source(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything archived from one configured source (site), newest first."""
    src = get_object_or_404(Source, pk=pk)
    return _listing_page(request, listings.rows(source=src), {
        "heading": src.name, "homepage": src.homepage, "empty": "还没有来自这个新闻源的快照。",
        "feeds": feeds.alternates("source", src.name, src.pk),
    }, count_key=f"source:{src.pk}")


@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    """Every configured news source, with how many stories it has in the archive and its newest."""
    per_source = (Snapshot.objects.public().current().order_by().values("source")
                  .annotate(stories=Count("story", distinct=True) + Count("pk", filter=Q(story__isnull=True)),
                            newest=Max("sort_time")))
    counts = {row["source"]: (row["stories"], row["newest"]) for row in per_source}
    rows = [(src, *counts.get(src.pk, (0, None))) for src in Source.objects.order_by("name")]
    return render(request, "sources.html", {"rows": rows, "current_nav": "sources"})


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


@require_safe
def about_crawler(request: HttpRequest) -> HttpResponse:
    return render(request, "crawler.html", {"user_agent": settings.USER_AGENT})


def bad_request(request: HttpRequest, exception: Exception | None = None, message: str = "") -> HttpResponse:
    return render(request, "error.html", {"status": 400, "title": "请求有误",
                                                  "message": message or "请求的地址或参数有误。"}, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception.args[0]) if exception and exception.args and isinstance(exception.args[0], str) else ""
    if detail.startswith("No ") or "matches the given query" in detail:
        detail = ""  # Django's internal wording is not for readers
    message = detail or "没有找到这个页面，快照可能已被删除。"
    return render(request, "error.html", {"status": 404, "title": "页面不存在", "message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"status": 500, "title": "服务器出错",
                                                  "message": "服务器暂时无法处理这个请求，请稍后再试。"}, status=500)
