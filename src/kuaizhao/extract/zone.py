"""The info zone: the text between the headline and the article, where times and 来源 are stated.

Kept as fragments (one per text node, with the class and id of its element) rather than as one
joined line, because element boundaries end values: in `来源：<a>澎湃新闻网</a><span>1032人参与</span>`
the source is the link's text, not "澎湃新闻网1032人参与".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lxml import html as lxml_html

from .times import SHANGHAI, find_times

_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")
# A fragment ending in a label, whose value is the next fragment ('2023年05月12日08:15 | 来源：');
# a badge such as 优质原创作者 merely ends like one.
_LABEL_ONLY = re.compile(r"(?:^|[\s|｜:：·])\s*(?:本文|文章)?(?:来源于|来源|来自|出处|稿源|本文转自|转载自|转自|"
                         r"稿件来源|作者|记者|责任编辑|责编|编辑|发布时间|发表时间|更新时间|时间|日期|发布日期|发文机关)\s*[:：]?\s*$")
_MAX_FRAGMENTS = 60
_PROSE = 30  # characters of running text: the article has begun
_SOURCE_WORD = re.compile(r"来源|来自|稿源|出处|转自|转载")
_ANY_TIME_NOW = datetime(2100, 1, 1, tzinfo=SHANGHAI)  # only "is a time stated here" is asked
# Elements that start a new line of text; <br> does too.
_BLOCK_TAGS = frozenset({"address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt",
                         "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                         "hr", "html", "li", "main", "nav", "ol", "p", "section", "table", "td", "th", "tr", "ul"})


@dataclass(frozen=True)
class Fragment:
    text: str
    hint: str  # class and id of the element the text belongs to, lower-cased
    link: bool = False  # the text is link text (navigation, breadcrumbs, tags)
    line: int = 0  # fragments with the same number stand on one visual line (same block, no <br> between)


def fragments(tree: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None,
              container: lxml_html.HtmlElement) -> list[Fragment]:
    """Text fragments after the headline and before the article body (or before it, without one).

    The zone runs into the container up to its first paragraph: templates put the info line inside
    the article element (`<article><div class="reporter"><time>…</time><a>中時</a></div><p>…`), and
    blogs put the headline there too (`<div class="post"><h2>…</h2><h5>byline</h5><p>…`).
    """
    out: list[Fragment] = []
    started = title_el is None
    title_descendants = set(title_el.iter()) if title_el is not None else set()
    inside = title_el is not None and _contains(container, title_el)
    entered = inside  # walking the container's own leading lines
    lines = _Lines()
    for el in (container.iter() if inside else tree.iter()):
        if el is container and not inside:
            if title_el is None:
                break  # no headline: the zone is what precedes the article
            entered = True
            continue
        if entered and started and el not in title_descendants and (_opens_text(el) or not _contains(container, el)):
            break
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            lines.breaks(el)
        if title_el is not None and el is title_el:
            started = True
            if el.tail and el.tail.strip():
                out.append(Fragment(_SPACE.sub(" ", el.tail).strip(), _hint(el.getparent()), _in_link(el.getparent()),
                                    lines.of(el.getparent())))
            continue
        if not started or el in title_descendants:
            continue
        if not entered and _contains(el, container):
            if el.text and el.text.strip():  # text before the container inside its ancestor
                out.append(Fragment(_SPACE.sub(" ", el.text).strip(), _hint(el), _in_link(el), lines.of(el)))
            continue
        for piece, owner in ((el.text, el), (el.tail, el.getparent())):
            if piece and piece.strip():
                if entered and len(piece.strip()) >= _PROSE:
                    return out[:_MAX_FRAGMENTS]  # the article's first words, written straight into the element
                out.append(Fragment(_SPACE.sub(" ", piece).strip(), _hint(owner), _in_link(owner), lines.of(owner)))
    return out[-_MAX_FRAGMENTS // 2:] if title_el is None else out[:_MAX_FRAGMENTS]


class _Lines:
    """Numbers the visual lines: one per block element, and a new one after each <br> inside it."""

    def __init__(self) -> None:
        self._ids: dict[tuple[lxml_html.HtmlElement | None, int], int] = {}
        self._breaks: dict[lxml_html.HtmlElement | None, int] = {}

    def breaks(self, br: lxml_html.HtmlElement) -> None:
        block = _block(br)
        self._breaks[block] = self._breaks.get(block, 0) + 1

    def of(self, el: lxml_html.HtmlElement | None) -> int:
        block = _block(el)
        return self._ids.setdefault((block, self._breaks.get(block, 0)), len(self._ids))


def _block(el: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement | None:
    while el is not None and el.tag not in _BLOCK_TAGS:
        el = el.getparent()
    return el


def _opens_text(el: lxml_html.HtmlElement) -> bool:
    """The first paragraph of the article: a <p>, or any element whose own text is prose-long."""
    own = (el.text or "").strip() if isinstance(el.tag, str) else ""
    return (el.tag == "p" and bool(el.text_content().strip())) or len(own) >= 30


def _contains(el: lxml_html.HtmlElement, other: lxml_html.HtmlElement) -> bool:
    parent = other.getparent()
    while parent is not None:
        if parent is el:
            return True
        parent = parent.getparent()
    return False


def _in_link(el: lxml_html.HtmlElement | None) -> bool:
    while el is not None:
        if el.tag == "a":
            return True
        el = el.getparent()
    return False


def _hint(el: lxml_html.HtmlElement | None) -> str:
    if el is None:
        return ""
    return f"{el.get('class', '')} {el.get('id', '')}".lower().strip()


def on_info_line(frag: Fragment, frags: list[Fragment]) -> bool:
    """`frag` shares its visual line with a stated time or a 来源 / 转自: '国内 · 3分钟前 · 来源：华夏日报'."""
    return any(other.line == frag.line and other is not frag
               and (_SOURCE_WORD.search(other.text) or next(find_times(other.text, _ANY_TIME_NOW), None))
               for other in frags)


def lines(frags: list[Fragment]) -> list[str]:
    """Fragments as lines, a label standing alone joined with the value that follows it."""
    out: list[str] = []
    i = 0
    while i < len(frags):
        text = frags[i].text
        if _LABEL_ONLY.search(text) and i + 1 < len(frags):
            text = f"{text}{'' if text.rstrip().endswith(('：', ':')) else '：'}{frags[i + 1].text}"
            i += 1
        out.append(text)
        i += 1
    return out


def trailing(container: lxml_html.HtmlElement, limit: int = 6) -> list[str]:
    """The first lines after the article body, where （责任编辑：…） and bylines often stand."""
    found: list[str] = []
    node: lxml_html.HtmlElement | None = container
    while node is not None and len(found) < limit:
        sibling = node.getnext()
        while sibling is not None and len(found) < limit:
            if isinstance(sibling.tag, str):
                text = _SPACE.sub(" ", sibling.text_content()).strip()
                if text:
                    found.append(text[:200])
            sibling = sibling.getnext()
        if node.tail and node.tail.strip():
            found.append(node.tail.strip()[:200])
        node = node.getparent()
        if node is not None and node.tag in ("body", "html"):
            break
    return found
