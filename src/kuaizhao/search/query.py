"""A parsed query: its clauses (words, phrases, either-or, filters), its dates, and how it was
understood, in the reader's terms. parse.py makes one from what a reader typed; compile.py turns
it into tantivy queries; relax.py edits it when it finds nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Words:
    """An unquoted word; `pieces` are the folded words it was segmented into.

    When segmentation breaks it into single characters (中美 → 中 · 美, 习主席 → 习 · 主席), the
    pieces are no words a reader meant: `exact` is then the folded word, matched as the characters
    typed, contiguous (its pieces still rank), instead of one-character words anywhere in the text.
    """

    text: str
    pieces: tuple[str, ...]
    title_only: bool = False
    exact: str = ""
    span: tuple[int, int] = field(default=(0, 0), compare=False)  # where it was typed in Query.text


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: matches the exact (folded) substring."""

    text: str
    folded: str
    title_only: bool = False
    span: tuple[int, int] = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class AnyOf:
    """`a OR b OR …`"""

    options: tuple[Words | Phrase, ...]

    @property
    def span(self) -> tuple[int, int]:
        return self.options[0].span[0], self.options[-1].span[1]


@dataclass(frozen=True)
class Filter:
    kind: str  # site / source / category / status
    value: str  # as typed
    key: str  # as matched in the index
    span: tuple[int, int] = field(default=(0, 0), compare=False)


Clause = Words | Phrase | AnyOf | Filter


@dataclass(frozen=True)
class Query:
    text: str
    required: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    after: datetime | None = None
    before: datetime | None = None
    notes: tuple[str, ...] = field(default=())  # what was ignored, for the reader
    date_spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # after: and before: as typed

    @property
    def is_empty(self) -> bool:
        return not (self.required or self.excluded or self.after or self.before)

    @property
    def has_limits(self) -> bool:
        """Whether anything beyond words and phrases narrows it: filters, dates, exclusions."""
        return bool(self.excluded or self.after or self.before or any(isinstance(c, Filter) for c in self.required))

    @property
    def has_text(self) -> bool:
        """Whether anything ranks (words or phrases), as opposed to filters only."""
        return any(not isinstance(c, Filter) for c in self.required)

    def highlight_terms(self) -> list[str]:
        """Folded strings to mark in excerpts: every positive word piece and phrase."""
        out: list[str] = []
        for clause in self.required:
            options = clause.options if isinstance(clause, AnyOf) else (clause,)
            for option in options:
                if isinstance(option, Words):
                    out.extend([option.exact] if option.exact else option.pieces)
                elif isinstance(option, Phrase):
                    out.append(option.folded)
        return list(dict.fromkeys(out))

    def explain(self) -> str:
        """How the query was understood, in the reader's terms (shown above the results)."""
        parts = [_explain(c) for c in self.required]
        parts += ["不含 " + _explain(c) for c in self.excluded]
        if self.after:
            parts.append(f"{self.after:%Y-%m-%d} 起")
        if self.before:
            parts.append(f"{self.before:%Y-%m-%d} 前")
        return "；".join(parts)


def _explain(clause: Clause) -> str:
    if isinstance(clause, Words):
        text = clause.text if clause.exact else " · ".join(clause.pieces)
        return f"标题含 {text}" if clause.title_only else text
    if isinstance(clause, Phrase):
        return f"标题含“{clause.text}”" if clause.title_only else f"“{clause.text}”"
    if isinstance(clause, AnyOf):
        return "（" + " 或 ".join(_explain(o) for o in clause.options) + "）"
    names = {"site": "网站", "source": "来源", "category": "类别", "status": "原文状态"}
    return f"{names[clause.kind]}：{clause.value}"
