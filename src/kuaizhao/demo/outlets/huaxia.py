"""华夏日报: an old-style newspaper site. GBK bytes labelled gb2312 in a <meta>, no charset in the
HTTP header, table layout, paginated section listings, and a path robots.txt forbids."""

from __future__ import annotations

import re

from .. import vocab
from ..site import DemoArticle
from .base import OutletSite, Response, escape

SECTION = {"国内": "gn", "国际": "gj", "财经": "cj", "科技": "kj", "体育": "ty", "娱乐": "yl"}
SECTION_NAME = {v: k for k, v in SECTION.items()}
PAGE_SIZE = 50
_ARTICLE = re.compile(r"^/(\w+)/(\d{4}-\d{2})/(\d{2})/content_(\d+)\.htm$")
_LISTING = re.compile(r"^/(\w+)/index(?:_(\d+))?\.htm$")
MEMO_PATH = "/internal/2026-01/05/content_900001.htm"  # looks like an article; robots.txt forbids it


class Huaxia(OutletSite):
    key = "huaxia"
    name = "华夏日报"

    def route(self, path: str, params: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return self.text(200, "User-agent: *\nDisallow: /internal/\n", "text/plain")
        if path in ("/", "/index.htm"):
            return self.page(200, "华夏日报", self._home())
        if path == MEMO_PATH:  # reachable only by ignoring robots.txt
            return self.page(200, "内部通知", "<h1>内部通知：编辑部值班安排</h1><p>" + "本页面仅供内部使用。" * 20 + "</p>")
        if (m := _LISTING.match(path)) and m[1] in SECTION_NAME:
            return self.page(200, f"{SECTION_NAME[m[1]]}_华夏日报", self._listing(m[1], int(m[2] or 1)))
        if m := _ARTICLE.match(path):
            article = self.visible(int(m[4]))
            if article and self.url(article.id).endswith(path):
                return self.page(200, f"{article.title(self.site.edition)}_华夏日报", self._article(article))
        return self.page(404, "页面不存在", "<h1>404 页面不存在</h1><p>您访问的页面不存在或已被删除。</p>")

    def url(self, i: int) -> str:
        m = self.site.meta(i)
        return f"{self.base}/{SECTION[m.category]}/{m.published:%Y-%m}/{m.published:%d}/content_{i}.htm"

    def page(self, status: int, title: str, body: str) -> Response:
        html = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(title)}</title><link rel="stylesheet" href="/css/main.css"></head>
<body><table width="960" align="center" class="top"><tr><td><a href="/"><img src="/img/logo.gif" alt="华夏日报"></a></td>
<td class="nav">{' | '.join(f'<a href="/{s}/index.htm">{n}</a>' for n, s in SECTION.items())}</td></tr></table>
{body}
<table width="960" align="center" class="bottom"><tr><td>华夏日报社版权所有 Copyright 2004-2026 华夏日报 All Rights Reserved<br>
地址：中华路1号 邮编：100000 <a href="/about.htm">关于我们</a></td></tr></table></body></html>"""
        # The HTTP header names no charset: the page's <meta> must be read, and it says gb2312 while
        # the bytes use GBK-only characters (喆, 堃) in names.
        return Response(status, html.encode("gbk", "xmlcharrefreplace"), "text/html")

    def _home(self) -> str:
        items = "".join(self._item(self.site.article(i)) for i in self.site.ids(self.key)[:20])
        return f'<table width="960" align="center"><tr><td><ul class="list">{items}</ul></td></tr></table>'

    def _item(self, a: DemoArticle) -> str:
        return f'<li><a href="{self.url(a.id)}" target="_blank">{escape(a.title(self.site.edition))}</a> <span>{a.published:%m-%d %H:%M}</span></li>'

    def _listing(self, section: str, page: int) -> str:
        ids, pages = self.page_of(self.site.ids(self.key, SECTION_NAME[section]), page, PAGE_SIZE)
        items = "".join(self._item(self.site.article(i)) for i in ids)
        if section == "gn" and page == 1:
            items += f'<li><a href="{self.base}{MEMO_PATH}">编辑部值班安排</a></li>'
        pager = " ".join(
            f'<a href="/{section}/index{"" if n == 1 else f"_{n}"}.htm">{n}</a>' for n in range(1, pages + 1)
        )
        nxt = f'<a href="/{section}/index_{page + 1}.htm">下一页</a>' if page < pages else ""
        return (f'<table width="960" align="center"><tr><td class="lm">{SECTION_NAME[section]}</td></tr>'
                f'<tr><td><ul class="list">{items}</ul><div class="page">{pager} {nxt}</div></td></tr></table>')

    def _article(self, a: DemoArticle) -> str:
        edition = self.site.edition
        paragraphs = list(a.paragraphs(edition))
        paragraphs[0] = f"本报讯（记者 {' '.join(a.authors)}）" + paragraphs[0]
        body = "".join(f"<p>　　{escape(p)}</p>\n" for p in paragraphs)
        slug = vocab.CATEGORIES[a.category]["slug"]
        return f"""<table width="960" align="center" class="main"><tr><td width="660" valign="top">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/{SECTION[a.category]}/index.htm">{a.category}</a></div>
<h1 class="biaoti">{escape(a.title(edition))}</h1>
<div class="info">{a.published:%Y年%m月%d日 %H:%M}　来源：华夏日报　作者：{' '.join(a.authors)}　<a href="javascript:window.print()">打印</a></div>
<div id="zoom" class="{slug}">
{body}</div>
<div class="editor">（责任编辑：{a.editor}）</div>
</td><td width="280" valign="top" class="right"><div class="hot"><h3>热点新闻</h3><ul>
{''.join(self._item(self.site.article(i)) for i in self.site.ids(self.key)[:8])}
</ul></div></td></tr></table>"""
