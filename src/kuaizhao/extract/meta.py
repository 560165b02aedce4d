"""What a page says about itself: meta tags, JSON-LD, the headline and the section."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from .rules import CATEGORY_URL_SEGMENTS, CATEGORY_WORDS, TITLE_SEPARATORS

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle", "webpage"}

# Standard ways of declaring the publish time, trusted above what the page shows.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:release_date", "datepublished",
    "pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "publish_time",
    "article.published", "dc.date.issued", "dcterms.created", "parsely-pub-date", "weibo:article:create_at",
)
# Site-specific or loosely defined tags (an indexing time, a template default): used when the page
# shows no time of its own near the headline.
WEAK_PUBLISHED_META = ("apub:time", "firstpublishedtime", "dc.date", "sailthru.date", "date", "created")
UPDATED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dcterms.modified", "weibo:article:update_at", "lastpublishedtime",
)
# The headline as the page declares it: Open Graph, Twitter cards, Dublin Core and the
# ArticleTitle tag of Chinese government CMSs (TRS), whose <title> often names only the section.
TITLE_META = ("og:title", "twitter:title", "dc.title", "articletitle", "headline")
AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")
SECTION_META = ("article:section", "section", "category", "og:section", "column", "catalogs")


def meta_tags(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Lower-cased name/property/itemprop → content, first occurrence wins."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    for el in tree.iter("time"):  # <time datetime="..." pubdate> / itemprop
        value = el.get("datetime")
        if value and (el.get("pubdate") is not None or el.get("itemprop", "").lower() == "datepublished"):
            found.setdefault("datepublished", value)
    return found


def first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in meta:
            return meta[key]
    return None


def jsonld_article(tree: lxml_html.HtmlElement) -> dict[str, Any]:
    """The first schema.org article object in the page's JSON-LD, or {}."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        for obj in _walk(data):
            types = obj.get("@type")
            names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            if names & _ARTICLE_TYPES and ("headline" in obj or "datePublished" in obj or "articleBody" in obj):
                return obj
    return {}


def _walk(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [obj for item in data for obj in _walk(item)]
    if isinstance(data, dict):
        return [data, *_walk(data.get("@graph", []))]
    return []


def jsonld_names(value: Any) -> list[str]:
    """Names in a JSON-LD author/publisher value: "张三", {"name": …}, or a list of them."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return jsonld_names(value.get("name"))
    if isinstance(value, list):
        return [n for item in value for n in jsonld_names(item)]
    return []


def text_of(el: lxml_html.HtmlElement) -> str:
    return " ".join(el.text_content().split())  # whitespace runs as one space (str.split: faster than a regex)


def strip_site_suffix(title: str) -> str:
    """'标题_网易新闻' → '标题', '栏目--标题' → '标题': the longest segment between separators, when it
    is clearly the longest (site and section names are short)."""
    title = re.sub(r"\s+", " ", title).strip()
    for sep in TITLE_SEPARATORS:
        if sep in title:
            parts = [p.strip() for p in title.split(sep) if p.strip()]
            head = max(parts, key=len)
            rest = max((len(p) for p in parts if p is not head), default=0)
            if len(head) >= 4 and (parts.index(head) == 0 or len(head) >= 2 * rest):
                return head
    return title


# Document order, counted in libxml2 (a dict of every element's position costs more).
_position = etree.XPath("count(preceding::*) + count(ancestor::*)")
# Headings, and elements whose class or id mentions a title, selected in libxml2; the exact test
# (_TITLE_CLASS) runs on these few in Python.
_TITLE_CANDIDATES = etree.XPath(
    "//*[@class or @id][contains(@class, 'tit') or contains(@class, 'Tit') or contains(@class, 'TIT') "
    "or contains(@id, 'tit') or contains(@id, 'Tit') or contains(@class, 'biaoti') or contains(@class, 'headline') "
    "or contains(@class, 'bt') or contains(@id, 'bt') or contains(@class, 'art_h')]|//h1|//h2|//h3|//h4|//h5|//h6"
)
_FOLLOWING_TEXT = etree.XPath("following::text()[position() <= 8]")
_PLACE_BONUS = 0.55  # the most that being followed by an info line and standing near can add
_NAVIGATION = re.compile(r"首页|当前位置|您的位置|\s[>»›]\s|\s-\s.*\s-\s|>>")
_INFO_AFTER = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|来源|发布时间|作者|[0-2]?\d:[0-5]\d")
_TITLE_CLASS = re.compile(r"title|biaoti|headline|(?<![a-z])tit(?![a-z])|(?<![a-z])bt(?![a-z])|art_?h", re.IGNORECASE)
_HEADING_WEIGHT = {"h1": 0.3, "h2": 0.2, "h3": 0.1, "h4": 0.1, "h5": 0.1, "h6": 0.05}
_BLOCKISH = {"div", "p", "h1", "h2", "h3", "h4", "span", "strong", "b", "font"}
_CLASS_TAGS = {"div", "span", "p", "td", "strong", "b", "font", "header", "section"}


def headline(
    tree: lxml_html.HtmlElement, meta: dict[str, str], ld: dict[str, Any],
    container: lxml_html.HtmlElement | None = None,
) -> tuple[str, lxml_html.HtmlElement | None]:
    """The headline and its element.

    Candidates are headings and elements whose class says "title" (span.Title, div.title-text):
    portals rarely use <h1>. Each is scored by how much of the page title (<title>, og:title,
    JSON-LD) it matches and by how close before the article it stands; without a candidate that
    does well, the page title without its site name.
    """
    page_title = ""
    if (t := tree.find(".//title")) is not None:
        page_title = text_of(t)
    declared = first(meta, TITLE_META) or ""
    hints = [h for h in (page_title, declared, str(ld.get("headline", ""))) if h]
    threshold = 0.8 if hints else 0.45
    # Cheap scores first; the document-order and following-text queries run only for candidates
    # that can still win (they add at most _PLACE_BONUS).
    cheap: list[tuple[float, str, lxml_html.HtmlElement]] = []
    for el in _TITLE_CANDIDATES(tree):
        weight = _HEADING_WEIGHT.get(el.tag)
        if weight is None:
            if el.tag not in _CLASS_TAGS or not _TITLE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"):
                continue
            weight = 0.15
        text = text_of(el)
        if weight == 0.15 and _INFO_AFTER.search(text) and (inner := _headline_part(el)) is not None:
            el, text = inner, text_of(inner)
        if not 4 <= len(text) <= 150:
            continue
        score = max((_overlap(text, h) for h in hints), default=0.0) + weight
        if any(a.tag == "a" for a in el.iterancestors()):
            score -= 0.3  # a linked title is another article's
        if _NAVIGATION.search(text):
            score -= 0.5  # 首页 > 新闻动态: a breadcrumb, not a headline
        cheap.append((score, text, el))
    cheap.sort(key=lambda c: c[0], reverse=True)
    start = _position(container) if container is not None else None
    best: tuple[float, str, lxml_html.HtmlElement | None] = (float("-inf"), "", None)
    for score, text, el in cheap:
        if score + _PLACE_BONUS <= best[0]:
            break
        info = bool(_INFO_AFTER.search(" ".join(_FOLLOWING_TEXT(el))[:160]))
        if info:
            score += 0.25  # a headline is followed by its time and 来源
        near = False
        if start is not None:
            distance = start - _position(el)
            if 0 < distance <= 60:
                near = True
                score += 0.3 * (1 - distance / 120)  # just before the article
            elif distance <= 0 and container is not None and container in el.iterancestors() and -distance <= 15:
                near = True
                score += 0.2  # the first thing inside the article
            elif distance < 0:
                score -= 0.6  # after the article: sidebars, related lists, the site's name
        # Accepted on its match with the page title, or on its place: right before the article and
        # followed by a time or 来源 (for pages whose <title> names only the section).
        accepted = score >= threshold or (near and info and not _NAVIGATION.search(text))
        if accepted and score > best[0]:
            best = (score, text, el)
    if best[2] is not None:
        return _untagged(best[1], hints), best[2]
    for candidate in (str(ld.get("headline") or ""), declared):
        if candidate.strip():
            return strip_site_suffix(candidate), None
    return strip_site_suffix(page_title), None


# A forum's thread type before the headline ([转载] 标题, 【原创】标题): the board's label, not the title.
_THREAD_TYPE = re.compile(r"^\s*[\[【](?:转载|原创|推荐|精华|图文|视频|分享|求助|讨论|公告|转帖)[\]】]\s*")


def _untagged(title: str, hints: list[str]) -> str:
    """The headline without a thread-type tag, unless the page title has the tag too."""
    m = _THREAD_TYPE.match(title)
    if m is None or any(m.group().strip() in h for h in hints) or len(title) - m.end() < 4:
        return title
    return title[m.end():]


def _headline_part(wrapper: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The headline inside a title wrapper that also holds the info line
    (`<div class="title"><div>标题</div><ul><li>来源：…</li><li>2023-12-01</li></ul></div>`):
    its first child block with text and no time or 来源 in it."""
    for child in wrapper:
        if isinstance(child.tag, str) and child.tag in _BLOCKISH:
            text = text_of(child)
            if text:
                return child if len(text) >= 4 and not _INFO_AFTER.search(text) else None
    return None


def _overlap(a: str, b: str) -> float:
    """How much of `a` appears in `b` (1.0 when a is a substring)."""
    if not a or not b:
        return 0.0
    if a in b:
        return 1.0
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    if not grams:
        return 0.0
    return sum(1 for g in grams if g in b) / len(grams)


def breadcrumbs(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The page's breadcrumb elements (首页 > 国内 > 正文), at most three."""
    return [el for el in _BREADCRUMBS(tree) if len(el.text_content()) < 400][:3]


def category(url: str, crumbs: list[lxml_html.HtmlElement], meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The section: from the section meta/JSON-LD, the breadcrumb, then URL segments."""
    section = ld.get("articleSection")
    declared = first(meta, SECTION_META) or (section if isinstance(section, str) else None)
    if declared and (found := _category_word(declared)):
        return found
    for el in crumbs:
        if found := _category_word(text_of(el)):
            return found
    for segment in urlsplit(url).path.lower().split("/")[:-1]:
        if segment in CATEGORY_URL_SEGMENTS:
            return CATEGORY_URL_SEGMENTS[segment]
    host = urlsplit(url).hostname or ""
    for label in host.split(".")[:-2]:
        if label in CATEGORY_URL_SEGMENTS:
            return CATEGORY_URL_SEGMENTS[label]
    return None


# Short elements only: a page-wide wrapper whose class happens to contain "position" is no breadcrumb.
_BREADCRUMBS = etree.XPath(
    "//*[@class or @id][contains(@class,'crumb') or contains(@id,'crumb') or contains(@class,'location') "
    "or contains(@class,'position') or contains(@class,'path')]"
)


def _category_word(text: str) -> str | None:
    """The category named first: '首页 > 体育 > 中国足球' is 体育, not 国内."""
    hits = [(pos, name) for word, name in CATEGORY_WORDS.items() if (pos := text.find(word)) >= 0]
    return min(hits)[1] if hits else None


_SECTION_SPLIT = re.compile(r"[\s>›»＞/|｜,，;；、·]+")


def section_words(crumbs: list[lxml_html.HtmlElement], meta: dict[str, str], ld: dict[str, Any]) -> frozenset[str]:
    """The words this page uses as section names: its declared section and its breadcrumb links."""
    section = ld.get("articleSection")
    texts = [first(meta, SECTION_META) or "", section if isinstance(section, str) else ""]
    for el in crumbs:
        texts.extend(text_of(a) for a in el.iter("a"))
    return frozenset(w for t in texts for w in _SECTION_SPLIT.split(t) if 2 <= len(w) <= 8)
