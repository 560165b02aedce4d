"""Second opinions on the body: readability-lxml and trafilatura, asked only when ours is doubtful.

Our DOM scoring is right on almost every page and several times faster than either library, so
it runs first. When its result looks doubtful (very short, the whole page taken as the article,
or most of the container thrown away as links and junk), readability is asked; if it agrees with
us we keep ours, and if not, trafilatura gives a third opinion and the candidate that agrees most
with the others wins. Each candidate's HTML goes through the same line classification as ours,
so credits, boilerplate and tail sections are handled the same way whoever found the container.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from . import content, lines

log = logging.getLogger(__name__)

AGREE = 0.7  # bigram F1 above which two extractions are taken to be the same article text
_NOISE = {lines.Kind.LINKS, lines.Kind.JUNK, lines.Kind.BOILERPLATE, lines.Kind.DUPLICATE}


@dataclass(frozen=True)
class Choice:
    body: lines.Body
    method: str  # "dom", "readability" or "trafilatura"
    agreement: float | None  # with the runner-up, when others were asked


def doubtful(body: lines.Body, container: lxml_html.HtmlElement) -> bool:
    """Whether our own extraction deserves a second opinion."""
    kept = len(body.text)
    noise = sum(len(text) for kind, text in body.dropped if kind in _NOISE)
    return container.tag in ("body", "html") or content.cjk_length(body.text) < 150 or noise > kept


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


def _readability(source: str) -> str | None:
    from readability import Document

    summary: str = Document(source).summary(html_partial=True)
    return summary


def _trafilatura(source: str) -> str | None:
    import trafilatura

    return trafilatura.extract(source, output_format="html", include_comments=False, include_tables=True,
                               include_images=True, favor_precision=True, deduplicate=False)


ASK: dict[str, Callable[[str], str | None]] = {"readability": _readability, "trafilatura": _trafilatura}


def _ask(name: str, source: str, url: str, title: str) -> lines.Body | None:
    try:
        found = ASK[name](source)
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


def choose(ours: lines.Body, source: str, url: str, title: str) -> Choice:
    """Ours, or a second opinion that the others agree with better."""
    readability = _ask("readability", source, url, title)
    if readability is None or not readability.text:
        return Choice(ours, "dom", None)
    first = agreement(ours.text, readability.text)
    if first >= AGREE:
        return Choice(ours, "dom", first)
    trafilatura = _ask("trafilatura", source, url, title)
    candidates = {"dom": ours, "readability": readability}
    if trafilatura is not None and trafilatura.text:
        candidates["trafilatura"] = trafilatura
    if len(candidates) == 2:
        # two that disagree and no referee: the one with more article-like text (sentences per link)
        best = max(candidates, key=lambda k: _prose(candidates[k]))
        return Choice(candidates[best], best, first)
    support = {name: sum(agreement(body.text, other.text) for o, other in candidates.items() if o != name)
               for name, body in candidates.items()}
    best = max(support, key=lambda k: (support[k], k == "dom"))
    return Choice(candidates[best], best, support[best] / 2)


def _prose(body: lines.Body) -> float:
    text = body.text
    return text.count("。") + text.count("，") * 0.3 - 0.01 * len(body.dropped)
