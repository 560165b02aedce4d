"""One analysis for documents and queries: folding, the words stream and the character-bigram stream.

Folding maps every character to one character (so offsets into the folded text are offsets into
the original, which is what KWIC snippets are cut on):

- NFKC where it yields a single character (full-width ＡＢＣ１２３ and punctuation, compatibility
  ideographs, circled digits); characters whose NFKC form is longer (…, ㎡, ⑩) are kept as they are;
- lower case;
- traditional → simplified with OpenCC's `t2s` character table, applied per character. Phrase-level
  conversion would be more idiomatic for display, but a per-character map is what matching needs:
  a query folds the same way whatever context the document gave the character.

The fold is a 65,536-entry table over the Basic Multilingual Plane applied with numpy, so a batch
of documents folds at memory speed (`unicodedata.normalize` costs ~110 ns per character here, more
than everything else together). Characters outside the BMP (rare CJK extensions, emoji) are kept.

Two token streams come out of the folded text, both as whitespace-separated strings that tantivy's
`whitespace` tokenizer splits natively (building `tantivy.Token` objects in Python costs ~600 ns a
token, three times our whole indexing budget; see README "Search"):

- **words**: rjieba `cut_for_search` tokens, for BM25 ranking (indexed with frequencies only);
- **bigrams**: for every word character (letters, digits, CJK), the bigram it starts when the next
  character belongs to the same run, else the character alone. One token per word character, so a
  token's position is the index of its character among the word characters of the text; separators
  (spaces, punctuation, symbols) make no token. An exact phrase is then a positional phrase query
  over a few of these tokens (`phrase_tokens`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import rjieba

_SPACE = 0x20
# Separates documents inside one batch string; folds to itself and is never a word character.
_DOC_SEPARATOR = "\x01"
_DOC_CODE = ord(_DOC_SEPARATOR)


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
    word[ord(_DOC_SEPARATOR)] = False
    digest = hashlib.sha256(fold.tobytes() + word.tobytes()).hexdigest()[:16]
    return Tables(fold=fold, word=word, digest=digest)


def _codes(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _text(codes: npt.NDArray[np.uint32]) -> str:
    return codes.tobytes().decode("utf-32-le")


def _fold_codes(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    t = tables()
    bmp = codes < 0x10000
    if bmp.all():
        return t.fold[codes]
    return np.where(bmp, t.fold[np.where(bmp, codes, 0)], codes).astype(np.uint32)


def _word_mask(folded: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
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
    return _text(_fold_codes(_codes(text)))


def word_codes(text: str) -> npt.NDArray[np.uint32]:
    """The folded code points of a text's word characters: what it says, whatever its spacing,
    punctuation, width or script (reprint shingles are made of these)."""
    if not text:
        return np.empty(0, dtype=np.uint32)
    folded = _fold_codes(_codes(text))
    return folded[_word_mask(folded)]


def _bigram_codes(folded: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Three code points per character: the token it starts (one or two characters), then spaces."""
    n = len(folded)
    word = _word_mask(folded)
    out = np.full((n, 3), _SPACE, dtype=np.uint32)
    # Separators make no token; the document separator survives so that a batch can be split.
    out[:, 0] = np.where(word | (folded == _DOC_CODE), folded, _SPACE)
    if n > 1:
        pairs = word[:-1] & word[1:]
        out[:-1, 1] = np.where(pairs, folded[1:], _SPACE)
    return out.reshape(-1)


def bigrams(folded_text: str) -> str:
    """The bigram stream of one folded text, as whitespace-separated tokens."""
    if not folded_text:
        return ""
    return _text(_bigram_codes(_codes(folded_text.replace(_DOC_SEPARATOR, " "))))


def words(folded_text: str) -> str:
    """The words stream of one folded text: rjieba search-mode tokens separated by spaces."""
    return " ".join(rjieba.cut_for_search(folded_text))


@dataclass(frozen=True)
class Analysed:
    """The two token streams of one text, ready for the index, and its content key."""

    words: str
    bigrams: str
    key: int  # u64 of the folded word characters: equal for copies that differ in spacing or punctuation


def _key_of(word_codes: npt.NDArray[np.uint32]) -> int:
    digest = hashlib.blake2b(word_codes.astype("<u4", copy=False).tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def content_key(folded_text: str) -> int:
    """A u64 identifying a text's words, whatever its spacing, punctuation, script or width.

    The hash of the text's word characters (the word table's, as UTF-32), so that it can be taken
    straight from the code points a batch has already folded (`analyse_batch`).
    """
    codes = _codes(folded_text)
    return _key_of(codes[_word_mask(codes)])


def analyse_batch(texts: Sequence[str]) -> list[Analysed]:
    """Fold and tokenise many texts at once: one numpy pass and one rjieba call for the batch.

    rjieba releases the GIL while it segments, so two threads running this on different batches
    use both cores.
    """
    if not texts:
        return []
    joined = _DOC_SEPARATOR.join(t.replace(_DOC_SEPARATOR, " ") for t in texts)
    folded = _fold_codes(_codes(joined))
    folded_text = _text(folded)
    word_parts = " ".join(rjieba.cut_for_search(folded_text)).split(_DOC_SEPARATOR)
    bigram_parts = _text(_bigram_codes(folded)).split(_DOC_SEPARATOR)
    # Content keys from the folded code points: each document's word characters, hashed.
    word = _word_mask(folded)
    ends = np.flatnonzero(folded == _DOC_CODE).tolist() + [len(folded)]
    starts = [0] + [e + 1 for e in ends[:-1]]
    keys = [_key_of(folded[a:b][word[a:b]]) for a, b in zip(starts, ends, strict=True)]
    if not len(word_parts) == len(bigram_parts) == len(keys) == len(texts):
        raise AssertionError("document separator lost in analysis")
    return [Analysed(w, b, k) for w, b, k in zip(word_parts, bigram_parts, keys, strict=True)]


# --- queries ------------------------------------------------------------------------------------


def word_runs(folded_text: str) -> list[str]:
    """The runs of word characters in a folded text (what separators split it into)."""
    if not folded_text:
        return []
    word = _word_mask(_codes(folded_text))
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


@dataclass(frozen=True)
class PhraseToken:
    """One token a phrase needs at `position` (relative to the phrase's first character)."""

    position: int
    text: str
    prefix: bool = False  # the last character of the phrase: a bigram starting with it or itself


def phrase_tokens(folded_phrase: str) -> list[PhraseToken]:
    """The bigram-stream tokens that pin down `folded_phrase` as an exact substring.

    Every adjacent pair inside a run is needed, not every other one: separators take no position,
    so only the bigram at position i says that characters i and i+1 touch in the text. A run that
    a separator ends inside the phrase also needs its last character alone (that token exists only
    where a run ends), so "中国，美国" finds 中国, then any separators, then 美国. A phrase that ends
    in a one-character run ends with a prefix token: that character followed by anything, or alone.
    """
    runs = word_runs(folded_phrase)
    out: list[PhraseToken] = []
    base = 0
    for index, run in enumerate(runs):
        last_run = index == len(runs) - 1
        n = len(run)
        out.extend(PhraseToken(base + i, run[i : i + 2]) for i in range(n - 1))
        if n == 1 and last_run:
            out.append(PhraseToken(base, run, prefix=True))
        elif not last_run:
            out.append(PhraseToken(base + n - 1, run[-1]))
        base += n
    return out


# rjieba's (ICTCLAS) tags of words that continue a name after a lone surname: names (nr, nrt…),
# place names (杜 · 富国), and descriptive words (宋 · 峥嵘). Not common nouns: 池 · 先生 is how
# news names someone it does not name.
_NAME_PARTS = ("nr", "ns", "z")


class ReaderWord(NamedTuple):  # a tuple: an article has hundreds of words, made on every snapshot page
    text: str
    tag: str  # rjieba's part of speech (ICTCLAS tags: n noun, v verb, vn verbal noun, nr name…)
    glued: bool = False  # a name put back together from the pieces the segmenter cut it into


def tagged_words(text: str) -> list[ReaderWord]:
    """rjieba's words of a text, with their parts of speech and names put back together.

    The dictionary lacks most people, so the segmenter splits them (布林肯 → 布 · 林肯, 宋峥嵘 →
    宋 · 峥嵘), and a piece may be another word (林肯, Lincoln). Its tagger still marks the lone
    surname (布/nr): joined to a next word that can continue a name, and to the name parts after
    that (萨 · 金塔 · 耶夫), it gives the name, tagged nr and `glued` (the index has no such word, so
    it is matched as characters).
    """
    tagged = rjieba.tag(text)
    out: list[ReaderWord] = []
    i = 0
    while i < len(tagged):
        word, tag = tagged[i]
        i += 1
        if len(word) == 1 and tag.startswith("nr") and i < len(tagged) and tagged[i][1].startswith(_NAME_PARTS):
            word += tagged[i][0]
            i += 1
            while i < len(tagged) and tagged[i][1].startswith("nr"):
                word += tagged[i][0]
                i += 1
            out.append(ReaderWord(word, "nr", True))
            continue
        out.append(ReaderWord(word, tag))
    return out


def segment(folded_text: str) -> list[str]:
    """Split an unquoted query word into the words a reader meant (rjieba, default mode)."""
    return [w for w in rjieba.cut(folded_text) if _is_word_token(w)]


_WORD_TOKEN = re.compile(r"\w", re.UNICODE)


def _is_word_token(token: str) -> bool:
    return bool(token.strip()) and bool(_WORD_TOKEN.search(token))
