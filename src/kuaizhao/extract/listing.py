"""Blocks that are lists of other articles, not an article: a related-news box of titles and summaries.

A short news item (快讯) printed above a related-news box of long summaries loses to it on length,
and the box reads like prose. What gives it away is its shape: every paragraph in it is led by a
line that is only a link, the title of the article the paragraph sums up. An article's own
paragraphs are not each introduced by a link of their own.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from .content import BLOCK_TAGS, SPACES

_SENTENCE = re.compile(r"[，。！？；]")


def is_listing(el: lxml_html.HtmlElement) -> bool:
    """Whether `el` is a list of other articles: its prose comes in items, each led by a line that
    is only a link (the item's own title), like a related-news block of titles and summaries."""
    led = prose = 0
    titled = False  # a title line since the last prose line
    for text, linked in _lines(el):
        size = len(text)
        if not size:
            continue
        if linked >= 0.8 * size and 6 <= size <= 60:
            titled = True
        elif linked < 0.3 * size and size >= 30 and len(_SENTENCE.findall(text)) >= 2:
            prose += 1
            led += titled
            titled = False
    return led >= 2 and 2 * led >= prose


def _lines(el: lxml_html.HtmlElement) -> list[tuple[str, int]]:
    """The lines of `el` as a reader sees them (block elements and <br>s break them), each with its
    count of characters inside links; whitespace removed."""
    out: list[tuple[str, int]] = []
    parts: list[str] = []
    linked = 0
    depth = 0  # how many <a> we are inside

    def add(text: str | None) -> None:
        nonlocal linked
        if text and (text := SPACES.sub("", text)):
            parts.append(text)
            linked += len(text) if depth else 0

    def flush() -> None:
        nonlocal linked
        if parts:
            out.append(("".join(parts), linked))
        parts.clear()
        linked = 0

    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        breaks = tag in BLOCK_TAGS or tag == "br"
        if event == "start":
            if breaks:
                flush()
            depth += tag == "a"
            add(node.text if tag else None)
        else:
            depth -= tag == "a"
            if breaks:
                flush()
            if node is not el:
                add(node.tail)
    flush()
    return out
