"""Which element holds the article: paragraph scores passed up, then the headline decides close calls.

Text blocks are scored by their length, Chinese punctuation and link density (the method of
readability and GNE: article text is long, punctuated and not linked) and each score is passed up
to the block's parent and grandparent. The best-scoring element is usually the article; but a
short article loses on length alone to a long block elsewhere on the page — a recommended article
printed in full, a comment policy, a blogger's profile. What tells them apart on any page is the
headline: the article is the block the headline introduces, the first one after it, and a list of
other articles after it (related news with summaries, listing.py) is never its continuation. And
when a separate block scores close to the winner all the same, the page is `contested` and the
second opinions (candidates.py) decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from . import listing
from .content import BLOCK_TAGS, NEGATIVE, POSITIVE, PUNCT, SPACES
from .lines import is_tail_marker
from .rules import TITLE_SEPARATORS

_SCORED = ("p", "div", "td", "section", "article", "li", "pre", "blockquote")
_HEADINGS = ("h1", "h2", "h3")
_LABELS = ("h4", "h5", "h6")  # smaller headings: read only for a 相关新闻 they may print
# Text written straight into these between <br>s or beside child blocks is their own paragraphs.
_HOLDERS = {"div", "section", "article", "td"}
_NORM = re.compile(r"[\s\W_]+", re.UNICODE)
_SEPARATORS = re.compile("|".join(re.escape(s) for s in TITLE_SEPARATORS))
RIVAL = 0.35  # a separate block scoring this share of the winner's score is a rival to it
CONTESTED = 0.6  # ... and one scoring this share leaves the call open, unless the headline settled it
FURNITURE = 40  # characters of other text between two blocks that make them two things, not one
MIN_TEXT = 40  # characters below which a block is no article, whatever the headline says
LABEL_ROOM = 10  # characters (a 更多 link) that may stand between a 相关新闻 heading and the block it heads
UNRELATED = 0.3  # share of bigrams below which two blocks are about different things
_SENTENCE = re.compile(r"[，。！？；]")
# Evaluated in libxml2: text_content() and regexes over every link of a large ancestor cost more
# than the rest of the scoring together.
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")
_LINK_TEXT = etree.XPath(".//a//text()")


@dataclass(frozen=True)
class Found:
    element: lxml_html.HtmlElement
    contested: bool  # a separate block scored close to it: the second opinions should be asked
    settled: bool = False  # the headline chose it over a higher-scoring block: no second opinions
    introduced: bool = False  # it holds the first prose after the headline: short is no reason to doubt


@dataclass
class _Candidate:
    element: lxml_html.HtmlElement
    score: float  # after the class and link-density discounts
    first: int  # document-order index of its first scored paragraph
    last: int  # ... and of its last


@dataclass
class _Scan:
    scores: dict[lxml_html.HtmlElement, float] = field(default_factory=dict)
    spans: dict[lxml_html.HtmlElement, list[int]] = field(default_factory=dict)  # first and last paragraph
    text: list[int] = field(default_factory=lambda: [0])  # characters of text before each element, cumulated
    anchor: tuple[int, lxml_html.HtmlElement] | None = None  # the headline and its index
    lead: lxml_html.HtmlElement | None = None  # the block that got the first prose after the headline
    tails: list[int] = field(default_factory=list)  # indices of 相关新闻 headings and labels


def find(tree: lxml_html.HtmlElement) -> Found | None:
    """The element holding the article, and whether another block came close to it."""
    scan = _scan(tree)
    if not scan.scores:
        return None
    ranked = _ranked(scan)
    top = ranked[0]
    rivals: list[_Candidate] = []
    for c in ranked[1:]:  # by score: of a block and its wrapper, the better-scoring one stands for both
        if c.score >= RIVAL * top.score and all(_apart(c.element, o.element) for o in (top, *rivals)):
            rivals.append(c)
    best = _introduced(top, rivals, scan) if scan.anchor is not None else top
    # Settled when the headline overruled the scores; open while a rival scores close, unless the
    # headline vouches for the winner (it holds the first prose after it).
    introduced = scan.lead is not None and not _apart(scan.lead, best.element)
    contested = best is top and not introduced and any(c.score >= CONTESTED * top.score for c in rivals)
    return Found(best.element, contested, settled=best is not top, introduced=introduced)


def _scan(tree: lxml_html.HtmlElement) -> _Scan:
    scan = _Scan()
    title = _Title(tree.findtext(".//title") or "")
    for index, el in enumerate(tree.iter(*_SCORED, *_HEADINGS, *_LABELS)):
        if el.tag in _HEADINGS or el.tag in _LABELS:
            text = _norm(el.text_content())
            scan.text.append(scan.text[-1] + (len(text) if el.tag in _HEADINGS else 0))
            if scan.anchor is None and el.tag in _HEADINGS and title.matches(text):
                scan.anchor = (index, el)
            elif len(text) <= 24 and is_tail_marker(text):
                scan.tails.append(index)
            continue
        own, holds = _own_text(el)
        length = len(own)
        scan.text.append(scan.text[-1] + length)
        if length <= 24 and is_tail_marker(own):
            scan.tails.append(index)  # a <div> or <li> label: 相关新闻
        if length < 10:
            continue
        links = sum(len(t.strip()) for t in _LINK_TEXT(el))
        if scan.anchor is None and not links and length <= 80 and own[0] in title.chars and title.matches(_norm(own)):
            scan.anchor = (index, el)  # portals often print the headline in a <div class="title">
            continue
        link_density = min(links / max(length + links, 1), 1.0)
        if link_density > 0.5:
            continue
        score = (length + 12 * len(PUNCT.findall(own))) * (1 - link_density)
        # A paragraph passes its score to the block that holds it; but text written straight into
        # a <div> between <br>s or beside child blocks is that div's own paragraphs (readability
        # wraps such runs in <p>): the div is the container, not its parent with the page's widgets.
        parent = el if holds and el.tag in _HOLDERS else el.getparent()
        if scan.anchor is not None and scan.lead is None and length >= 30 and len(_SENTENCE.findall(own)) >= 2:
            scan.lead = parent
        for share in (1.0, 0.6, 0.3):
            if parent is None:
                break
            scan.scores[parent] = scan.scores.get(parent, 0.0) + score * share
            scan.spans.setdefault(parent, [index, index])[1] = index
            parent = parent.getparent()
    return scan


def _ranked(scan: _Scan) -> list[_Candidate]:
    """Candidates by score, each discounted by its own link density (as readability does): an
    ancestor that collects the scores of a short article plus a page of navigation is not the
    article. Only those that can still rank among the winner's rivals are discounted (it costs)."""
    by_raw = sorted(((s * _class_weight(el), el) for el, s in scan.scores.items()), key=lambda c: c[0], reverse=True)
    out: list[_Candidate] = []
    top = 0.0
    for raw, el in by_raw[:12]:
        if raw < RIVAL * top:
            break  # the discount only lowers a score: nothing further down is a rival
        adjusted = raw * (1 - _link_density(el))
        out.append(_Candidate(el, adjusted, *scan.spans[el]))
        top = max(top, adjusted)
    out.sort(key=lambda c: c.score, reverse=True)
    return out


def _introduced(top: _Candidate, rivals: list[_Candidate], scan: _Scan) -> _Candidate:
    """The block the headline introduces, when the winner stands away from it: the page's article
    is the first prose after its headline. A winner before the headline is a sidebar or a profile;
    one further down, past other text (share bars, link lists, another headline), is another
    article or the comment rules. A winner straight after it is the same article's next part, and
    a winner that repeats what it says (a summary above its article) is the article itself —
    unless it is a list of other articles (under a 相关新闻 heading, or items each led by its own
    linked title): then a short news item before it is the article, however close and however
    much the list is about the same event."""
    assert scan.anchor is not None
    index, headline = scan.anchor
    if scan.lead is None or not _apart(scan.lead, top.element) or top.element in headline.iterancestors():
        return top  # the winner holds the headline or the prose right after it
    lead = scan.lead
    pick = next((c for c in rivals if c.element is lead or c.element in lead.iterancestors()), None)
    if pick is None:
        pick = _Candidate(lead, scan.scores[lead] * _class_weight(lead) * (1 - _link_density(lead)), *scan.spans[lead])
    if scan.text[pick.last + 1] - scan.text[pick.first] < MIN_TEXT:
        return top
    # A winner under a 相关新闻 heading, or made of items each led by its own linked title, is a list
    # of other articles: neither the article's continuation nor what a short block before it sums up.
    others = top.first > max(pick.last, index) and (_headed(top, pick, scan) or listing.is_listing(top.element))
    if pick.score < RIVAL * top.score and not others and _shared(pick.element, top.element) >= UNRELATED:
        return top  # a short block saying what the winner says: a lead or summary
    if top.first < index:
        return pick if headline.tag in _HEADINGS else top
    between = scan.text[top.first] - scan.text[pick.last + 1]
    return pick if top.first > pick.last and (between >= FURNITURE or others) else top


def _headed(top: _Candidate, pick: _Candidate, scan: _Scan) -> bool:
    """Whether a 相关新闻 heading between the two blocks stands right over the later one: whatever the
    characters before it, what that heading introduces is other articles, not this one's next part.
    (Link titles between the heading and the later block make the heading a box of its own.)"""
    return any(pick.last < i < top.first and scan.text[top.first] - scan.text[i + 1] < LABEL_ROOM for i in scan.tails)


def _shared(a: lxml_html.HtmlElement, b: lxml_html.HtmlElement) -> float:
    """The share of `a`'s character bigrams that `b` also has: high for a summary and its article."""
    x, y = _norm(a.text_content()), _norm(b.text_content())
    grams = {x[i:i + 2] for i in range(len(x) - 1)}
    return len(grams & {y[i:i + 2] for i in range(len(y) - 1)}) / len(grams) if grams else 1.0


def _apart(a: lxml_html.HtmlElement, b: lxml_html.HtmlElement) -> bool:
    """Neither holds the other: two different blocks, not one block and its wrapper."""
    return a is not b and b not in a.iterancestors() and a not in b.iterancestors()


class _Title:
    """The page's <title>, for recognising the headline: "标题_频道_网站" holds it, and a heading
    may add a widget's label to it ("标题 播报文章")."""

    def __init__(self, text: str) -> None:
        self.whole = _norm(text)
        self.core = max((_norm(p) for p in _SEPARATORS.split(text)), key=len, default="")
        self.chars = set(text)  # a headline starts with one of them: a cheap test before the real one

    def matches(self, text: str) -> bool:
        if len(text) < 6:
            return False
        if text in self.whole:
            return len(text) >= 0.4 * len(self.whole)
        return len(self.core) >= 6 and self.core in text and len(self.core) >= 0.6 * len(text)


def _norm(text: str) -> str:
    return _NORM.sub("", text)


def _class_weight(el: lxml_html.HtmlElement) -> float:
    names = f"{el.get('class', '')} {el.get('id', '')}"
    if not names.strip():
        return 1.0
    weight = 1.0
    if NEGATIVE.search(names):
        weight *= 0.3
    if POSITIVE.search(names):
        weight *= 1.6
    return weight


def _link_density(el: lxml_html.HtmlElement) -> float:
    total: float = _TEXT_LENGTH(el)
    if not total:
        return 1.0
    return min(sum(len(t.strip()) for t in _LINK_TEXT(el)) / total, 1.0)


def _own_text(el: lxml_html.HtmlElement) -> tuple[str, bool]:
    """Text of `el` outside any block-level child (what this element itself says), and whether it
    has block children or <br>s: then its text is paragraphs of its own. One pass over the children,
    reading a childless inline element's text directly (text_content() is an XPath call)."""
    text = el.text
    parts = [text] if text else []
    holds = False
    for child in el:
        tag = child.tag
        if tag in BLOCK_TAGS or tag == "br":
            holds = True
        elif isinstance(tag, str):
            parts.append(child.text_content() if len(child) else (child.text or ""))
        tail = child.tail
        if tail:
            parts.append(tail)
    return (SPACES.sub("", "".join(parts)) if parts else ""), holds
