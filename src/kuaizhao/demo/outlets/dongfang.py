"""东方新闻网: a modern portal. UTF-8, JSON-LD NewsArticle, RSS per section, a sitemap index with
a Google news sitemap, gzip, portal boilerplate inside the article container, two articles that
forbid archiving, a PDF in a feed, and soft-404 pages for removed articles."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from email.utils import format_datetime
from functools import cached_property

from .. import vocab
from ..site import DemoArticle
from .base import OutletSite, Response, escape

SITEMAP_PAGE = 1000
_ARTICLE = re.compile(r"^/(\w+)/(\d{8})/([0-9a-f]{10})\.html$")
_SITEMAP = re.compile(r"^/sitemap-(\d+)\.xml$")
_RSS = re.compile(r"^/rss/(\w+)\.xml$")
SLUG_NAME = {c["slug"]: name for name, c in vocab.CATEGORIES.items()}
PDF = b"%PDF-1.4\n% demo report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Dongfang(OutletSite):
    key = "dongfang"
    name = "东方新闻网"
    gzip = True

    @cached_property
    def _by_token(self) -> dict[str, int]:
        return {self.token(i): i for i in self.site._ids_by_outlet[self.key]}

    def token(self, i: int) -> str:
        return hashlib.blake2b(f"{self.site.seed}:df:{i}".encode(), digest_size=5).hexdigest()

    def url(self, i: int) -> str:
        m = self.site.meta(i)
        slug = vocab.CATEGORIES[m.category]["slug"]
        return f"{self.base}/{slug}/{m.published:%Y%m%d}/{self.token(i)}.html"

    def route(self, path: str, params: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return self.text(200, f"User-agent: *\nAllow: /\nSitemap: {self.base}/sitemap.xml\n", "text/plain")
        if path == "/":
            return self.text(200, self._home(), "text/html; charset=utf-8")
        if path == "/sitemap.xml":
            return self.text(200, self._sitemap_index(), "application/xml")
        if path == "/sitemap-news.xml":
            return self.text(200, self._news_sitemap(), "application/xml")
        if m := _SITEMAP.match(path):
            return self.text(200, self._sitemap(int(m[1])), "application/xml")
        if (m := _RSS.match(path)) and m[1] in SLUG_NAME:
            return self.text(200, self._rss(SLUG_NAME[m[1]]), "application/rss+xml; charset=utf-8")
        if path.startswith("/img/") and path.endswith(".svg"):
            return Response(200, _picture(path[5:-4]), "image/svg+xml")
        if path == "/files/report-2026.pdf":
            return Response(200, PDF, "application/pdf")
        if m := _ARTICLE.match(path):
            i = self._by_token.get(m[3])
            if i is not None:
                a = self.site.article(i)
                if a.is_removed(self.site.edition):  # removed content answers 200 with a notice
                    return self.text(200, self._shell("该内容已被删除", '<div class="notice"><h1>抱歉，该内容已被删除</h1>'
                                     '<p>您访问的页面不存在或已被删除，<a href="/">返回首页</a></p></div>'), "text/html; charset=utf-8")
                response = self.text(200, self._article(a), "text/html; charset=utf-8")
                if a.noarchive == "header":
                    response.headers["X-Robots-Tag"] = "noarchive"
                return response
        return self.text(404, self._shell("404", "<h1>404 Not Found</h1>"), "text/html; charset=utf-8")

    def _shell(self, title: str, main: str, head: str = "") -> str:
        nav = "".join(f'<a href="/#{c["slug"]}">{n}</a>' for n, c in vocab.CATEGORIES.items())
        return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)}</title>{head}
<link rel="alternate" type="application/rss+xml" href="/rss/china.xml"></head>
<body><header class="site-header"><a class="logo" href="/">东方新闻网</a><nav class="channels">{nav}</nav>
<div class="login"><a href="/login">登录</a> <a href="/app">下载客户端</a></div></header>
<main class="container">{main}</main>
<footer class="site-footer"><p>© 2026 东方新闻网 版权所有</p><p><a href="/about">关于我们</a> · <a href="/contact">联系我们</a></p></footer>
<script>window.__DF__ = {{"page": "article", "ads": true}};</script></body></html>"""

    def _home(self) -> str:
        items = "".join(f'<li><a href="{self.url(i)}">{escape(self.site.article(i).title(self.site.edition))}</a></li>'
                        for i in self.site.ids(self.key)[:30])
        return self._shell("东方新闻网", f'<ul class="headlines">{items}</ul>')

    def _article(self, a: DemoArticle) -> str:
        edition = self.site.edition
        title = a.title(edition)
        original = self.site.article(a.reprint_of) if a.reprint_of is not None else None
        credited = original.outlet.name if original else self.name
        modified = a.published + timedelta(hours=1) if a.edited_in is not None and edition >= a.edited_in else a.published
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "datePublished": a.published.isoformat(), "dateModified": modified.isoformat(),
            "author": [{"@type": "Person", "name": n} for n in a.authors],
            "publisher": {"@type": "Organization", "name": credited}, "articleSection": a.category,
            "mainEntityOfPage": self.url(a.id),
        }
        robots = '<meta name="robots" content="noarchive">' if a.noarchive == "meta" else ""
        head = (f'<meta property="og:title" content="{escape(title)} - 东方新闻网">'
                f'<meta property="og:type" content="article">{robots}'
                f'<meta property="article:published_time" content="{a.published.isoformat()}">'
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
        paragraphs = a.paragraphs(edition)
        figure = ""
        if a.id % 3 == 0:
            figure = (f'<figure class="photo"><img src="/img/{self.token(a.id)}.svg" alt="{escape(a.story.keyword)}">'
                      f'<figcaption>{escape(a.story.dateline_place)}现场。东方新闻网记者 {a.authors[0]} 摄</figcaption></figure>')
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:2]) + figure + "".join(f"<p>{escape(p)}</p>" for p in paragraphs[2:])
        related = "".join(f'<li><a href="{self.url(i)}">{escape(self.site.article(i).title(edition))}</a></li>'
                          for i in self.site.ids(self.key, a.category)[:5] if i != a.id)
        main = f"""<nav class="breadcrumb"><a href="/">首页</a> &gt; <a href="/#{a.category_slug}">{a.category}</a> &gt; 正文</nav>
<article class="article">
<h1 class="article-title">{escape(title)}</h1>
<div class="article-meta"><time datetime="{a.published.isoformat()}">{a.published:%Y-%m-%d %H:%M:%S}</time>
<span class="source">来源：{credited}</span> <span class="author">作者：{'、'.join(a.authors)}</span></div>
<div class="article-content">
{body}
<p class="editor">责任编辑：{a.editor}</p>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="related"><h3>相关阅读</h3><ul>{related}</ul></div>
</div></article>
<aside class="sidebar"><h3>热门排行</h3><ol>{related}</ol></aside>"""
        return self._shell(f"{title} - 东方新闻网", main, head)

    def _rss(self, category: str) -> str:
        ids = self.site.ids(self.key, category)[:30]
        items = "".join(
            f"<item><title>{escape(self.site.article(i).title(self.site.edition))}</title><link>{self.url(i)}</link>"
            f"<guid>{self.url(i)}</guid><pubDate>{format_datetime(self.site.article(i).published)}</pubDate>"
            f"<description>{escape(self.site.article(i).story.paragraphs[0][:80])}</description></item>"
            for i in ids
        )
        if category == "国内":  # a feed item that is not a web page
            items += f"<item><title>2026年度报告（PDF）</title><link>{self.base}/files/report-2026.pdf</link></item>"
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>东方新闻网 - {category}</title>'
                f"<link>{self.base}/</link><description>{category}</description>{items}</channel></rss>")

    def _sitemap_index(self) -> str:
        pages = max(1, -(-len(self.site.ids(self.key)) // SITEMAP_PAGE))
        maps = [f"{self.base}/sitemap-news.xml"] + [f"{self.base}/sitemap-{n}.xml" for n in range(1, pages + 1)]
        entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in maps)
        return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'

    def _news_sitemap(self) -> str:
        entries = "".join(
            f"<url><loc>{self.url(a.id)}</loc><news:news><news:publication><news:name>东方新闻网</news:name>"
            f"<news:language>zh</news:language></news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{escape(a.title(self.site.edition))}</news:title></news:news></url>"
            for a in (self.site.article(i) for i in self.site.ids(self.key)[:100])
        )
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>')

    def _sitemap(self, n: int) -> str:
        ids = self.site.ids(self.key)[(n - 1) * SITEMAP_PAGE: n * SITEMAP_PAGE]
        entries = "".join(f"<url><loc>{self.url(i)}</loc>"
                          f"<lastmod>{self.site.meta(i).published.isoformat()}</lastmod></url>" for i in ids)
        return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def _picture(token: str) -> bytes:
    """A news photo stand-in: a coloured panel, different for every article."""
    hue = int(token[:4] or "0", 16) % 360 if all(c in "0123456789abcdef" for c in token[:4]) else 200
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
            f'<rect width="640" height="360" fill="hsl({hue},45%,62%)"/>'
            f'<circle cx="470" cy="120" r="60" fill="hsl({hue},60%,85%)"/>'
            f'<path d="M0 300 L180 170 L300 260 L420 190 L640 320 L640 360 L0 360Z" fill="hsl({hue},35%,38%)"/></svg>').encode()
