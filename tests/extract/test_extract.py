"""extract(): the three demo templates, pages that are not articles, purity and robustness."""

from __future__ import annotations

import builtins
import gzip
import socket
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuaizhao.demo.outlets import OUTLET_CLASSES
from kuaizhao.demo.site import SHANGHAI, DemoSite
from kuaizhao.extract import extract
from kuaizhao.extract.article import TimeProvenance

ANCHOR = datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)
SITE = DemoSite(articles=200, seed=3, anchor=ANCHOR, frozen_clock=True)
OUTLETS = {cls.key: cls(SITE, f"http://{cls.key}.example.cn", {}) for cls in OUTLET_CLASSES}


def fetch(outlet: str, i: int) -> tuple[bytes, str, dict[str, str]]:
    o = OUTLETS[outlet]
    url = o.url(i)
    response = o.route(url.split(".cn", 1)[1], {})
    assert response.status == 200
    return response.body, url, {"Content-Type": response.content_type, **response.headers}


def first(outlet: str, reprint: bool | None = None) -> int:
    return next(i for i in SITE.ids(outlet) if reprint is None or (SITE.article(i).reprint_of is not None) == reprint)


def test_gbk_newspaper_template():
    i = first("huaxia")
    a = SITE.article(i)
    body, url, headers = fetch("huaxia", i)
    assert "charset" not in headers["Content-Type"]
    art = extract(body, url, headers, captured=ANCHOR + timedelta(hours=1))
    assert art is not None
    assert art.title == a.story.title
    assert art.charset == "gb18030"
    assert art.published.value == a.published and art.published.provenance == TimeProvenance.TEXT
    assert art.source == "华夏日报" and art.authors == a.authors and art.editor == a.editor
    assert art.category == a.category
    assert art.text.split("\n")[1:] == list(a.story.paragraphs[1:])
    assert "热点新闻" not in art.text and "版权所有" not in art.text


def test_portal_template_with_jsonld_and_boilerplate():
    i = first("dongfang", reprint=False)
    i = next(j for j in SITE.ids("dongfang") if SITE.article(j).reprint_of is None and j % 3 == 0
             and SITE.article(j).noarchive is None)
    a = SITE.article(i)
    body, url, headers = fetch("dongfang", i)
    art = extract(body, url, headers, captured=ANCHOR)
    assert art.title == a.story.title, "no ' - 东方新闻网' suffix"
    assert art.published.provenance == TimeProvenance.JSONLD and art.published.value == a.published
    assert art.authors == a.authors and art.editor == a.editor and art.source == "东方新闻网"
    for boilerplate in ("分享到", "相关阅读", "责任编辑", "热门排行", "下载客户端"):
        assert boilerplate not in art.text, boilerplate
    assert art.text.split("\n")[:2] == list(a.story.paragraphs[:2])
    # the photo stays, with an absolute URL, and its caption
    assert f'src="{OUTLETS["dongfang"].base}/img/' in art.html and "<figcaption>" in art.html


def test_aggregator_reprint_with_relative_time():
    i = first("nanfeng", reprint=True)
    a = SITE.article(i)
    original = SITE.article(a.reprint_of)
    body, url, headers = fetch("nanfeng", i)
    captured = ANCHOR  # the site's frozen clock: relative times were written against it
    art = extract(body, url, headers, captured=captured)
    assert art.source == original.outlet.name
    assert art.reposted_from == (f"{original.outlet.name}-{original.category}频道",)
    assert "本文转自" not in art.text
    assert art.published.provenance == TimeProvenance.RELATIVE
    assert abs(art.published.value - a.published) < timedelta(minutes=61)


def test_aggregator_category_label_is_no_author():
    """南风资讯's info line is 'category · time · 来源': the category (国内, 国际 …) names nobody."""
    for i in SITE.ids("nanfeng"):
        a = SITE.article(i)
        if a.is_removed(SITE.edition):
            continue
        art = extract(*fetch("nanfeng", i), captured=ANCHOR)
        assert art.authors == (() if a.reprint_of is not None else a.authors), (i, a.category)


def test_relative_time_needs_the_capture_time():
    i = first("nanfeng", reprint=True)
    body, url, _headers = fetch("nanfeng", i)
    art = extract(body, url, {})  # no capture time and no Date header
    assert art is not None and (art.published is None or art.published.provenance != TimeProvenance.RELATIVE)


@pytest.mark.parametrize("path", ["/", "/list/china", "/nope.html"])
def test_index_and_error_pages_are_not_articles(path):
    o = OUTLETS["nanfeng"]
    response = o.route(path, {})
    assert extract(response.body, o.base + path, {}) is None


def test_soft_404_is_not_an_article():
    body = ('<html><head><title>该内容已被删除</title></head><body><div class="notice"><h1>抱歉，该内容已被删除</h1>'
            '<p>您访问的页面不存在或已被删除，<a href="/">返回首页</a></p></div></body></html>').encode()
    assert extract(body, "http://x.cn/a/1.html", {}) is None


def test_extract_is_pure(monkeypatch):
    """No sockets, no files: everything it needs comes in as arguments."""
    body, url, headers = fetch("dongfang", first("dongfang"))
    extract(body, url, headers, captured=ANCHOR)  # warm imports first

    def forbidden(*args, **kwargs):
        raise AssertionError("extract() tried to do I/O")

    monkeypatch.setattr(socket, "socket", forbidden)
    monkeypatch.setattr(builtins, "open", forbidden)
    assert extract(body, url, headers, captured=ANCHOR) is not None


html_fragments = st.lists(st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<table><tr><td>", "</td></tr></table>", "<br>", "<script>var a='<p>';",
    "</script>", "<!--", "-->", "<meta charset=gbk>", "<h1>标题</h1>", "新闻正文，内容。", "来源：新华社", "&#x4e2d;",
    "&nbsp;", "<a href='/x'>链接</a>", "<?xml version='1.0'?>", "<![CDATA[", "\x00", "2023-01-17 20:37",
    "<img src=x>", "<<>>", "<p class=", "\ufffd", "\ud7ff",
]), max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(body):
    result = extract(body, "http://x.cn/a/1.html", {"Content-Type": "text/html"})
    assert result is None or result.text


@settings(max_examples=300, deadline=None)
@given(html_fragments, st.sampled_from(["utf-8", "gbk", "utf-16"]), st.integers(0, 200))
def test_garbage_and_truncated_html_never_raise(parts, codec, cut):
    page = "".join(parts)
    body = page.encode(codec, "replace")
    for candidate in (body, body[: max(0, len(body) - cut)], gzip.compress(body)):
        result = extract(candidate, "http://x.cn/2023/01/17/a.html", {})
        assert result is None or result.text


def test_deeply_nested_html_does_not_raise():
    body = ("<div>" * 20000 + "新闻正文，内容。" * 50 + "</div>" * 20000).encode()
    result = extract(body, "http://x.cn/a.html", {})
    assert result is None or "新闻正文" in result.text


def test_page_wrapped_in_a_form_is_read():
    """ASP.NET pages put the whole body inside one <form runat="server">; it holds the article."""
    paragraphs = "".join(f"<p>这是第{n}段新闻正文，记者在现场看到了许多情况，并采访了负责人。</p>" for n in range(5))
    body = (f'<html><body><form id="aspnetForm" method="post"><div class="post"><h2>标题</h2>{paragraphs}'
            '</div><input type="submit" value="评论"></form></body></html>').encode()
    article = extract(body, "http://blog.example.cn/archive/2005/09/07/1.aspx", {})
    assert article is not None
    assert all(f"这是第{n}段新闻正文" in article.text for n in range(5))
