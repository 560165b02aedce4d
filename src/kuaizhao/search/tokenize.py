"""The token streams documents and queries are indexed and matched by: words and character bigrams.

Text is folded first (`kuaizhao.fold`: width, case and script, one character for one). Two token
streams come out of the folded text, both as whitespace-separated strings that tantivy's
`whitespace` tokenizer splits natively (building `tantivy.Token` objects in Python costs ~600 ns a
token, three times our whole indexing budget; see docs/search.md):

- **words**: rjieba `cut_for_search` tokens, for BM25 ranking (indexed with frequencies only);
- **bigrams**: for every word character (letters, digits, CJK), the bigram it starts when the next
  character belongs to the same run, else the character alone. One token per word character, so a
  token's position is the index of its character among the word characters of the text; separators
  (spaces, punctuation, symbols) make no token. An exact phrase is then a positional phrase query
  over a few of these tokens (`phrase_tokens`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import rjieba

from ..fold import DOC_CODE, DOC_SEPARATOR, fold_codes, from_codes, key_of, to_codes, word_mask, word_runs

_SPACE = 0x20

def _bigram_codes(folded: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Three code points per character: the token it starts (one or two characters), then spaces."""
    n = len(folded)
    word = word_mask(folded)
    out = np.full((n, 3), _SPACE, dtype=np.uint32)
    # Separators make no token; the document separator survives so that a batch can be split.
    out[:, 0] = np.where(word | (folded == DOC_CODE), folded, _SPACE)
    if n > 1:
        pairs = word[:-1] & word[1:]
        out[:-1, 1] = np.where(pairs, folded[1:], _SPACE)
    return out.reshape(-1)


def bigrams(folded_text: str) -> str:
    """The bigram stream of one folded text, as whitespace-separated tokens."""
    if not folded_text:
        return ""
    return from_codes(_bigram_codes(to_codes(folded_text.replace(DOC_SEPARATOR, " "))))


def words(folded_text: str) -> str:
    """The words stream of one folded text: rjieba search-mode tokens separated by spaces."""
    return " ".join(rjieba.cut_for_search(folded_text))


@dataclass(frozen=True)
class Analysed:
    """The two token streams of one text, ready for the index, and its content key."""

    words: str
    bigrams: str
    key: int  # u64 of the folded word characters: equal for copies that differ in spacing or punctuation


def analyse_batch(texts: Sequence[str]) -> list[Analysed]:
    """Fold and tokenise many texts at once: one numpy pass and one rjieba call for the batch.

    rjieba releases the GIL while it segments, so two threads running this on different batches
    use both cores.
    """
    if not texts:
        return []
    joined = DOC_SEPARATOR.join(t.replace(DOC_SEPARATOR, " ") for t in texts)
    folded = fold_codes(to_codes(joined))
    folded_text = from_codes(folded)
    word_parts = " ".join(rjieba.cut_for_search(folded_text)).split(DOC_SEPARATOR)
    bigram_parts = from_codes(_bigram_codes(folded)).split(DOC_SEPARATOR)
    # Content keys from the folded code points: each document's word characters, hashed.
    word = word_mask(folded)
    ends = [*np.flatnonzero(folded == DOC_CODE).tolist(), len(folded)]
    starts = [0] + [e + 1 for e in ends[:-1]]
    keys = [key_of(folded[a:b][word[a:b]]) for a, b in zip(starts, ends, strict=True)]
    if not len(word_parts) == len(bigram_parts) == len(keys) == len(texts):
        raise AssertionError("document separator lost in analysis")
    return [Analysed(w, b, k) for w, b, k in zip(word_parts, bigram_parts, keys, strict=True)]


# --- queries ------------------------------------------------------------------------------------


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
