"""The difference of two texts, sentence by sentence, and of changed sentences character by character.

PURE: no Django, no I/O. Chinese has no spaces, so a word diff has no words to work on and a line
diff is too coarse (a paragraph is often one line); the sentence is the unit a reader compares.

- Sentences end at 。！？； (and ! ?), keep their delimiter, the closing quotes or brackets after it
  (。” stays with its sentence) and the spacing and line breaks that follow: joining the sentences
  gives the text back, character for character.
- The two sentence lists are aligned with difflib; inside a stretch that differs, old and new
  sentences are paired by similarity (character bigrams), so a sentence with one figure corrected
  is one changed sentence, not a deletion and an insertion. Paired sentences are diffed by
  character, with one-character coincidences inside a rewrite folded into it (a reader sees 改写
  of a clause, not a sieve of single characters).
- With `normalise=True`, spacing, full/half width and quote styles (“” 「」 "") are noise:
  sentences equal apart from them are equal, and a diff of noise alone is empty. Each piece of
  a diff still carries both sides exactly, so `apply(old, diff)` gives `new` in both modes.

`significance` is the share of characters changed: (deleted + inserted) / (old + new), spacing
not counted, 0 for identical texts and 1 for texts with nothing in common.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Literal

from . import pairing

SpanOp = Literal["equal", "delete", "insert"]
BlockOp = Literal["equal", "delete", "insert", "change"]

# A sentence: anything up to a delimiter run, closing quotes or brackets, then spacing and line
# breaks; or a line without a delimiter. Matches only empty at the end of the text.
_SENTENCE = re.compile(r"[^。！？；!?\n]*(?:[。！？；!?]+[”’」』）)\]】》〉\"']*)?[^\S\n]*\n*")
# Quote styles that mean the same quotation (after NFKC, which maps ＂ and ＇).
_QUOTES = str.maketrans(dict.fromkeys("“”„‟「」〝〞〟", '"') | dict.fromkeys("‘’‚‛『』", "'"))
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[0-9０-９]+(?:[.．,][0-9０-９]+)*|[A-Za-zＡ-Ｚａ-ｚ]+|.", re.DOTALL)


@dataclass(frozen=True)
class Span:
    """A piece of a changed sentence: `old` and `new` are equal for "equal" (up to noise when
    normalised); "delete" has only `old`, "insert" only `new`."""

    op: SpanOp
    old: str
    new: str


@dataclass(frozen=True)
class Block:
    """A run of sentences: equal, deleted, inserted, or one sentence changed (with its `spans`)."""

    op: BlockOp
    old: tuple[str, ...]
    new: tuple[str, ...]
    spans: tuple[Span, ...] = ()

    @property
    def substantive(self) -> bool:
        """Whether it changes more than spacing (a line break added after a sentence does not)."""
        if self.op == "equal":
            return False
        if self.op == "change":
            return any(weight(s.old) + weight(s.new) for s in self.spans if s.op != "equal")
        return any(weight(s) for s in self.old + self.new)


@dataclass(frozen=True)
class TextDiff:
    blocks: tuple[Block, ...]
    old_chars: int  # characters of the old text, spacing not counted
    new_chars: int
    changed_chars: int  # deleted + inserted characters, spacing not counted
    normalised: bool = False
    changed: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "changed", any(b.op != "equal" for b in self.blocks))

    @property
    def significance(self) -> float:
        """Share of characters changed, in [0, 1]."""
        total = self.old_chars + self.new_chars
        return min(1.0, self.changed_chars / total) if total else 0.0

    def counts(self) -> dict[str, int]:
        """Sentences changed, deleted and inserted (changes of spacing alone not counted)."""
        real = [b for b in self.blocks if b.substantive]
        return {"changed": sum(b.op == "change" for b in real),
                "deleted": sum(len(b.old) for b in real if b.op == "delete"),
                "inserted": sum(len(b.new) for b in real if b.op == "insert")}


def sentences(text: str) -> list[str]:
    """The text cut into sentences; `"".join(sentences(t)) == t`. A blank line stays with the
    sentence before it (or, at the start, the one after it): spacing is never a sentence."""
    out: list[str] = []
    lead = ""
    for s in _SENTENCE.findall(text):
        if not s:
            continue
        if s.isspace():
            if out:
                out[-1] += s
            else:
                lead += s
            continue
        out.append(lead + s)
        lead = ""
    if lead:
        out.append(lead)
    return out


def noise_key(text: str) -> str:
    """The text with noise removed: width folded (NFKC), quote styles unified, spacing dropped."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES))


_CHAR_KEYS: dict[str, str] = {}


def _noise_sentences(text: str) -> tuple[list[str], list[str]]:
    """Sentences and their noise keys, cut where the noise-free text has its sentence ends (so a
    line break or a space added inside a sentence, or between its end and its closing quote, cuts
    nothing: it is noise). Spacing rides with the sentence before it."""
    starts, offsets, keys = [], [], []  # per kept character: its index, where its key starts, its key
    length = 0
    for i, c in enumerate(text):
        k = _CHAR_KEYS.get(c)
        if k is None:
            k = _CHAR_KEYS[c] = noise_key(c)
        if k:
            starts.append(i)
            offsets.append(length)
            keys.append(k)
            length += len(k)
    if not keys:
        return ([text], [""]) if text else ([], [])
    key_text = "".join(keys)
    bounds, end = [0], 0  # kept characters at which a sentence starts
    for sent in _SENTENCE.findall(key_text)[:-1]:
        end += len(sent)
        j = bisect_left(offsets, end)  # the first character whose key starts at or after the end
        if bounds[-1] < j < len(keys):
            bounds.append(j)
    cuts = [0, *(starts[j] for j in bounds[1:]), len(text)]
    key_cuts = [*(offsets[j] for j in bounds), length]
    return [text[x:y] for x, y in pairwise(cuts)], [key_text[x:y] for x, y in pairwise(key_cuts)]


def weight(text: str) -> int:
    """Characters that count in the figures: all but spacing."""
    return len(text) - sum(1 for c in text if c.isspace())


def diff(old: str, new: str, *, normalise: bool = False) -> TextDiff:
    """The sentence-by-sentence difference from `old` to `new`."""
    if normalise:
        (a, ka), (b, kb) = _noise_sentences(old), _noise_sentences(new)
    else:
        a = ka = sentences(old)
        b = kb = sentences(new)
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(blocks, Block("equal", tuple(a[i1:i2]), tuple(b[j1:j2])))
        else:
            for block in _stretch(a[i1:i2], b[j1:j2], ka[i1:i2], kb[j1:j2], normalise):
                _push(blocks, block)
    changed = 0
    for block in blocks:
        if block.op in ("delete", "insert"):
            changed += weight("".join(block.old)) + weight("".join(block.new))
        elif block.op == "change":
            changed += sum(weight(s.old) + weight(s.new) for s in block.spans if s.op != "equal")
    return TextDiff(tuple(blocks), weight(old), weight(new), changed, normalise)


def apply(old: str, d: TextDiff) -> str:
    """The new text, from the old one and their diff; ValueError if the diff is not of this text."""
    out: list[str] = []
    at = 0
    for block in d.blocks:
        taken = "".join(block.old)
        if old[at : at + len(taken)] != taken:
            raise ValueError(f"the diff does not apply at character {at}")
        at += len(taken)
        if block.op == "change":
            if "".join(s.old for s in block.spans) != taken:
                raise ValueError(f"a changed sentence's pieces do not make it up at character {at}")
            out.extend(s.new for s in block.spans)
        else:
            out.extend(block.new)
    if at != len(old):
        raise ValueError(f"the diff ends at character {at} of {len(old)}")
    return "".join(out)


def char_spans(old: str, new: str, *, normalise: bool = False) -> tuple[Span, ...]:
    """One sentence (or headline) against another, character by character."""
    ta, tb = _tokens(old, normalise), _tokens(new, normalise)
    matcher = SequenceMatcher(None, [t for t, _ in ta], [t for t, _ in tb], autojunk=False)
    # Token boundaries in the original strings: a token's span runs to the next token's start
    # (spacing dropped by the noise key rides with the token before it; leading spacing with the first).
    sa = [0] + [i for _, i in ta[1:]] + [len(old)]
    sb = [0] + [i for _, i in tb[1:]] + [len(new)]
    raw: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        o, n = old[sa[i1] : sa[i2]], new[sb[j1] : sb[j2]]
        if tag == "equal":
            raw.append(Span("equal", o, n))
        else:
            if o:
                raw.append(Span("delete", o, ""))
            if n:
                raw.append(Span("insert", "", n))
    return _tidy(raw)


def _tokens(text: str, normalise: bool) -> list[tuple[str, int]]:
    """(token, start) for a character diff: a number or a Latin word is one token (532 → 553 reads
    as one figure replaced, not as 5⁺5 3 2⁻), any other character is one."""
    if not normalise:
        return [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    out = [(k, m.start()) for m in _TOKEN.finditer(text) if (k := noise_key(m.group()))]
    return out or [("", 0)] if text else []


def _tidy(spans: list[Span]) -> tuple[Span, ...]:
    """Fold short coincidences inside a rewrite into it, and merge each run of edits into one
    deletion followed by one insertion."""
    out: list[Span] = []
    for k, span in enumerate(spans):
        if span.op == "equal" and 0 < k < len(spans) - 1 and len(span.old) <= 2:
            before = sum(len(s.old) + len(s.new) for s in spans[max(0, k - 2) : k] if s.op != "equal")
            after = sum(len(s.old) + len(s.new) for s in spans[k + 1 : k + 3] if s.op != "equal")
            if before > len(span.old) and after > len(span.old):
                out.extend([Span("delete", span.old, ""), Span("insert", "", span.new)])
                continue
        out.append(span)
    merged: list[Span] = []
    k = 0
    while k < len(out):
        if out[k].op == "equal":
            merged.append(out[k])
            k += 1
            continue
        dels, ins = [], []
        while k < len(out) and out[k].op != "equal":
            dels.append(out[k].old)
            ins.append(out[k].new)
            k += 1
        if "".join(dels):
            merged.append(Span("delete", "".join(dels), ""))
        if "".join(ins):
            merged.append(Span("insert", "", "".join(ins)))
    return tuple(merged)


def _push(blocks: list[Block], block: Block) -> None:
    """Append, merging a run of the same operation (changes stay one sentence each)."""
    if blocks and block.op == blocks[-1].op and block.op != "change":
        last = blocks[-1]
        blocks[-1] = Block(last.op, last.old + block.old, last.new + block.new)
    else:
        blocks.append(block)


def _stretch(a: Sequence[str], b: Sequence[str], ka: Sequence[str], kb: Sequence[str],
             normalise: bool) -> Iterator[Block]:
    """A stretch the alignment found different: pairs of similar sentences become changes."""
    pairs = pairing.pairs(ka, kb)
    i = j = 0
    for pi, pj in [*pairs, (len(a), len(b))]:
        if i < pi:
            yield Block("delete", tuple(a[i:pi]), ())
        if j < pj:
            yield Block("insert", (), tuple(b[j:pj]))
        if pi < len(a):
            spans = char_spans(a[pi], b[pj], normalise=normalise)
            op: BlockOp = "change" if any(s.op != "equal" for s in spans) else "equal"
            yield Block(op, (a[pi],), (b[pj],), spans if op == "change" else ())
        i, j = pi + 1, pj + 1
