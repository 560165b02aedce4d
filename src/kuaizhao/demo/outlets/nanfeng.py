"""南风资讯: an aggregator. Mostly reprints with `来源：` and `本文转自：` lines, times stated relative to
the reader's clock (3分钟前, 昨天 10:32), no dates in URLs, tracking parameters on listing links,
an Atom feed with a malformed URL and an oversized page in it, and 410 Gone for removed items."""

from __future__ import annotations

import re

from .. import vocab
from ..site import DemoArticle
from .base import OutletSite, Response, escape, relative_time

PAGE_SIZE = 30
HUGE_BYTES = 12 * 1024 * 1024  # over the crawler's default body limit of 8 MiB
_ARTICLE = re.compile(r"^/a/(\d+)\.html$")
_LISTING = re.compile(r"^/list/(\w+)$")
SLUG_NAME = {c["slug"]: name for name, c in vocab.CATEGORIES.items()}


class Nanfeng(OutletSite):
    key = "nanfeng"
    name = "南风资讯"

    def url(self, i: int) -> str:
        return f"{self.base}/a/{i}.html"

    def route(self, path: str, params: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return self.text(200, "User-agent: *\nDisallow:\n", "text/plain")
        if path == "/":
            return self.text(200, self._shell("南风资讯", self._list(self.site.ids(self.key)[:PAGE_SIZE])), "text/html; charset=utf-8")
        if path == "/feed.atom":
            return self.text(200, self._atom(), "application/atom+xml; charset=utf-8")
        if path == "/a/huge.html":
            return Response(200, b"", "text/html; charset=utf-8", stream=(HUGE_BYTES, 64 * 1024))
        if (m := _LISTING.match(path)) and m[1] in SLUG_NAME:
            return self.text(200, self._listing(m[1], int(params.get("page", "1") or 1)), "text/html; charset=utf-8")
        if m := _ARTICLE.match(path):
            i = int(m[1])
            if 0 <= i < self.site.count and self.site.outlet_of(i).key == self.key:
                a = self.site.article(i)
                if a.is_removed(self.site.edition):
                    return self.text(410, self._shell("内容已下线", "<p>内容已下线</p>"), "text/html; charset=utf-8")
                return self.text(200, self._article(a), "text/html; charset=utf-8")
        return self.text(404, self._shell("404", "<p>页面不存在</p>"), "text/html; charset=utf-8")

    def _shell(self, title: str, main: str) -> str:
        nav = "".join(f'<li><a href="/list/{c["slug"]}">{n}</a></li>' for n, c in vocab.CATEGORIES.items())
        return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}</title><meta name="keywords" content="南风资讯,新闻,资讯"></head><body>
<div class="hd"><div class="logo">南风资讯</div><ul class="menu">{nav}</ul></div>
<div class="wrap">{main}</div>
<div class="ft">南风资讯 · 信息来源于网络，如有侵权请联系删除</div></body></html>"""

    def _list(self, ids: list[int]) -> str:
        now = self.site.now()
        rows = []
        for n, i in enumerate(ids):
            a = self.site.article(i)
            rows.append(f'<div class="item"><a href="{self.url(i)}?from=list&amp;spm=nf.{n}">{escape(a.title(self.site.edition))}</a>'
                        f'<span class="time">{relative_time(a.published, now)}</span></div>')
        return "".join(rows)

    def _listing(self, slug: str, page: int) -> str:
        ids, pages = self.page_of(self.site.ids(self.key, SLUG_NAME[slug]), page, PAGE_SIZE)
        nxt = f'<a rel="next" href="/list/{slug}?page={page + 1}">下一页</a>' if page < pages else ""
        return self._shell(f"{SLUG_NAME[slug]}_南风资讯", f'<div class="list">{self._list(ids)}</div><div class="pager">{nxt}</div>')

    def _article(self, a: DemoArticle) -> str:
        edition = self.site.edition
        original = self.site.article(a.reprint_of) if a.reprint_of is not None else None
        lines = []
        if original is not None:
            lines.append(f'<p class="zz">本文转自：{original.outlet.name}-{original.category}频道</p>')
            credit = f'<span class="ly">来源：{original.outlet.name}</span>'
        else:
            credit = f'<span class="ly">来源：南风资讯</span> <span class="zz">作者：{"、".join(a.authors)}</span>'
        body = "".join(lines) + "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs(edition))
        return self._shell(f"{a.title(edition)}_南风资讯", f"""<div class="art">
<div class="bt"><h1>{escape(a.title(edition))}</h1></div>
<div class="xx"><span class="lb">{a.category}</span> <span class="sj">{relative_time(a.published, self.site.now())}</span> {credit}</div>
<div class="nr">{body}</div>
<div class="tip">声明：本文为转载，仅代表原作者观点，如有侵权请联系删除。</div>
<div class="more"><h3>猜你喜欢</h3>{self._list(self.site.ids(self.key, a.category)[:6])}</div></div>""")

    def _atom(self) -> str:
        entries = []
        for i in self.site.ids(self.key)[:40]:
            a = self.site.article(i)
            entries.append(f"<entry><title>{escape(a.title(self.site.edition))}</title><link href=\"{self.url(i)}\"/>"
                           f"<id>{self.url(i)}</id><updated>{a.published.isoformat()}</updated></entry>")
        # What real feeds contain: a malformed URL and a page too large to archive.
        entries.append('<entry><title>坏链接</title><link href="http://[broken-host/a/1.html"/><id>bad</id>'
                       "<updated>2026-01-01T00:00:00+08:00</updated></entry>")
        entries.append(f'<entry><title>超大页面</title><link href="{self.base}/a/huge.html"/><id>huge</id>'
                       "<updated>2026-01-01T00:00:00+08:00</updated></entry>")
        return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f'<title>南风资讯</title><link href="{self.base}/"/><id>{self.base}/</id>'
                f'<updated>{self.site.anchor.isoformat()}</updated>{"".join(entries)}</feed>')
