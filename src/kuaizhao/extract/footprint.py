"""An article's footprint: a fingerprint of the parts of a page its article was read from.

A recheck that gets a full 200 page (the publisher sends no ETag, or the page's bytes changed
because a sidebar of 热点新闻 / 相关阅读 / 猜你喜欢 lists a new title) would otherwise be extracted
again to learn that the article is the same. The footprint lets it skip that. It hashes what a
version's identity (article.content_identity: headline and body) is read from, and more: the
<title>, the meta tags and JSON-LD, and the page from the headline to the end of the body container
(the info zone with 来源 / 作者 / time lies between them); and it remembers where the body
container stood. On the next fetch the page is parsed (a few milliseconds, a fraction of an
extraction), the same element looked up by that path and the same parts hashed: equal means the
same article; anything else (the element gone or moved, a word changed anywhere in the region)
means a full extraction. An edit is never missed for speed; a page whose list of other news sits
inside the body container, or between headline and body, just gets no shortcut. What follows the
body (a trailing 责任编辑, 相关阅读) is not hashed: it is not part of a version's identity, so its
change alone makes no new version either way.

    "<sha1>:<levels>:<before>:<path>"
        levels  from the body container up to the region (the element holding headline and body)
        before  the region's children hashed before the body's (from the headline's), -1 for all
        path    html[0]/body[0]/div#main.wrap[0]/…, each step tag#id.class[n]
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import quote

from lxml import html as lxml_html

_SPACE = re.compile(r"\s+")
# Meta tags that change with every response and never carry article data.
_PER_REQUEST = re.compile(r"csrf|token|nonce|request[-_]?id|trace", re.IGNORECASE)


def footprint(container: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None, head: str) -> str | None:
    """The footprint of an extracted article; None when the container has no stable path."""
    region, branch, before = _region(container, title_el)
    levels = 0
    node: lxml_html.HtmlElement | None = container
    while node is not None and node is not region:
        node, levels = node.getparent(), levels + 1
    path = _path(container)
    parts = _parts(region, branch, before)
    if node is None or path is None or parts is None:
        return None
    return f"{_digest(head, parts)}:{levels}:{before}:{path}"


def matches(tree: lxml_html.HtmlElement, head: str, stored: str) -> bool:
    """Whether this page's article parts hash as they did when the footprint was taken."""
    digest, levels_text, before_text, path = ([*stored.split(":", 3), "", "", ""])[:4]
    if not levels_text.isdigit() or not before_text.lstrip("-").isdigit() or not path:
        return False
    container = _find(tree, path)
    branch: lxml_html.HtmlElement | None = container
    for _ in range(int(levels_text) - 1):
        branch = branch.getparent() if branch is not None else None
    if container is None or branch is None:
        return False
    region = branch.getparent() if int(levels_text) else container
    parts = _parts(region, branch, int(before_text)) if region is not None else None
    return parts is not None and _digest(head, parts) == digest


def head_parts(tree: lxml_html.HtmlElement, metas: dict[str, str], ld: dict[str, Any]) -> str:
    """The page-level parts the extractor reads: <title>, meta tags, the JSON-LD article."""
    title = tree.find(".//title")
    kept = sorted((k, v) for k, v in metas.items() if not _PER_REQUEST.search(k))
    return json.dumps([title.text_content() if title is not None else "", kept, ld],
                      ensure_ascii=False, sort_keys=True, default=str)


def _region(container: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None
            ) -> tuple[lxml_html.HtmlElement, lxml_html.HtmlElement, int]:
    """The smallest element holding the headline and the body; its child that holds the body; and
    how many children before that one reach back to the headline (the info zone lies between).
    What follows the body in the region (相关阅读, 猜你喜欢, a share bar) is not the article's."""
    if title_el is None:  # the headline came from <title> or a meta tag: the info zone is above the body
        parent = container.getparent()
        if parent is None:
            return container, container, -1
        return parent, container, _elements(parent).index(container)
    above = {id(a): a for a in (title_el, *title_el.iterancestors())}
    branch, node = container, container
    while id(node) not in above:
        parent = node.getparent()
        if parent is None:
            return container, container, -1  # cannot happen in one tree; hash all of the body then
        branch, node = node, parent
    if node is container or node is title_el:
        return node, branch, -1  # the headline inside the body's element (or around it): all of it
    kids = _elements(node)
    title_branch = next(k for k in kids if id(k) in above)
    before = kids.index(branch) - kids.index(title_branch)
    return node, branch, before if before >= 0 else -1  # headline after the body: the whole region


def _elements(el: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return [c for c in el.iterchildren() if isinstance(c.tag, str)]


def _parts(region: lxml_html.HtmlElement, branch: lxml_html.HtmlElement, before: int) -> list[Any] | None:
    """The region's children from the headline's to the body's (the whole region for -1)."""
    if before < 0 or branch is region:
        return [region]
    kids = _elements(region)
    if branch not in kids or kids.index(branch) < before:
        return None
    end = kids.index(branch)
    return kids[end - before:end + 1]


def _digest(head: str, parts: list[Any]) -> str:
    text = " ".join(_SPACE.sub(" ", p.text_content() + (p.tail or "" if p is not parts[-1] else "")) for p in parts)
    images = [img.get("src") or img.get("data-src") or "" for p in parts for img in p.iter("img")]
    joined = "\x1e".join([head, text, "\x1f".join(images)])
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def _step(el: lxml_html.HtmlElement) -> str:
    """tag#id.class.class, quoted: ids and classes may hold any character, "/" and "[" included."""
    step = str(el.tag)
    if el.get("id"):
        step += "#" + el.get("id", "").strip()
    if el.get("class"):
        step += "." + ".".join(el.get("class", "").split())
    return quote(step, safe="#.-_:")


def _path(el: lxml_html.HtmlElement) -> str | None:
    """html/body/…/el, each step the tag, id and classes and the index among siblings alike."""
    steps = []
    node: lxml_html.HtmlElement | None = el
    while node is not None:
        if not isinstance(node.tag, str):
            return None
        parent = node.getparent()
        step = _step(node)
        index = 0 if parent is None else sum(1 for s in node.itersiblings(preceding=True) if
                                             isinstance(s.tag, str) and _step(s) == step)
        steps.append(f"{step}[{index}]")
        node = parent
    return "/".join(reversed(steps))


def _find(tree: lxml_html.HtmlElement, path: str) -> lxml_html.HtmlElement | None:
    steps = path.split("/")
    node: lxml_html.HtmlElement | None = tree if steps and _matches_step(tree, steps[0]) else None
    for raw in steps[1:]:
        if node is None:
            return None
        step, _, index = raw.rpartition("[")
        want = int(index.rstrip("]") or 0)
        alike = (c for c in node.iterchildren() if isinstance(c.tag, str) and _step(c) == step)
        node = next((c for n, c in enumerate(alike) if n == want), None)
    return node


def _matches_step(el: lxml_html.HtmlElement, raw: str) -> bool:
    return raw.rpartition("[")[0] == _step(el)
