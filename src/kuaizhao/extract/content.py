"""The article body: find the container, read its paragraphs and images, render safe HTML.

The container is found by scoring text blocks by their length, Chinese punctuation and link
density (the method of readability and GNE: article text is long, punctuated and not linked) and
passing each score up to its parent and grandparent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

import nh3
from lxml import etree
from lxml import html as lxml_html

from .rules import BOILERPLATE_LINES, NEGATIVE_NAMES, POSITIVE_NAMES

DROP_TAGS = {
    "script", "style", "noscript", "iframe", "button", "input", "select", "textarea", "svg",
    "canvas", "video", "audio", "object", "embed", "template", "nav", "footer", "aside", "link", "meta",
}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "td", "th", "tr", "table", "tbody", "li", "ul", "ol",
    "blockquote", "pre", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd",
    "center", "header", "hr", "address",
}
HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}
_PUNCT = re.compile(r"[，。！？；：、“”‘’（）《》,.!?;:]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACES = re.compile(r"[ \t\r\n\u3000\xa0\u2002\u2003\u200b]+")
_BOILERPLATE = re.compile("|".join(BOILERPLATE_LINES), re.IGNORECASE)
_NEGATIVE = re.compile(r"(?:^|[-_\s])(?:" + "|".join(NEGATIVE_NAMES) + r")(?:$|[-_\s\d])", re.IGNORECASE)
_POSITIVE = re.compile("|".join(POSITIVE_NAMES), re.IGNORECASE)
_LAZY_SRC = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "original", "src")


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h", "img", "caption"
    text: str = ""
    src: str = ""
    linked: int = 0  # characters of `text` (whitespace aside) that sit inside links

    @property
    def link_ratio(self) -> float:
        size = len(_SPACES.sub("", self.text))
        return self.linked / size if size else 0.0


def clean_tree(tree: lxml_html.HtmlElement) -> None:
    """Remove what never holds article text (scripts, forms, navigation, comments), in place."""
    for el in list(tree.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    for el in list(tree.iter(*DROP_TAGS)):
        _drop(el)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text in the flow."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _class_weight(el: lxml_html.HtmlElement) -> float:
    names = f"{el.get('class', '')} {el.get('id', '')}"
    if not names.strip():
        return 1.0
    weight = 1.0
    if _NEGATIVE.search(names):
        weight *= 0.3
    if _POSITIVE.search(names):
        weight *= 1.6
    return weight


def find_container(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element whose paragraphs score highest, with scores passed up two levels."""
    scores: dict[lxml_html.HtmlElement, float] = {}
    # Block elements only: inline <span>/<font> text counts in its block's own text already.
    for el in tree.iter("p", "div", "td", "section", "article", "li", "pre", "blockquote"):
        own = _own_text(el)
        length = len(own)
        if length < 10:
            continue
        links = sum(len(t.strip()) for t in _LINK_TEXT(el))
        link_density = min(links / max(length + links, 1), 1.0)
        if link_density > 0.5:
            continue
        score = (length + 12 * len(_PUNCT.findall(own))) * (1 - link_density)
        # A paragraph passes its score to the block that holds it; but text written straight into
        # a <div> between <br>s or beside child blocks is that div's own paragraphs (readability
        # wraps such runs in <p>): the div is the container, not its parent with the page's widgets.
        parent = el if el.tag in _HOLDERS and _holds_paragraphs(el) else el.getparent()
        for share in (1.0, 0.6, 0.3):
            if parent is None:
                break
            scores[parent] = scores.get(parent, 0.0) + score * share
            parent = parent.getparent()
    if not scores:
        return None
    # The best few, each discounted by its own link density (as readability does): an ancestor
    # that collects the scores of a short article plus a page of navigation is not the article.
    ranked = sorted(((scores[el] * _class_weight(el), el) for el in scores), key=lambda c: c[0], reverse=True)
    best, best_score = None, float("-inf")
    for raw, el in ranked[:10]:
        if raw <= best_score:
            break  # the density discount only lowers a score: nothing further down can win
        adjusted = raw * (1 - _link_density(el))
        if adjusted > best_score:
            best, best_score = el, adjusted
    return best


# Evaluated in libxml2: text_content() and regexes over every link of a large ancestor cost more
# than the rest of the scoring together.
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")
_LINK_TEXT = etree.XPath(".//a//text()")


def _link_density(el: lxml_html.HtmlElement) -> float:
    total: float = _TEXT_LENGTH(el)
    if not total:
        return 1.0
    return min(sum(len(t.strip()) for t in _LINK_TEXT(el)) / total, 1.0)


_HOLDERS = {"div", "section", "article", "td"}


def _holds_paragraphs(el: lxml_html.HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and (child.tag == "br" or child.tag in BLOCK_TAGS) for child in el)


def _own_text(el: lxml_html.HtmlElement) -> str:
    """Text of `el` outside any block-level child: what this element itself says."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return _SPACES.sub("", "".join(parts))


def blocks(container: lxml_html.HtmlElement, base_url: str) -> list[Block]:
    """Paragraphs, headings and images of the container, in reading order.

    A paragraph is what a reader sees as one: a block element's inline content, or a run of text
    between <br>s. Each remembers how much of it is link text, so that link lists can be told
    from prose line by line.
    """
    out: list[Block] = []
    buffer: list[tuple[str, bool]] = []

    def flush(kind: str = "p") -> None:
        text = _SPACES.sub(" ", "".join(t for t, _ in buffer)).strip()
        linked = sum(len(_SPACES.sub("", t)) for t, is_link in buffer if is_link)
        buffer.clear()
        if text:
            out.append(Block(kind, text, linked=linked))

    def walk(el: lxml_html.HtmlElement, in_link: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            flush()
        elif tag == "img":
            src = next((el.get(a) for a in _LAZY_SRC if el.get(a) and not el.get(a, "").startswith("data:")), None)
            if src:
                flush()
                out.append(Block("img", el.get("alt", "").strip(), urljoin(base_url, src.strip())))
        elif tag in BLOCK_TAGS:
            if el is not container and _is_noise(el):
                pass
            else:
                flush()
                buffer.append((el.text or "", in_link))
                for child in el:
                    walk(child, in_link)
                flush("h" if tag in HEADING_TAGS else "caption" if tag == "figcaption" else "p")
        else:
            link = in_link or tag == "a"
            buffer.append((el.text or "", link))
            for child in el:
                walk(child, link)
        if el is not container:
            buffer.append((el.tail or "", in_link))

    walk(container, False)
    flush()
    return out


def _is_noise(el: lxml_html.HtmlElement) -> bool:
    """A block inside the container that is navigation or a link list, not article text."""
    names = f"{el.get('class', '')} {el.get('id', '')}"
    if names.strip() and _NEGATIVE.search(names) and not _POSITIVE.search(names):
        return True
    text = _SPACES.sub("", el.text_content())
    if not text:
        return False
    linked = sum(len(_SPACES.sub("", a.text_content())) for a in el.iter("a"))
    return linked / len(text) > 0.6 and len(text) > 6


def is_boilerplate(text: str) -> bool:
    return bool(_BOILERPLATE.search(text)) and len(text) < 200


def cjk_length(text: str) -> int:
    return len(_CJK.findall(text))


def render_html(items: Iterable[Block]) -> str:
    """Sanitised article HTML built from the blocks; nh3 re-checks what we built."""
    parts = []
    for b in items:
        if b.kind == "img":
            alt = html.escape(b.text)
            # no-referrer: a reader's visit to the archive is not reported to the original site.
            parts.append(f'<figure><img src="{html.escape(b.src)}" alt="{alt}" loading="lazy" '
                         'referrerpolicy="no-referrer"></figure>')
        elif b.kind == "caption":
            parts.append(f"<figcaption>{html.escape(b.text)}</figcaption>")
        elif b.kind == "h":
            parts.append(f"<h3>{html.escape(b.text)}</h3>")
        else:
            parts.append(f"<p>{html.escape(b.text)}</p>")
    return nh3.clean(
        "\n".join(parts),
        tags={"p", "h3", "figure", "figcaption", "img"},
        attributes={"img": {"src", "alt", "loading", "referrerpolicy"}},
        url_schemes={"http", "https"},
        link_rel=None,
    )
