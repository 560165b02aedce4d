"""Related coverage for one article: its key phrases, and the other stories that contain them.

Key phrases come from index statistics: the article's naming words (nouns, names, places, verbal
nouns; rjieba's tags, with the names it splits put back together: 布林肯, not 布 · 林肯), and runs of
two or more words ending in one that recur in it (国家公园, not 专家 · 表示), weighted by
how often the article uses them and how rare they are in the archive (BM25's idf from document
frequencies). A word or phrase only this article has relates it to nothing and is skipped, as are
ones that more than a fifth of the archive has.

Related articles are those containing the best phrases, each phrase counting by its weight, and
once more when it is in their title (an article about the topic names it there; a roundup that
mentions it in passing does not). A key word matches as a word (the words fields), so 布林 finds
no 布林肯 and 海闻 no 上海闻名; a run of words matches as an exact substring (the bigram fields).
Among equal scores the articles nearest in time to this one come first: for news, coverage of the
same days is the related coverage. The article itself and other copies of its story are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import tantivy

from .. import fold
from . import tokenize
from .compile import substring_query
from .index import count_of, u64
from .parse import STOPWORDS

MAX_SHARE = 0.2  # a word in more than this share of documents says nothing about the topic…
MIN_CEILING = 50  # …unless the archive is so small that every topic is in a large share of it
NEAR_DAYS = 60  # candidates are also drawn from this many days either side, so that ties go to them
POOL = 4  # candidates read per related article shown, from each of the two searches


@dataclass(frozen=True)
class KeyPhrase:
    text: str  # folded
    weight: float
    df: int  # documents containing it
    word: bool = False  # one rjieba word, matched as a word; else a run of words, matched as a substring


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _candidate(word: str) -> bool:
    return len(word) >= 2 and word.isalnum() and not word.isdigit() and word not in STOPWORDS


# Key phrases name what an article is about: nouns, names, places, organisations, verbal nouns
# (改革, 建设), abbreviations and Latin words (the tagger's n…, vn, an, j, eng). A run of words may
# hold modifiers too (主要 · 毒品, 两岸 · 同胞) but ends in a naming word; a verb, adverb,
# preposition, pronoun, numeral or time word breaks it. So what an article says (专家 · 表示,
# 中国 · 认定, 签署 · 国务院令) is not taken for what it is about. The tagger errs now and then
# (印发/nz): one candidate more or less.
def _naming(tag: str) -> bool:
    return tag.startswith("n") or tag in ("vn", "an", "j", "eng")


def _in_run(tag: str) -> bool:
    return _naming(tag) or tag in ("a", "b", "f")


def key_phrases(
    searcher: tantivy.Searcher, schema: tantivy.Schema, title: str, text: str, limit: int = 3
) -> list[KeyPhrase]:
    """The article's `limit` best key phrases, most telling first, none inside another."""
    n = max(1, searcher.num_docs)
    ceiling = max(n * MAX_SHARE, MIN_CEILING)
    # The title first, then the body; the line break keeps runs from spanning the two.
    read = [*tokenize.tagged_words(fold.fold(title)), tokenize.ReaderWord("\n", "x"),
            *tokenize.tagged_words(fold.fold(text))]
    # Names the segmenter split (布 · 林肯) are whole again: no word of the index, so matched as
    # characters; their pieces (林肯, Lincoln) are not key words of this article.
    names = {w.text for w in read if w.glued}
    tf: Counter[str] = Counter(w.text for w in read if _candidate(w.text) and _naming(w.tag))
    scored: dict[str, KeyPhrase] = {}
    for word, count in tf.most_common(60):
        if word in names:
            df = count_of(searcher.search(substring_query(schema, "bigrams", word), 1, count=True))
        else:
            df = searcher.doc_freq("words", word)
        if 2 <= df <= ceiling:
            scored[word] = KeyPhrase(word, (1 + math.log(count)) * _idf(df, n), df, word=word not in names)
    for phrase, count in _recurring_runs(read)[:12]:
        df = count_of(searcher.search(substring_query(schema, "bigrams", phrase), 1, count=True))
        if 2 <= df <= ceiling:
            scored[phrase] = KeyPhrase(phrase, (1 + math.log(count)) * _idf(df, n) * 1.2, df)
    chosen: list[KeyPhrase] = []
    for candidate in sorted(scored.values(), key=lambda k: -k.weight):
        if any(candidate.text in c.text or c.text in candidate.text for c in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) >= limit:
            break
    return chosen


def _recurring_runs(read: list[tokenize.ReaderWord], longest: int = 6) -> list[tuple[str, int]]:
    """Runs of 2–`longest` candidate words ending in a naming word, found at least twice (产业 工人
    队伍 建设 改革), longest first; a run is dropped when a longer run containing it occurs as often
    (it adds nothing)."""
    # Each word is judged once and each run grown from its first word, so a long article costs a
    # few string joins per word (judging every window anew was most of a snapshot page's search time).
    words = [w.text for w in read]
    ok = [_candidate(w.text) and _in_run(w.tag) for w in read]
    ends = [_naming(w.tag) for w in read]
    counts: Counter[str] = Counter()
    for i, first in enumerate(words):
        if not ok[i]:
            continue
        run = first
        for j in range(i + 1, min(i + longest, len(words))):
            if not ok[j]:
                break
            run += words[j]
            if ends[j]:
                counts[run] += 1
    recurring = sorted(((p, c) for p, c in counts.items() if c >= 2), key=lambda pc: (-len(pc[0]), -pc[1]))
    kept: list[tuple[str, int]] = []
    for phrase, count in recurring:
        if not any(phrase in longer and count <= c for longer, c in kept):
            kept.append((phrase, count))
    # Ties keep the order of first appearance (the sorts are stable): the headline's runs first.
    return sorted(kept, key=lambda pc: (-pc[1], -len(pc[0])))


def _contains(schema: tantivy.Schema, phrase: KeyPhrase, title_only: bool) -> tantivy.Query:
    if phrase.word:
        fields = ["title_words"] if title_only else ["words", "title_words"]
        terms = [tantivy.Query.term_query(schema, f, phrase.text) for f in fields]
        return terms[0] if len(terms) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])
    return substring_query(schema, "title_bigrams" if title_only else "bigrams", phrase.text)


def related_query(
    schema: tantivy.Schema, phrases: list[KeyPhrase], exclude_id: int, exclude_story: int
) -> tantivy.Query:
    """Articles containing any of the phrases, scored by the weights of those they contain, twice
    for those in their title."""
    should = [
        (tantivy.Occur.Should, tantivy.Query.const_score_query(_contains(schema, p, title_only), p.weight))
        for p in phrases
        for title_only in (False, True)
    ]
    must_not = [(tantivy.Occur.MustNot, tantivy.Query.term_query(schema, "id", exclude_id))]
    if exclude_story:
        must_not.append((tantivy.Occur.MustNot, tantivy.Query.term_query(schema, "story", exclude_story)))
    return tantivy.Query.boolean_query(should + must_not)


def related_ids(
    searcher: tantivy.Searcher, schema: tantivy.Schema, phrases: list[KeyPhrase], exclude_id: int,
    exclude_story: int, when: int, limit: int = 8,
) -> list[tuple[int, int]]:
    """(snapshot id, story) of the best related articles, one per story; `when` is the article's time
    (seconds), and among equal scores the nearest come first."""
    if not phrases:
        return []
    query = related_query(schema, phrases, exclude_id, exclude_story)
    # Equal scores are common (a score is a sum of a few weights) and tantivy breaks ties by index
    # order, so the best-scoring candidates of the whole archive are joined by those of the
    # article's own weeks before ordering by (score, distance in time).
    near = tantivy.Query.range_query(
        schema, "time", tantivy.FieldType.Integer, when - NEAR_DAYS * 86400, when + NEAR_DAYS * 86400
    )
    # The range scores nothing (a plain Must would add its constant 1 to the scores compared).
    within = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, query), (tantivy.Occur.Must, tantivy.Query.const_score_query(near, 0.0))]
    )
    candidates: dict[tuple[int, int], tuple[float, tantivy.DocAddress]] = {}  # DocAddress is not hashable
    for q in (query, within):
        for score, addr in searcher.search(q, limit * POOL).hits:
            candidates[(addr.segment_ord, addr.doc)] = (score, addr)
    scores = [score for score, _ in candidates.values()]
    addrs = [addr for _, addr in candidates.values()]
    rows = zip(scores, searcher.fast_field_values("id", addrs), searcher.fast_field_values("story", addrs),
               searcher.fast_field_values("time", addrs), strict=True)
    # Scores are sums of floats: rounded, so that the same phrases give the same score however summed.
    ranked = sorted(rows, key=lambda r: (-round(r[0], 3), abs(int(r[3] or 0) - when), u64(r[1])))
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for _, doc_id, story, _ in ranked:
        story = u64(story)
        if story and story in seen:
            continue
        seen.add(story)
        out.append((u64(doc_id), story))
        if len(out) >= limit:
            break
    return out
