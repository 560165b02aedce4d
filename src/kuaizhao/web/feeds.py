"""Atom and RSS 2.0 feeds: latest, per category, per source, and any search query.

Each item's GUID (Atom id) is the snapshot's permanent URL, so a reader never sees an item twice;
its link is the capture page, and the original article's URL travels as `dc:source` (RSS) and
`<link rel="via">` (Atom). The body is the full extracted article (`content:encoded` / Atom
`content`) with the lead as the summary, unless FEED_FULL_TEXT is off.

Items come from `Snapshot.objects.public()` (listings) or the search service (which loads hits
through the same gate), so a takedown removes an item from every feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import feedgenerator
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from ..archive.models import Category, Snapshot, Source
from ..exceptions import QueryError, SearchUnavailable
from ..search import service as search_service
from . import images, links, listings


class _Rss(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return super().rss_attributes() | {
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("original"):
            handler.addQuickElement("dc:source", item["original"])
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class _Atom(feedgenerator.Atom1Feed):
    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("original"):
            handler.addQuickElement("link", "", {"rel": "via", "href": item["original"]})
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class SnapshotFeed(Feed):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    """The item side shared by every feed; subclasses say which snapshots and what the feed is."""

    feed_type: type[feedgenerator.SyndicationFeed] = _Rss
    # The RSS flavour and the Atom flavour of each feed share everything else.
    atom = False

    def __init__(self, atom: bool = False) -> None:
        super().__init__()
        if atom:
            self.feed_type = _Atom
            self.atom = True

    def item_title(self, item: Snapshot) -> str:
        return item.title

    def item_link(self, item: Snapshot) -> str:
        return links.path("web:snapshot", item.pk)

    def item_guid(self, item: Snapshot) -> str:
        return settings.PUBLIC_URL + links.path("web:snapshot", item.pk)

    item_guid_is_permalink = True

    def item_description(self, item: Snapshot) -> str:
        reprints = getattr(item, "reprints", 0)
        return escape(item.lead) + (f"（另有 {reprints} 家转载）" if reprints else "")

    def item_pubdate(self, item: Snapshot) -> datetime:
        return item.published_at or item.captured_at

    def item_updateddate(self, item: Snapshot) -> datetime:
        return item.captured_at

    def item_author_name(self, item: Snapshot) -> str | None:
        return item.source_name or (item.source.name if item.source else None) or None

    def item_categories(self, item: Snapshot) -> list[str]:
        return [item.category.name] if item.category else []

    def item_extra_kwargs(self, item: Snapshot) -> dict[str, str]:
        extra = {"original": item.page.url}
        if settings.FEED_FULL_TEXT:
            # The sanitised article HTML (what the snapshot page shows), plus where it came from.
            credit = f'<p>原文：<a href="{escape(item.page.url)}">{escape(item.page.url)}</a></p>'
            extra["content"] = images.local_only(item.html) + credit
        return extra

    def _listing(self, **within: object) -> list[Snapshot]:
        """The newest stories (each once, by its newest copy), as the listing pages show them."""
        qs = listings.candidates(**within).select_related("page", "source", "category")
        if not settings.FEED_FULL_TEXT:
            qs = qs.defer("html")
        return listings.with_reprints(listings.Stories(qs).first(settings.FEED_ITEMS))


class LatestFeed(SnapshotFeed):
    def title(self) -> str:
        return f"{settings.SITE_NAME} · 最新快照"

    def link(self) -> str:
        return links.path("web:home")

    def description(self) -> str:
        return "最新存档的中文新闻快照"

    def items(self) -> list[Snapshot]:
        return self._listing()


class CategoryFeed(SnapshotFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug)

    def title(self, obj: Category) -> str:
        return f"{settings.SITE_NAME} · {obj.name}"

    def link(self, obj: Category) -> str:
        return links.path("web:category", obj.slug)

    def description(self, obj: Category) -> str:
        return f"{obj.name}类新闻的最新快照"

    def items(self, obj: Category) -> list[Snapshot]:
        return self._listing(category=obj)


class SourceFeed(SnapshotFeed):
    def get_object(self, request: HttpRequest, pk: int) -> Source:
        return get_object_or_404(Source, pk=pk)

    def title(self, obj: Source) -> str:
        return f"{settings.SITE_NAME} · {obj.name}"

    def link(self, obj: Source) -> str:
        return links.path("web:source", obj.pk)

    def description(self, obj: Source) -> str:
        return f"{obj.name}（{obj.homepage}）的最新快照"

    def items(self, obj: Source) -> list[Snapshot]:
        return self._listing(source=obj)


class SearchFeed(SnapshotFeed):
    """The newest results of one query: a standing search a reader can subscribe to."""

    def get_object(self, request: HttpRequest) -> str:
        return request.GET.get("q", "").strip()

    def title(self, obj: str) -> str:
        return f"{settings.SITE_NAME} · 搜索：{obj}"

    def link(self, obj: str) -> str:
        return links.path("web:search") + "?" + _query_string(obj)

    def description(self, obj: str) -> str:
        return f"包含“{obj}”的最新快照"

    def items(self, obj: str) -> list[Snapshot]:
        found = search_service.search(obj, sort="time", per_page=settings.FEED_ITEMS, full=True)
        for item in found.items:
            item.snapshot.reprints = item.reprints  # type: ignore[attr-defined]  # set for the feed, not a field
        return [item.snapshot for item in found.items]


def _query_string(text: str) -> str:
    return urlencode({"q": text})


def search_feed(request: HttpRequest, atom: bool = False) -> HttpResponse:
    """The search feed, with the search page's answers to a missing or malformed query (as text:
    feed readers show a status line, not a page)."""
    text = request.GET.get("q", "").strip()
    if not text:
        return HttpResponse("缺少检索式：/search/feed?q=…", status=400, content_type="text/plain; charset=utf-8")
    if len(text) > 500:
        return HttpResponse("检索式太长（最多 500 个字）", status=400, content_type="text/plain; charset=utf-8")
    try:
        return SearchFeed(atom=atom)(request)
    except QueryError as e:
        return HttpResponse(f"检索式有误：{e.message}", status=400, content_type="text/plain; charset=utf-8")
    except SearchUnavailable:
        return HttpResponse("搜索暂时不可用，请稍后再试。", status=503, content_type="text/plain; charset=utf-8")


def alternates(kind: str, title: str, *args: int | str, query: str = "") -> list[dict[str, str]]:
    """The autodiscovery links of a page: its RSS and Atom feeds (`<link rel="alternate">`)."""
    suffix = ("?" + _query_string(query)) if query else ""
    return [
        {"type": "application/rss+xml", "title": f"{title}（RSS）",
         "href": links.path(f"web:{kind}-rss", *args) + suffix},
        {"type": "application/atom+xml", "title": f"{title}（Atom）",
         "href": links.path(f"web:{kind}-atom", *args) + suffix},
    ]
