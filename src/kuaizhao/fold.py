"""Folding: one character for one character, so that 經濟 finds 经济 and offsets stay the original's.

Every character maps to one character (so offsets into the folded text are offsets into the
original, which is what KWIC snippets are cut on):

- NFKC where it yields a single character (full-width ＡＢＣ１２３ and punctuation, compatibility
  ideographs, circled digits); characters whose NFKC form is longer (…, ㎡, ⑩) are kept as they are;
- lower case;
- traditional → simplified with OpenCC's `t2s` character table, applied per character. Phrase-level
  conversion would be more idiomatic for display, but a per-character map is what matching needs:
  a query folds the same way whatever context the document gave the character.

The fold is a 65,536-entry table over the Basic Multilingual Plane applied with numpy, so a batch
of documents folds at memory speed (`unicodedata.normalize` costs ~110 ns per character here, more
than everything else together). Characters outside the BMP (rare CJK extensions, emoji) are kept.

Search (documents and queries) and story clustering (reprint shingles) both read text through
this module, which is why it sits below both: it needs nothing of Kuaizhao.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Separates documents inside one batch string (search.tokenize); folds to itself and is never a
# word character.
DOC_SEPARATOR = "\x01"
DOC_CODE = ord(DOC_SEPARATOR)

@dataclass(frozen=True)
class Tables:
    fold: npt.NDArray[np.uint32]  # code point -> folded code point, over the BMP
    word: npt.NDArray[np.bool_]  # folded code point -> is a word character
    digest: str  # identifies the tables; an index built with other tables must be rebuilt


@functools.cache
def tables() -> Tables:
    """Build the fold and word tables once per process (~0.2 s)."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    fold = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        nfkc = unicodedata.normalize("NFKC", ch)
        if len(nfkc) == 1:
            ch = nfkc
        lower = ch.lower()
        if len(lower) == 1:
            ch = lower
        fold[cp] = ord(ch)
    # OpenCC over the whole CJK block at once (one call), character by character.
    cjk = [cp for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Lo"]
    source = "".join(chr(int(fold[cp])) for cp in cjk)
    converted = t2s.convert(source)
    if len(converted) == len(source):
        for cp, out in zip(cjk, converted, strict=True):
            fold[cp] = ord(out)
    else:  # a multi-character mapping somewhere: fall back to one call per character
        for cp in cjk:
            out = t2s.convert(chr(int(fold[cp])))
            if len(out) == 1:
                fold[cp] = ord(out)
    word = np.array([chr(cp).isalnum() for cp in range(0x10000)], dtype=np.bool_)
    word[ord(DOC_SEPARATOR)] = False
    digest = hashlib.sha256(fold.tobytes() + word.tobytes()).hexdigest()[:16]
    return Tables(fold=fold, word=word, digest=digest)


def to_codes(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def from_codes(codes: npt.NDArray[np.uint32]) -> str:
    return codes.tobytes().decode("utf-32-le")


def fold_codes(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    t = tables()
    bmp = codes < 0x10000
    if bmp.all():
        return t.fold[codes]
    return np.where(bmp, t.fold[np.where(bmp, codes, 0)], codes).astype(np.uint32)


def word_mask(folded: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    t = tables()
    bmp = folded < 0x10000
    if bmp.all():
        return t.word[folded]
    # Outside the BMP: CJK extensions B+ (U+20000…) are word characters, the rest (emoji) are not.
    return np.where(bmp, t.word[np.where(bmp, folded, 0)], folded >= 0x20000)


def fold(text: str) -> str:
    """The folded text: same length as `text`, character for character."""
    if not text:
        return text
    return from_codes(fold_codes(to_codes(text)))


def word_codes(text: str) -> npt.NDArray[np.uint32]:
    """The folded code points of a text's word characters: what it says, whatever its spacing,
    punctuation, width or script (reprint shingles are made of these)."""
    if not text:
        return np.empty(0, dtype=np.uint32)
    folded = fold_codes(to_codes(text))
    return folded[word_mask(folded)]


def key_of(word_codes: npt.NDArray[np.uint32]) -> int:
    digest = hashlib.blake2b(word_codes.astype("<u4", copy=False).tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def content_key(folded_text: str) -> int:
    """A u64 identifying a text's words, whatever its spacing, punctuation, script or width.

    The hash of the text's word characters (the word table's, as UTF-32), so that it can be taken
    straight from the code points a batch has already folded (`analyse_batch`).
    """
    folded = to_codes(folded_text)
    return key_of(folded[word_mask(folded)])


def word_runs(folded_text: str) -> list[str]:
    """The runs of word characters in a folded text (what separators split it into)."""
    if not folded_text:
        return []
    word = word_mask(to_codes(folded_text))
    runs: list[str] = []
    start = None
    for i, is_word in enumerate(word.tolist()):
        if is_word and start is None:
            start = i
        elif not is_word and start is not None:
            runs.append(folded_text[start:i])
            start = None
    if start is not None:
        runs.append(folded_text[start:])
    return runs

