"""What the three demo outlets share: responses, escaping, pagination, relative times."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from urllib.parse import parse_qs

from ..site import DemoArticle, DemoSite

__all__ = ["OutletSite", "Response", "escape", "relative_time"]


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)
    # A body produced lazily in chunks (the oversized page); `body` is then empty.
    stream: tuple[int, int] | None = None  # (declared length, chunk size)


class OutletSite:
    """One outlet of the demo site; subclasses render its pages."""

    key = ""

    def __init__(self, site: DemoSite, base_url: str, sister_urls: dict[str, str]) -> None:
        self.site = site
        self.base = base_url.rstrip("/")
        self.sisters = sister_urls  # outlet key -> base URL, for reprint links

    def handle(self, path: str, query: str, accept_gzip: bool = False, if_none_match: str | None = None) -> Response:
        params = {k: v[0] for k, v in parse_qs(query).items()}
        response = self.route(path, params)
        if response.status == 200 and response.stream is None:
            # An entity tag, as most web servers send one: a conditional recheck of an unchanged
            # page gets a bodiless 304.
            tag = '"' + hashlib.sha1(response.body, usedforsecurity=False).hexdigest()[:16] + '"'
            if if_none_match == tag:
                return Response(304, b"", response.content_type, {"ETag": tag})
            response.headers["ETag"] = tag
        if accept_gzip and self.gzip and response.status == 200 and response.stream is None:
            response.body = gzip.compress(response.body, compresslevel=5)
            response.headers["Content-Encoding"] = "gzip"
        return response

    gzip = False  # whether the outlet compresses responses for clients that accept it

    def route(self, path: str, params: dict[str, str]) -> Response:
        raise NotImplementedError

    def url(self, i: int) -> str:
        """The address of article `i` on this outlet."""
        raise NotImplementedError

    def text(self, status: int, body: str, content_type: str, charset: str = "utf-8") -> Response:
        return Response(status, body.encode(charset, "xmlcharrefreplace"), content_type)

    def page_of(self, ids: list[int], page: int, size: int) -> tuple[list[int], int]:
        pages = max(1, -(-len(ids) // size))
        return ids[(page - 1) * size: page * size], pages

    def visible(self, article_id: int) -> DemoArticle | None:
        """The article if it belongs to this outlet and still exists in this edition."""
        if not 0 <= article_id < self.site.count or self.site.outlet_of(article_id).key != self.key:
            return None
        article = self.site.article(article_id)
        return None if article.is_removed(self.site.edition) else article


def relative_time(then: datetime, now: datetime) -> str:
    """How aggregators state a time: 刚刚, 3分钟前, 2小时前, 昨天 10:32, 11-18 09:15."""
    age = now - then
    if age < timedelta(minutes=1):
        return "刚刚"
    if age < timedelta(hours=1):
        return f"{int(age.total_seconds() // 60)}分钟前"
    if age < timedelta(hours=24) and then.date() == now.date():
        return f"{int(age.total_seconds() // 3600)}小时前"
    if then.date() == (now - timedelta(days=1)).date():
        return f"昨天 {then:%H:%M}"
    if then.year == now.year:
        return f"{then:%m-%d %H:%M}"
    return f"{then:%Y-%m-%d %H:%M}"
