"""A parsed query (query.py) compiled for tantivy: what must match, what ranks, what is excluded.

Words match as words (the `words` field, BM25 over body and a boosted title); quoted phrases and
words the segmenter breaks into single characters match as exact substrings of the folded text,
by position in the character-bigram field (tokenize.py); filters and dates are exact terms and
ranges on fast fields. Nothing a reader typed reaches tantivy's own query parser.
"""

from __future__ import annotations

import tantivy

from . import tokenize
from .query import AnyOf, Clause, Filter, Phrase, Query, Words

TITLE_BOOST = 3.0  # a word in the title counts this much more than in the body (BM25 per field)



def _term(schema: tantivy.Schema, name: str, value: str | int) -> tantivy.Query:
    return tantivy.Query.term_query(schema, name, value)


def substring_query(schema: tantivy.Schema, name: str, folded: str) -> tantivy.Query:
    """Documents whose `name` bigram stream contains `folded` exactly (see tokenize.phrase_tokens)."""
    tokens = tokenize.phrase_tokens(folded)
    if len(tokens) == 1:
        t = tokens[0]
        if t.prefix:  # one character: a bigram starting with it, or it alone where a run ends
            return tantivy.Query.regex_query(schema, name, t.text + ".?")
        return _term(schema, name, t.text)
    if tokens[-1].prefix:
        words: list[str | tuple[int, str]] = [(t.position, t.text + ".?" if t.prefix else t.text) for t in tokens]
        return tantivy.Query.regex_phrase_query(schema, name, words)
    return tantivy.Query.phrase_query(schema, name, [(t.position, t.text) for t in tokens])


def _ranking(schema: tantivy.Schema, words: list[str]) -> list[tantivy.Query]:
    """BM25 clauses for `words` over body and (boosted) title."""
    out = []
    for w in dict.fromkeys(words):
        out.append(_term(schema, "words", w))
        out.append(tantivy.Query.boost_query(_term(schema, "title_words", w), TITLE_BOOST))
    return out


def _should(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _match(schema: tantivy.Schema, clause: Clause) -> tuple[tantivy.Query, list[tantivy.Query]]:
    """(what must match, what ranks) for one clause."""
    if isinstance(clause, Words) and clause.exact:
        exact = substring_query(schema, "bigrams", clause.exact)
        # Ranked by the word itself where the documents' segmentation kept it whole, and by its longer pieces.
        return tantivy.Query.const_score_query(exact, 0.0), _ranking(
            schema, [clause.exact, *(p for p in clause.pieces if len(p) > 1)])
    if isinstance(clause, Words):
        must = []
        ranking = []
        for piece in clause.pieces:
            ranked = _ranking(schema, [piece])
            must.append(_should(ranked))
            ranking.extend(ranked)
        if len(must) == 1:
            return must[0], []  # it ranks by itself
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must]), []
    if isinstance(clause, Phrase):
        exact = substring_query(schema, "title_bigrams" if clause.title_only else "bigrams", clause.folded)
        # The exact match decides; the phrase's words rank (bigram scores would be noise). Its words
        # as a reader reads them (default cut), not every search-mode sub-word: 新闻联播 ranks by
        # 新闻联播 alone, which is both the better score and a third of the scorers.
        return tantivy.Query.const_score_query(exact, 0.0), _ranking(schema, tokenize.segment(clause.folded))
    if isinstance(clause, AnyOf):
        options = []
        for option in clause.options:
            matches, ranking = _match(schema, option)
            options.append(_with_ranking(matches, ranking))
        return _should(options), []
    return _filter_query(schema, clause), []


def _with_ranking(must: tantivy.Query, ranking: list[tantivy.Query]) -> tantivy.Query:
    if not ranking:
        return must
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, must)] + [(tantivy.Occur.Should, r) for r in ranking])


def _filter_query(schema: tantivy.Schema, clause: Filter) -> tantivy.Query:
    name = {"site": "site", "source": "source_key", "category": "category", "status": "status"}[clause.kind]
    return tantivy.Query.const_score_query(_term(schema, name, clause.key), 0.0)


def compile_query(query: Query, schema: tantivy.Schema) -> tantivy.Query:
    """The tantivy query for a parsed query: required clauses Must, excluded MustNot, BM25 Should."""
    subqueries: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for clause in query.required:
        must, ranking = _match(schema, clause)
        subqueries.append((tantivy.Occur.Must, must))
        subqueries.extend((tantivy.Occur.Should, r) for r in ranking)
    subqueries.extend((tantivy.Occur.MustNot, _match(schema, clause)[0]) for clause in query.excluded)
    if query.after or query.before:
        lower = int(query.after.timestamp()) if query.after else None
        upper = int(query.before.timestamp()) if query.before else None
        subqueries.append(
            (
                tantivy.Occur.Must,
                tantivy.Query.range_query(
                    schema, "time", tantivy.FieldType.Integer, lower, upper, include_lower=True,
                    include_upper=upper is None,  # tantivy: an open side counts as inclusive
                ),
            )
        )
    if not any(occur == tantivy.Occur.Must for occur, _ in subqueries):
        subqueries.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    if len(subqueries) == 1:
        return subqueries[0][1]
    return tantivy.Query.boolean_query(subqueries)
