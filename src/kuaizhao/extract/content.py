"""The article body: clean the tree, read the container's paragraphs and images, render safe HTML.

Which element is the container is decided in locate.py.
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
PUNCT = re.compile(r"[，。！？；：、“”‘’（）《》,.!?;:]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
SPACES = re.compile(r"[ \t\r\n\u3000\xa0\u2002\u2003\u200b]+")
_BOILERPLATE = re.compile("|".join(BOILERPLATE_LINES), re.IGNORECASE)
# Class and id words of blocks that never hold article text, and of those that do (read by
# locate.py too); a negative word counts as a whole part of a name ("side-bar", not "inside"),
# in the plural too ("comments", "ads").
NEGATIVE = re.compile(r"(?:^|[-_\s])(?:" + "|".join(NEGATIVE_NAMES) + r")s?(?:$|[-_\s\d])", re.IGNORECASE)
POSITIVE = re.compile("|".join(POSITIVE_NAMES), re.IGNORECASE)
_LAZY_SRC = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "original", "src")


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h", "img", "caption"
    text: str = ""
    src: str = ""
    linked: int = 0  # characters of `text` (whitespace aside) that sit inside links

    @property
    def link_ratio(self) -> float:
        size = len(SPACES.sub("", self.text))
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


def blocks(container: lxml_html.HtmlElement, base_url: str) -> list[Block]:
    """Paragraphs, headings and images of the container, in reading order.

    A paragraph is what a reader sees as one: a block element's inline content, or a run of text
    between <br>s. Each remembers how much of it is link text, so that link lists can be told
    from prose line by line.
    """
    out: list[Block] = []
    buffer: list[tuple[str, bool]] = []

    def flush(kind: str = "p") -> None:
        text = SPACES.sub(" ", "".join(t for t, _ in buffer)).strip()
        linked = sum(len(SPACES.sub("", t)) for t, is_link in buffer if is_link)
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
    if names.strip() and NEGATIVE.search(names) and not POSITIVE.search(names):
        return True
    text = SPACES.sub("", el.text_content())
    if not text:
        return False
    linked = sum(len(SPACES.sub("", a.text_content())) for a in el.iter("a"))
    return linked / len(text) > 0.6 and len(text) > 6


def is_boilerplate(text: str) -> bool:
    return len(text) < 200 and bool(_BOILERPLATE.search(text))


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
