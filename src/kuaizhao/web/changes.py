"""已删除 and 已修改: the articles whose originals were deleted or edited, newest first, and a feed.

Read from the page history (archive/history.py, one indexed table) through the gate: a change is
listed only when the version it concerns is public (the deleted article's last version, the
edit's new version), so a takedown removes it from these lists and the feed as everywhere else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import feedgenerator
from django.views.decorators.http import require_safe

from ..archive.models import Category, ChangeKind, PageChange, RemovalReason, Snapshot, Source
from . import links
from .views import bad_request

LISTS = {
    "removed": (ChangeKind.REMOVED, "before", "已删除的新闻",
                "原网页已删除、只在本站留有快照的文章，按发现删除的时间排列。"),
    "edited": (ChangeKind.EDITED, "after", "已修改的新闻",
               "原网页发布后被修改过的文章，按发现修改的时间排列；可逐句对比各版本。"),
}


def changes(kind: ChangeKind, side: str, category: Category | None = None,
            source: Source | None = None) -> QuerySet[PageChange]:
    """The changes of one kind whose version is public, newest first."""
    visible = Snapshot.objects.public()
    if category is not None:
        visible = visible.filter(category=category)
    if source is not None:
        visible = visible.filter(source=source)
    return (PageChange.objects.filter(kind=kind, **{f"{side}__in": visible.values("pk")})
            .select_related(side, f"{side}__source", "page").order_by("-seen_at", "-pk"))


@require_safe
def listing(request: HttpRequest, which: str) -> HttpResponse:
    if which not in LISTS:
        raise Http404("没有这个列表")
    kind, side, heading, intro = LISTS[which]
    category = source = None
    if slug := request.GET.get("category"):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            return bad_request(request, message=f"没有类别 {slug}")
    raw = request.GET.get("source")
    if raw and (not raw.isdigit() or (source := Source.objects.filter(pk=int(raw)).first()) is None):
        return bad_request(request, message=f"没有新闻源 {raw}")
    paginator = Paginator(changes(kind, side, category, source), settings.PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return bad_request(request, message="页码应为数字。")
    except EmptyPage:
        raise Http404("没有这一页") from None
    rows = [(c, getattr(c, side)) for c in page.object_list]
    return render(request, "changes.html", {
        "which": which, "heading": heading, "intro": intro, "page": page, "rows": rows,
        "category": category, "source": source, "categories": Category.objects.all(),
        "reasons": dict(RemovalReason.choices), "current_nav": which,
    })


class ChangesFeed(Feed):  # type: ignore[type-arg]  # generic in the stubs only
    """Deletions and edits as they are found, newest first (Atom)."""

    feed_type = feedgenerator.Atom1Feed

    def title(self) -> str:
        return f"{settings.SITE_NAME} · 已删除和已修改的新闻"

    def link(self) -> str:
        return links.path("web:changes", "removed")

    def items(self) -> list[tuple[PageChange, Snapshot]]:
        found = [(c, c.before) for c in changes(ChangeKind.REMOVED, "before")[:settings.FEED_ITEMS] if c.before]
        found += [(c, c.after) for c in changes(ChangeKind.EDITED, "after")[:settings.FEED_ITEMS] if c.after]
        found.sort(key=lambda pair: (pair[0].seen_at, pair[0].pk), reverse=True)
        return found[:settings.FEED_ITEMS]

    def item_title(self, item: tuple[PageChange, Snapshot]) -> str:
        change, snap = item
        return f"{'已删除' if change.kind == ChangeKind.REMOVED else '已修改'}：{snap.title}"

    def item_description(self, item: tuple[PageChange, Snapshot]) -> str:
        change = item[0]
        if change.kind == ChangeKind.REMOVED:
            how = RemovalReason(change.reason).label if change.reason else "原因不明"
            return f"原文已删除（{how}），本站快照仍可查看。"
        amount = f"改动约 {change.significance * 100:.1f}%" if change.significance is not None else "已修改"
        return f"原文已修改：{amount}。"

    def item_link(self, item: tuple[PageChange, Snapshot]) -> str:
        change, snap = item
        if change.kind == ChangeKind.EDITED and change.before_id:
            return links.path("web:page-diff", change.page_id) + f"?from={change.before_id}&to={snap.pk}"
        return links.path("web:snapshot", snap.pk)

    def item_guid(self, item: tuple[PageChange, Snapshot]) -> str:
        return f"change-{item[0].pk}"

    def item_pubdate(self, item: tuple[PageChange, Snapshot]) -> Any:
        return item[0].seen_at
