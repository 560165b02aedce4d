"""Outlet names: what can be one, and where a page declares its outlet or its site's name.

A 来源 is an outlet or an account, never the words that happen to follow the label on real pages:
relative times, markup, platform badges. When the text credits no one, the page's declared source
or publisher is the outlet; on a personal blog the blog's own name is (the gold convention: a news
site's own article credits no one, a blog's or an account's name is its 来源).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from .meta import first
from .names import is_name
from .rules import NOT_NAMES, SECTION_WORDS
from .zone import Fragment

# What follows 来源 on real pages and is no outlet: the label itself, times (昨天 / 3分钟前 / a
# date), markup that leaked into text (size="20"), platform badges (优质原创作者) and counters.
_NOT_OUTLET = re.compile(
    r"^(?:本文|文章|信息|新闻|内容)?(?:来源|来自|出处|稿源)(?:于|自)?$|^(?:原创|转载|独家|首发|作者|分享|关注|举报|评论|"
    r"网络|互联网|网友|未知|不详|佚名|本站|本网|综合|整理|编辑)$|^(?:今天|昨天|前天|刚刚|今日|昨日)|\d+\s*(?:秒|分钟|小时|天|周|个月|年)前|"
    r"^\d{2,4}\s*[-/.年]\s*\d{1,2}|[=<>\"]|(?:记者|記者|编辑|編輯|通讯员|通訊員)$|\d\s*人|"
    r"^(?i:line|facebook|twitter|weibo|wechat|qq|google\+?|telegram|whatsapp|x|linkedin|email|rss)$|"
    r"^(?:微博|微信|朋友圈|QQ空间|QQ空間|复制链接|複製連結)$|^(?:IP\s*属地|来自)\s*[:：]?\s*[\u4e00-\u9fff]{2,4}$|优质|原创作者|创作者$|^已?认证|粉丝\s*\d|\d\s*[万千]?\s*粉丝|^[\d\W_]+$"
)


def outlet_like(value: str) -> bool:
    """Could `value` name an outlet or an account? Rejects the words that follow 来源 but are none."""
    return not _NOT_OUTLET.search(value.strip())


# The outlet a page declares for the article (source, publisher), then the site's own name: a blog's
# or an account's name is its 来源 when the page credits no one else.
SOURCE_META = ("source", "article:source", "publisher", "mediaid")
SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title")
_SITE_SEPARATOR = re.compile(r"\s*(?:[_|｜«»]|\s-\s|－|——|—)\s*")


# Blog engines, as their generator tag names them: on a blog the blog's name is the 来源.
_BLOG_ENGINE = re.compile(r"wordpress|typecho|z-?blog|emlog|hexo|hugo|jekyll|ghost|blogger|movable type|"
                          r"textpattern|halo|pelican|gridea|博客", re.IGNORECASE)


def is_blog(meta: dict[str, str], url: str, page_title: str = "") -> bool:
    """A personal blog: a blog engine's generator tag, a blog host or path, or a site calling itself
    a blog in its title (多维博客 » …)."""
    parts = urlsplit(url)
    return bool(_BLOG_ENGINE.search(meta.get("generator", ""))) or (parts.hostname or "").startswith("blog.") \
        or "/blog/" in parts.path.lower() or bool(re.search(r"博客|(?i:\bblog\b)", page_title))


_COPYRIGHT_MARK = re.compile(r"©|&copy;|Copyright|版权所有", re.IGNORECASE)


def owned_by(page_text: str, authors: list[str]) -> bool:
    """Does the page's copyright line name one of its writers (`© 2018 – 2021 陈默`)? Then it is a
    personal site, whatever engine made it: news sites' copyright is held by the outlet."""
    tail = page_text[-8000:]
    for m in _COPYRIGHT_MARK.finditer(tail):
        holder = re.sub(r"<[^>]*>", " ", tail[m.end():m.end() + 300])
        if any(len(name) >= 2 and name in holder for name in authors):
            return True
    return False


def site_name(meta: dict[str, str], page_title: str) -> str | None:
    """The site's name: declared, else the short end of the page title ('标题 « 学而时嘻之')."""
    if declared := first(meta, SITE_META):
        return declared.strip() or None
    parts = [p for p in _SITE_SEPARATOR.split(page_title.strip()) if p]
    if len(parts) >= 2 and 2 <= len(parts[-1]) <= 12 and len(parts[-1]) < len(parts[0]):
        return parts[-1]
    return None


_LONE_BYLINE = re.compile(
    r"^(?:(?i:by)\s+|文\s*[/／]\s*|作者\s*[:：]?\s*)?(?P<n>[\u4e00-\u9fff·]{2,6}|[A-Za-z][\w .'-]{1,30})$"
)


_AUTHOR_LINKS = etree.XPath("//a[@rel='author' or contains(@href, 'author=') or contains(@href, '/author/')]")


def blog_author_link(tree: lxml_html.HtmlElement) -> list[str]:
    """On a blog, the author's archive link (`<a rel="author">`, `?author=102`, `/author/liuquan/`):
    blog engines link the writer's name to the writer's posts."""
    for link in _AUTHOR_LINKS(tree):
        text = re.sub(r"\s+", " ", link.text_content()).strip().strip("[]【】")
        m = _LONE_BYLINE.match(text)
        if m and m["n"] not in SECTION_WORDS and m["n"] not in NOT_NAMES and m["n"].lower() != "admin":
            return [m["n"].strip()]
    return []


# HTML's own marks for the writer: <a rel="author">, and schema.org microdata (itemprop="author",
# its name in itemprop="name" when it has one).
_REL_AUTHOR = etree.XPath("//*[@itemprop='author' or (@rel and contains(concat(' ', normalize-space(@rel), ' '), "
                          "' author '))]")


def rel_author(tree: lxml_html.HtmlElement) -> list[str]:
    """The writer HTML marks as such (`<a rel="author">謝明俊</a>`), when the name looks like one."""
    for mark in _REL_AUTHOR(tree)[:3]:
        # its name: an itemprop="name" (a <meta content> or text), the element itself, or a link in it
        offered = [n.get("content") or n.text_content() for n in mark.xpath(".//*[@itemprop='name']")]
        offered += [mark.text_content()] + [a.text_content() for a in mark.iter("a")]
        for text in (re.sub(r"\s+", "", t) for t in offered):
            if is_name(text):
                return [text]
    return []


def blog_byline(frags: list[Fragment]) -> list[str]:
    """On a blog, the pen name standing alone between the post's title and its text
    (`<h2>标题</h2><h5>同人于野</h5>`, `by 流泉`): blog authors rarely carry a surname-shaped name."""
    for frag in frags:
        if frag.link or any(o.line == frag.line and o is not frag for o in frags):
            continue
        m = _LONE_BYLINE.match(frag.text.strip())
        if m and m["n"] not in SECTION_WORDS and m["n"] not in NOT_NAMES:
            return [m["n"].strip()]
        return []  # only the first line under the title can be the byline
    return []
