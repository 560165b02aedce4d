"""When a search finds nothing: which part failed, and what would find something.

A reader who gets 找到 0 篇 for `宇宙飞船 火星 after:2024` cannot tell which condition emptied the
list. So each part of the query is counted alone (the other conditions kept), and the page offers
edits of what the reader typed that do find something:

- without the parts that find nothing even alone; when each finds something alone, without one
  of them (the offers that find most first);
- a quoted phrase unquoted (its words anywhere, not side by side);
- without the exclusions (`-词`);
- without one filter, or the dates, at a time (all of them only if no one alone helps); and if
  even that finds nothing, the words explained again without any of them.

Every offer is query text (the reader's own, with a span cut or replaced) that was parsed and
counted like any search, so following it finds the number shown. Only a search that found nothing
pays for this: a handful of counts, each cheaper than the search itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..exceptions import QueryError
from .query import Clause, Filter, Phrase, Query, Words

MAX_PARTS = 6  # a query with more parts than this is counted as a whole only
MAX_FEWER = 3  # offers of the query less one part
_FILTER_NAMES = {"site": "网站", "source": "来源", "category": "类别", "status": "原文状态"}


@dataclass(frozen=True)
class Suggestion:
    query: str  # query text to run instead
    total: int  # documents it matches
    label: str  # what it is, for the reader


@dataclass(frozen=True)
class Hints:
    parts: list[Suggestion] = field(default_factory=list)  # each part alone (label: the part as typed)
    instead: list[Suggestion] = field(default_factory=list)  # edits of the query that find something


Edit = tuple[tuple[int, int], str]  # replace the span of Query.text with the string


def edited(text: str, edits: Sequence[Edit]) -> str:
    """`text` with each span replaced (spans do not overlap); whitespace tidied."""
    out, at = [], 0
    for (start, end), new in sorted(edits):
        out += [text[at:start], " ", new, " "]
        at = end
    out.append(text[at:])
    return " ".join("".join(out).split())


def hints(query: Query, count: Callable[[Query], int], parse: Callable[[str], Query]) -> Hints:
    """What to tell a reader whose `query` matched nothing; `count` runs a query, `parse` reads text."""
    seen = {query.text}

    def run(edits: Sequence[Edit], label: str, part: bool = False) -> Suggestion | None:
        """The edited query and its count; an offer (not a part) only if new and finding something."""
        text = edited(query.text, edits)
        if not text or (not part and text in seen):
            return None
        try:
            parsed = parse(text)
        except QueryError:
            return None
        total = count(parsed)
        if not part:
            if total == 0:
                return None
            seen.add(text)
        return Suggestion(text, total, label)

    texts = [c for c in query.required if not isinstance(c, Filter)]
    parts: list[Suggestion] = []
    instead: list[Suggestion] = []
    units = _units(query, texts)
    if 1 < len(units) <= MAX_PARTS:
        totals = []
        for i, unit in enumerate(units):
            alone = run(_keep(units, {i}), unit.label, part=True)  # every other part cut
            totals.append(alone.total if alone else 0)
            if alone is not None:
                parts.append(alone)
        kept = {i for i, total in enumerate(totals) if total}
        if kept and len(kept) < len(units):
            missing = "、".join(f"“{u.label}”" for i, u in enumerate(units) if i not in kept)
            s = run(_keep(units, kept), "去掉" + missing)
            if s is not None:
                instead.append(s)
        if not instead and len(kept) >= 3:  # each finds something, not all together: which one to give up
            fewer = [run(_keep(units, kept - {i}), f"去掉“{units[i].label}”") for i in sorted(kept)]
            instead += sorted((s for s in fewer if s is not None), key=lambda s: -s.total)[:MAX_FEWER]
    for clause in texts:
        if isinstance(clause, Phrase) and not clause.title_only:
            s = run([(clause.span, clause.text)], f"“{clause.text}”不加引号")
            if s is not None:
                instead.append(s)
    if query.excluded:
        s = run([(c.span, "") for c in query.excluded],
                "不排除" + "、".join(f"“{_typed(query, c).lstrip('-－')}”" for c in query.excluded))
        if s is not None:
            instead.append(s)
    # Each filter (and the dates, together) left out in turn; all of them only if no one alone helps.
    limits: list[tuple[str, list[tuple[int, int]]]] = [
        (_FILTER_NAMES[c.kind], [c.span]) for c in query.required if isinstance(c, Filter)]
    if query.date_spans:
        limits.append(("时间", list(query.date_spans)))
    if texts and limits:
        offered = [run([(span, "") for span in spans], "不限" + name) for name, spans in limits]
        instead += [s for s in offered if s is not None]
        unlimited = "不限" + "、".join(dict.fromkeys(name for name, _ in limits))
        every = [(span, "") for _, spans in limits for span in spans]
        if len(limits) > 1 and not any(offered):
            s = run(every, unlimited)
            if s is not None:
                instead.append(s)
        if not instead:  # nothing even without the limits: what the words alone would need
            try:
                free = parse(edited(query.text, every))
            except QueryError:
                free = None
            if free is not None:
                instead += [replace(s, label=f"{unlimited}，{s.label}") for s in hints(free, count, parse).instead]
    return Hints(parts, instead)


def _typed(query: Query, clause: Clause) -> str:
    start, end = clause.span
    return query.text[start:end]


@dataclass(frozen=True)
class _Unit:
    """One part of the query a reader would think of on its own.

    Usually a clause (dropped by cutting its span). When the query is a single unquoted word that
    segmentation split (宇宙飞船火星 → 宇宙飞船 · 火星), its pieces: dropping one rewrites the word.
    """

    label: str
    span: tuple[int, int]
    piece: bool = False


def _units(query: Query, texts: Sequence[Clause]) -> list[_Unit]:
    if len(texts) == 1:
        only = texts[0]
        if isinstance(only, Words) and not only.exact and len(only.pieces) > 1:
            return [_Unit(piece, only.span, piece=True) for piece in only.pieces]
        return []
    return [_Unit(_typed(query, c), c.span) for c in texts]


def _keep(units: list[_Unit], kept: set[int]) -> list[Edit]:
    if units[0].piece:
        return [(units[0].span, " ".join(u.label for i, u in enumerate(units) if i in kept))]
    return [(u.span, "") for i, u in enumerate(units) if i not in kept]
