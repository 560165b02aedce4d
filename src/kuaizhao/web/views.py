"""Public pages: home, categories, snapshot pages and the raw captures behind them.

Every read of snapshots starts from `Snapshot.objects.public()`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from ..archive.models import Category, Snapshot, Source
from ..archive.warc import WarcPointer, WarcStore
from ..extract.decode import decode
from ..search import service as search_service
from . import feeds, wayback

# What a captured page may do when shown: nothing. No scripts, no requests, no forms, no top
# navigation; the browser treats it as a unique origin (CSP sandbox without allow-* tokens).
RAW_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; media-src 'none'; "
           "script-src 'none'; connect-src 'none'; form-action 'none'; frame-ancestors 'self'")


# What a listing row shows (archive/_item.html): the title, the lead, the site, the 来源 and the
# time. Loading only these halves a category page's query: no sanitised HTML, and none of the
# JSON columns (authors, the source's config) decoded for every row.
_LISTED = ("title", "text", "sort_time", "source_name", "source__name")


def _listing():
    return Snapshot.objects.public().current().select_related("source").only(*_LISTED).newest_first()


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    sections = []
    for cat in Category.objects.all():
        items = list(_listing().filter(category=cat)[:6])
        if items:
            sections.append((cat, items))
    latest = list(_listing()[:10])
    return render(request, "home.html", {
        "sections": sections, "latest": latest, "feeds": feeds.alternates("latest", "最新快照"),
    })


class ListingPaginator(Paginator):
    """A paginator whose total is counted at most once per LISTING_COUNT_SECONDS per listing.

    Counting every current, public snapshot of a large category is the one query of a listing
    page that grows with the archive (60 ms at 37k snapshots on PostgreSQL; the 20 rows shown
    take 0.3 ms), and a total a minute old is as good to a reader as an exact one. The rows are
    always read fresh, so a takedown leaves the listing at once; a page past the stale end is a 404.
    """

    def __init__(self, object_list, per_page: int, count_key: str) -> None:
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


def _listing_page(request: HttpRequest, snapshots, context: dict, count_key: str) -> HttpResponse:
    """One page of a newest-first listing (a category's, a source's) with its heading and feeds."""
    paginator = ListingPaginator(snapshots, settings.PAGE_SIZE, count_key)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return bad_request(request, message="页码应为数字。")
    except EmptyPage:
        raise Http404("没有这一页") from None
    return render(request, "category.html", {"page": page, **context})


@require_safe
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category, slug=slug)
    return _listing_page(request, _listing().filter(category=cat), {
        "heading": cat.name, "empty": "这个类别还没有快照。", "current_category": cat,
        "feeds": feeds.alternates("category", cat.name, cat.slug),
    }, count_key=f"category:{cat.pk}")


@require_safe
def source(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything archived from one configured source (site), newest first."""
    src = get_object_or_404(Source, pk=pk)
    return _listing_page(request, _listing().filter(source=src), {
        "heading": src.name, "homepage": src.homepage, "empty": "还没有来自这个新闻源的快照。",
        "feeds": feeds.alternates("source", src.name, src.pk),
    }, count_key=f"source:{src.pk}")


def _public_snapshot(pk: int) -> Snapshot:
    return get_object_or_404(
        Snapshot.objects.public().select_related("page", "capture", "category", "source"), pk=pk
    )


COPIES_SHOWN = 20  # other pages of the story listed on a snapshot page


@require_safe
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _public_snapshot(pk)
    history = list(Snapshot.objects.public().filter(page=snap.page).order_by("captured_at")
                   .only("pk", "title", "captured_at"))
    phrases, related = search_service.related(snap)
    copies = _copies(snap, COPIES_SHOWN + 1)
    response = render(request, "snapshot.html", {
        "snap": snap, "page": snap.page, "history": history, "current_category": snap.category,
        "copies": copies[:COPIES_SHOWN], "more_copies": len(copies) > COPIES_SHOWN,
        "more": search_service.latest_in_category(snap), "related": related, "phrases": phrases,
        "feeds": feeds.alternates("category", snap.category.name, snap.category.slug) if snap.category else [],
    })
    return wayback.snapshot_headers(request, response, snap)


def _copies(snap: Snapshot, limit: int) -> list[Snapshot]:
    """The same story on other pages (reprints, rewrites of one wire story), earliest first."""
    if snap.story_id is None:
        return []
    return list(Snapshot.objects.public().current().filter(story=snap.story_id).exclude(page=snap.page_id)
                .select_related("source", "page").only("title", "sort_time", "source__name", "page__host")
                .order_by("sort_time", "pk")[:limit])


def _stored(snap: Snapshot):
    capture = snap.capture
    if not capture.warc_file:
        raise Http404("这次抓取没有保存原始内容")
    store = WarcStore(settings.WARC_DIR)
    try:
        return store.read(WarcPointer(capture.warc_file, capture.warc_offset or 0, capture.warc_length or 0))
    except (OSError, StopIteration, ValueError) as exc:
        raise Http404(f"原始抓取记录无法读取：{exc}") from None


@require_safe
def raw_capture(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _public_snapshot(pk)
    stored = _stored(snap)
    return render(request, "raw.html", {"snap": snap, "capture": snap.capture, "stored": stored})


@require_safe
def raw_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The captured body, byte for byte, in a sandbox that cannot run or load anything."""
    snap = _public_snapshot(pk)
    stored = _stored(snap)
    content_type = snap.capture.content_type or "text/html"
    response = HttpResponse(stored.body, content_type=f"{content_type}; charset={snap.charset or 'utf-8'}")
    response["Content-Security-Policy"] = RAW_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def raw_source(request: HttpRequest, pk: int) -> HttpResponse:
    """The capture as text: status line, headers and the decoded body."""
    snap = _public_snapshot(pk)
    stored = _stored(snap)
    head = [f"{snap.capture.http_status} {snap.capture.url}", *(f"{k}: {v}" for k, v in stored.headers)]
    text = decode(stored.body, snap.capture.content_type, snap.charset or None).text
    response = HttpResponse("\n".join(head) + "\n\n" + text, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
