"""Two versions of an article compared: headline, byline and body apart, the change classified.

PURE: no Django, no I/O (`versions.py` feeds it snapshots). NYTdiff's lesson: a reader (and an
alert) cares first whether the headline changed, then the lead, then the rest; a byline or an
added correction note (更正 / 编者按) says something of its own. What kind of change it was is
decided on the noise-free comparison (diff.noise_key: spacing, width, quote styles), so that a
change of nothing but noise is called that and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from . import diff as textdiff


class Part(StrEnum):
    """What changed between two versions (several at once, in this order)."""

    HEADLINE = "headline"  # the title
    LEAD = "lead"  # the first paragraph
    BODY = "body"  # any later paragraph (a correction note alone is not counted here)
    BYLINE = "byline"  # 作者, 来源, 本文转自
    CORRECTION = "correction"  # a 更正 / 编者按 / 勘误 note appeared
    NOISE = "noise"  # the texts differ in spacing, width or quote style only

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Part.HEADLINE: "标题", Part.LEAD: "导语", Part.BODY: "正文", Part.BYLINE: "署名",
    Part.CORRECTION: "更正说明", Part.NOISE: "仅格式差异",
}

# A paragraph that is a correction or an editor's note: it starts with the label (in brackets or
# not), or says 特此更正 / 特此致歉.
_CORRECTION = re.compile(r"^\s*[【\[（(〔]?\s*(?:更正|勘误|编者按|编者注|编者的话|更正说明|更正声明|修正说明)"
                         r"|特此更正|特此勘误|特此致歉")


@dataclass(frozen=True)
class Version:
    """What is compared of one version of an article."""

    title: str
    text: str  # plain text, one paragraph a line
    byline: tuple[tuple[str, str], ...] = ()  # (label, value): ("作者", "张三、李四"), ("来源", "新华社")


@dataclass(frozen=True)
class BylineChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Comparison:
    title: tuple[textdiff.Span, ...]  # the headline, character by character (empty when unchanged)
    byline: tuple[BylineChange, ...]  # the byline entries that differ
    body: textdiff.TextDiff
    kinds: tuple[Part, ...]  # empty when the versions are the same
    significance: float  # share of headline and body characters changed, noise not counted

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def is_correction(paragraph: str) -> bool:
    return bool(_CORRECTION.search(paragraph))


def compare(old: Version, new: Version, *, normalise: bool = False) -> Comparison:
    """Compare two versions; `normalise` hides noise in what is shown (the kinds never count it)."""
    body = textdiff.diff(old.text, new.text, normalise=normalise)
    clean = body if normalise or not body.changed else textdiff.diff(old.text, new.text, normalise=True)
    title_key = (textdiff.noise_key(old.title), textdiff.noise_key(new.title))
    title_changed = title_key[0] != title_key[1]
    title: tuple[textdiff.Span, ...] = ()
    if title_changed or (not normalise and old.title != new.title):
        title = textdiff.char_spans(old.title, new.title, normalise=normalise)
    byline = _byline(old.byline, new.byline, normalise)
    kinds: list[Part] = []
    if title_changed:
        kinds.append(Part.HEADLINE)
    lead, rest = _where(clean, new.text)
    kinds += [k for k, hit in ((Part.LEAD, lead), (Part.BODY, rest)) if hit]
    if any(textdiff.noise_key(c.old) != textdiff.noise_key(c.new) for c in byline):
        kinds.append(Part.BYLINE)
    if _corrections(new.text) - _corrections(old.text):
        kinds.append(Part.CORRECTION)
    if not kinds and old != new:
        kinds.append(Part.NOISE)
    title_chars = textdiff.weight(old.title) + textdiff.weight(new.title)
    title_changed_chars = 0
    if title_changed:
        spans = textdiff.char_spans(old.title, new.title, normalise=True)
        title_changed_chars = sum(textdiff.weight(s.old) + textdiff.weight(s.new) for s in spans if s.op != "equal")
    total = title_chars + clean.old_chars + clean.new_chars
    significance = min(1.0, (title_changed_chars + clean.changed_chars) / total) if total else 0.0
    return Comparison(title, byline, body, tuple(kinds), significance)


def _byline(old: tuple[tuple[str, str], ...], new: tuple[tuple[str, str], ...],
            normalise: bool) -> tuple[BylineChange, ...]:
    a, b = dict(old), dict(new)
    out = []
    for label in dict.fromkeys([*a, *b]):
        x, y = a.get(label, ""), b.get(label, "")
        if (textdiff.noise_key(x) != textdiff.noise_key(y)) if normalise else x != y:
            out.append(BylineChange(label, x, y))
    return tuple(out)


def _corrections(text: str) -> set[str]:
    return {textdiff.noise_key(p) for p in text.split("\n") if is_correction(p)}


def _where(d: textdiff.TextDiff, new_text: str) -> tuple[bool, bool]:
    """Whether the changes touch the first paragraph, and whether they touch any later one. An
    inserted correction note is not a change of the body: it is reported as itself."""
    notes = {k for k, p in enumerate(new_text.split("\n")) if is_correction(p)}
    lead = rest = False
    pa = pb = 0  # paragraph of the next old / new sentence
    for block in d.blocks:
        if block.substantive:
            touched = _paragraphs(block.old, pa) | _paragraphs(block.new, pb)
            if not (block.op == "insert" and touched <= notes):
                lead |= 0 in touched
                rest |= bool(touched - {0})
        pa += sum(s.count("\n") for s in block.old)
        pb += sum(s.count("\n") for s in block.new)
    return lead, rest


def _paragraphs(sents: tuple[str, ...], start: int) -> set[int]:
    """The paragraph numbers the sentences with words in them belong to, counting from `start`."""
    out, at = set(), start
    for s in sents:
        if textdiff.weight(s):
            out.add(at)
        at += s.count("\n")
    return out
