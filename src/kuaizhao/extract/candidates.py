"""Second opinions on the body: readability-lxml and trafilatura, asked only when ours is doubtful.

Our DOM scoring is right on almost every page and several times faster than either library, so
it runs first. When its result looks doubtful (very short, the whole page taken as the article,
most of the container thrown away as links and junk, or another block of the page scoring close
to it), readability is asked; if it agrees with us we keep ours, and if not, trafilatura gives a
third opinion and the candidate the others agree with wins. A candidate that agrees with nothing
never beats readability: a DOM pick that no one else makes is the usual failure (a comment policy,
a sidebar), and readability is the better-measured of the two libraries. A container the headline
chose over a higher-scoring block is not doubted: the libraries do not look at the headline.

Both libraries read the tree we parsed (a copy each: both change what they read), not the page
source again. Each candidate's HTML goes through the same line classification as ours, so
credits, boilerplate and tail sections are handled the same way whoever found the container.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from . import content, lines, locate

log = logging.getLogger(__name__)

AGREE = 0.7  # bigram F1 above which two extractions are taken to be the same article text
LONE = 0.5  # a candidate whose best agreement with the others is below this agrees with nothing
INSIDE = 0.8  # share of a text's bigrams found in another above which it is part of that other
_NOISE = {lines.Kind.LINKS, lines.Kind.JUNK, lines.Kind.BOILERPLATE, lines.Kind.DUPLICATE}


@dataclass(frozen=True)
class Choice:
    body: lines.Body
    method: str  # "dom", "readability" or "trafilatura"
    agreement: float | None  # with the runner-up, when others were asked


def doubtful(body: lines.Body, container: lxml_html.HtmlElement, found: locate.Found | None = None) -> bool:
    """Whether our own extraction deserves a second opinion (`found`: how locate.py chose it)."""
    if found is not None and found.settled:
        return False
    if found is not None and found.contested:
        return True
    kept = len(body.text)
    noise = sum(len(text) for kind, text in body.dropped if kind in _NOISE)
    # a short body is doubtful, unless it is the prose the headline introduces: a short news item
    short = content.cjk_length(body.text) < 150 and not (found is not None and found.introduced)
    return container.tag in ("body", "html") or short or noise > kept


def _bigrams(text: str) -> Counter[str]:
    s = lines.norm(text)
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def agreement(a: str, b: str) -> float:
    """F1 over character bigrams: 1.0 for the same text, 0.0 for nothing in common."""
    x, y = _bigrams(a), _bigrams(b)
    overlap = sum((x & y).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(x.values()), overlap / sum(y.values())
    return 2 * precision * recall / (precision + recall)


def _readability(tree: lxml_html.HtmlElement) -> str | None:
    from readability import Document

    # readability drops hidden elements from the tree it is given; its own cleaner copies the rest
    summary: str = Document(copy.deepcopy(tree)).summary(html_partial=True)
    return summary


def _trafilatura(tree: lxml_html.HtmlElement) -> str | None:
    import trafilatura

    # trafilatura copies a tree it is given before changing it
    return trafilatura.extract(tree, output_format="html", include_comments=False, include_tables=True,
                               include_images=True, favor_precision=True, deduplicate=False)


ASK: dict[str, Callable[[lxml_html.HtmlElement], str | None]] = {"readability": _readability,
                                                                 "trafilatura": _trafilatura}


def _ask(name: str, tree: lxml_html.HtmlElement, url: str, title: str) -> lines.Body | None:
    try:
        found = ASK[name](tree)
    except Exception as exc:  # noqa: BLE001 — a second opinion that fails is no opinion
        log.debug("%s failed on %s: %s", name, url, exc)
        return None
    if not found or not found.strip():
        return None
    try:
        root = lxml_html.fragment_fromstring(found, create_parent="div")
    except (etree.LxmlError, ValueError):
        return None
    content.clean_tree(root)
    return lines.assemble(content.blocks(root, url), title)


def choose(ours: lines.Body, tree: lxml_html.HtmlElement, url: str, title: str) -> Choice:
    """Ours, or a second opinion that the others agree with better (`tree`: the parsed page)."""
    readability = _ask("readability", tree, url, title)
    first = agreement(ours.text, readability.text) if readability is not None else None
    if first is not None and first >= AGREE:
        return Choice(ours, "dom", first)
    trafilatura = _ask("trafilatura", tree, url, title)
    candidates = {name: body for name, body in (("dom", ours), ("readability", readability),
                                                ("trafilatura", trafilatura)) if body is not None and body.text}
    if len(candidates) == 3 and all(_inside(candidates[name].text, candidates["trafilatura"].text) >= INSIDE
                                    for name in ("dom", "readability")):
        del candidates["trafilatura"]  # it took both blocks: a union is no vote for either of them
    if len(candidates) < 2:
        return Choice(ours, "dom", None)
    pairs = {(a, b): agreement(candidates[a].text, candidates[b].text) for a in candidates for b in candidates if a < b}

    def agree(a: str, b: str) -> float:
        return pairs[(a, b) if a < b else (b, a)]

    support = {name: sum(agree(name, o) for o in candidates if o != name) for name in candidates}
    if "readability" in candidates:
        # agreeing with nothing, a candidate cannot beat readability (two that disagree: readability wins)
        for name in candidates:
            if name != "readability" and max(agree(name, o) for o in candidates if o != name) < LONE:
                support[name] = -1.0
    best = max(support, key=lambda k: (support[k], k == "dom", k == "readability"))
    runner_up = max((agree(best, o) for o in candidates if o != best), default=None)
    return Choice(candidates[best], best, runner_up)


def _inside(part: str, whole: str) -> float:
    """The share of `part`'s bigrams that `whole` holds too (1.0: all of it is in there)."""
    x, y = _bigrams(part), _bigrams(whole)
    total = sum(x.values())
    return sum((x & y).values()) / total if total else 0.0
