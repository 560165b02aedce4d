"""Keyword-in-context excerpts, cut on character offsets of the original text.

Matching runs on the folded text (fold.fold keeps offsets: one character in, one out), so a
traditional or full-width original is excerpted as it was written while the simplified query
still finds it. Cuts are moved off word boundaries' wrong side: to the nearest separator when
one is close, else to a word boundary found by rjieba, so a name (特朗普, 宋峥嵘, 普京·某某) is never
cut in half; then off the inside of brackets and quotes, so a fragment does not open on
`新闻联播）：` or stop just after `《`; the excerpt is escaped after cutting, so no HTML entity is
ever split either.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from .. import fold
from . import tokenize

ELLIPSIS = "…"
_JOINERS = {"·", "•", "‧", "・", "-", "—", "'", "’", "&"}  # inside names and compounds: not a boundary
_NEAR = 6  # how far (characters) a cut may move to reach a separator


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    term: int  # which query term matched


def find_spans(text: str, terms: list[str]) -> list[Span]:
    """Every occurrence of each folded term in the folded text, leftmost-longest, not overlapping."""
    if not text or not terms:
        return []
    folded = fold.fold(text)
    spans: list[Span] = []
    for index, term in enumerate(terms):
        pattern = _pattern(term)
        if pattern is None:
            continue
        spans.extend(Span(m.start(), m.end(), index) for m in pattern.finditer(folded))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for span in spans:
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out


@functools.lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern[str] | None:
    """A phrase's runs in order, any separators between them (as the index matches it). Cached: a
    result page excerpts ten texts and ten titles for the same terms."""
    runs = fold.word_runs(term)
    if not runs:
        return None
    return re.compile(r"[\W_]+".join(re.escape(r) for r in runs))


def excerpt(text: str, terms: list[str], width: int = 120, fragments: int = 3) -> str:
    """HTML: up to `fragments` pieces of `text` around matches of `terms`, ~`width` characters in
    all, matches in <mark>, cuts shown as …. With no match, the opening of the text."""
    spans = find_spans(text, terms)
    if not spans:
        end = _cut_end(text, min(len(text), width))
        return _plain(text[:end]).strip() + (ELLIPSIS if end < len(text) else "")
    windows = _choose(text, spans, width, fragments)
    parts = []
    for start, end in windows:
        inside = [s for s in spans if s.start >= start and s.end <= end]
        parts.append(_render(text, start, end, inside))
    out = ELLIPSIS.join(parts)
    if windows[0][0] > 0:
        out = ELLIPSIS + out
    if windows[-1][1] < len(text):
        out += ELLIPSIS
    return out


def _choose(text: str, spans: list[Span], width: int, fragments: int) -> list[tuple[int, int]]:
    """Windows around matches: the first match of each term, then further matches, in text order."""
    firsts = list({s.term: s for s in reversed(spans)}.values())  # each term's first match
    firsts.sort(key=lambda s: s.start)
    rest = [s for s in spans if s not in firsts]
    picked = (firsts + rest)[: max(1, fragments)]
    per = max(24, width // len(picked))
    windows: list[tuple[int, int]] = []
    for span in sorted(picked, key=lambda s: s.start):
        if windows and span.end <= windows[-1][1]:
            continue  # already shown by the previous window
        room = max(0, per - (span.end - span.start))
        start = max(0, span.start - room // 2)
        end = min(len(text), start + max(per, span.end - start))
        start = max(0, min(start, end - per))
        start, end = _cut_start(text, start, span.start), _cut_end(text, end, span.end)
        if windows and start <= windows[-1][1] + 2:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


_SPACES = re.compile(r"\s+")


def _plain(piece: str) -> str:
    """Escaped, with line breaks and space runs shown as one space (an excerpt is one line)."""
    return html.escape(_SPACES.sub(" ", piece))


def _render(text: str, start: int, end: int, spans: list[Span]) -> str:
    out = []
    at = start
    for span in spans:
        out.append(_plain(text[at : span.start]))
        out.append("<mark>" + _plain(text[span.start : span.end]) + "</mark>")
        at = span.end
    out.append(_plain(text[at:end]))
    return "".join(out).strip()


def _is_separator(ch: str) -> bool:
    return ch not in _JOINERS and not ch.isalnum() and not unicodedata.combining(ch)


def _cut_start(text: str, start: int, limit: int) -> int:
    """Move a window's start to a boundary: just after a separator nearby, else a word start; then
    off the inside of brackets and quotes it would open in (see `_balanced_start`)."""
    if start <= 0:
        return 0
    return _balanced_start(text, _boundary_start(text, start, limit), limit)


def _boundary_start(text: str, start: int, limit: int) -> int:
    for i in range(start, min(limit, start + _NEAR)):
        if _is_separator(text[i - 1]):
            return i
    for i in range(start, max(0, start - _NEAR), -1):
        if _is_separator(text[i - 1]):
            return i
    return _word_boundary(text, start, limit, forward=True)


# Brackets and quotes: a fragment that shows a closing mark without its opening one (`新闻联播）：…`,
# `”海闻建议…`) reads as garbage; so does one that stops after an opening mark.
_CLOSERS = {"）": "（", ")": "(", "”": "“", "》": "《", "】": "【", "」": "「", "』": "『", "]": "[", "〉": "〈"}
_OPENERS = {v: k for k, v in _CLOSERS.items()}
_BRACKET_REACH = 12  # how far (characters) an end may move to take in a closing mark


def _balanced_start(text: str, start: int, limit: int) -> int:
    """Include an opening mark the start was put just after; skip past a closing mark (and the
    punctuation after it) whose opening mark is before the start, when it comes before the match."""
    while start > 0 and text[start - 1] in _OPENERS:
        start -= 1
    open_marks: list[str] = []
    past = start
    for i in range(start, limit):
        ch = text[i]
        if ch in _OPENERS:
            open_marks.append(ch)
        elif ch in _CLOSERS:
            if open_marks and open_marks[-1] == _CLOSERS[ch]:
                open_marks.pop()
            elif not open_marks:
                past = i + 1
    while past < limit and _is_separator(text[past]) and text[past] not in _OPENERS:
        past += 1
    return past


def _balanced_end(text: str, start: int, end: int) -> int:
    """Take in the closing mark of one opened after `start` (the match's end) when it is near;
    else end before the opening mark when that loses only a few characters."""
    open_at: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS:
            open_at.append(i)
        elif ch in _CLOSERS and open_at and text[open_at[-1]] == _CLOSERS[ch]:
            open_at.pop()
    if not open_at:
        return end
    first = open_at[0]
    closing = text.find(_OPENERS[text[first]], end, end + _BRACKET_REACH)
    if len(open_at) == 1 and closing >= 0:
        return closing + 1
    if first > start and end - first <= _BRACKET_REACH:  # only a few characters lost
        return first
    return end


def _cut_end(text: str, end: int, limit: int = 0) -> int:
    """Move a window's end to a boundary: at a separator nearby, else a word end; then so that it
    does not stop inside brackets or quotes opened after the match (see `_balanced_end`)."""
    if end >= len(text):
        return len(text)
    return _balanced_end(text, limit, _boundary_end(text, end, limit))


def _boundary_end(text: str, end: int, limit: int) -> int:
    for i in range(end, max(limit, end - _NEAR), -1):
        if _is_separator(text[i]):
            return i + 1 if text[i] in "，。！？；：、,.!?;:)）」』”" else i
    for i in range(end, min(len(text), end + _NEAR)):
        if _is_separator(text[i]):
            return i
    return _word_boundary(text, end, limit, forward=False)


def _word_boundary(text: str, at: int, limit: int, forward: bool) -> int:
    """The word boundary (by rjieba) nearest to `at` that keeps the match inside the window."""
    lo, hi = max(0, at - 12), min(len(text), at + 12)
    inner = _boundaries(text[lo:hi], lo)
    candidates = [b for b in inner if b <= limit] if forward else [b for b in inner if b >= limit]
    if not candidates:
        return at
    best = min(candidates, key=lambda b: (abs(b - at), b))
    # Never split a combining mark or a surrogate from its base (cannot happen in Python strings,
    # but combining sequences can): step over them.
    while 0 < best < len(text) and unicodedata.combining(text[best]):
        best += 1 if not forward else -1
    return best


def _boundaries(piece: str, offset: int) -> set[int]:
    """Where `piece` may be cut (offsets into the text it was taken from): between rjieba's words,
    with names put back together (tokenize.tagged_words: 宋峥嵘, not 宋 · 峥嵘); a joiner
    (特朗普·约翰逊) binds the words on both sides of it."""
    out = set()
    at = 0
    previous = ""
    for word, _, _ in tokenize.tagged_words(piece):
        if at > 0 and word not in _JOINERS and previous not in _JOINERS:
            out.add(offset + at)
        at += len(word)
        previous = word
    return out


def lead(text: str, width: int = 60) -> str:
    """The opening of a text as one line, cut at a boundary (plain text, not escaped)."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    return line[: _cut_end(line, width)].rstrip() + ELLIPSIS
