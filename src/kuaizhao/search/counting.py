"""Counting stories, not documents: a result list shows each story once, so its total, its facets
and the zero-result hints count stories too ("找到 52 篇" beside 52 listed, not 69 copies).

The index cannot count distinct stories by itself for free, so the work is kept to the documents
that can share one: each document says whether its story may have other documents in the index
(`copied`, kept by sync.py). A query's stories are its documents less the repeats among those
copied documents, which an aggregation by story finds. Up to `EXACT_LIMIT` copied documents the
repeats are counted exactly (a few milliseconds at the limit); beyond it, when no reader can check
the number by paging anyway (results stop at page 50), the distinct stories among them are
estimated (tantivy's HyperLogLog cardinality, within a few per cent) and the total says so.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import tantivy

from .index import count_of

EXACT_LIMIT = 20_000
_ALL = 2**31 - 1  # "every bucket" for a terms aggregation (tantivy's size is a u32)
FACET_FIELDS = {"category": 30, "source": 30, "month": 1000}  # facet → buckets shown


@dataclass(frozen=True)
class Counts:
    """A query's stories: the total and each facet value's, and whether they are exact."""

    total: int
    exact: bool = True
    facets: Mapping[str, list[tuple[str, int]]] | None = None  # facet → (value, stories), most first


def _repeats() -> dict[str, Any]:
    """Buckets of the stories with two or more of the documents: their repeats are the extras."""
    return {"terms": {"field": "story", "size": _ALL, "segment_size": _ALL, "min_doc_count": 2}}


def _extra(buckets: list[dict[str, Any]]) -> int:
    return sum(int(b["doc_count"]) - 1 for b in buckets)


def _copied(schema: tantivy.Schema, tq: tantivy.Query) -> tantivy.Query:
    """The matches whose story may have other documents. Unscored: only counted and grouped."""
    copied = tantivy.Query.term_query(schema, "copied", 1)
    return tantivy.Query.const_score_query(
        tantivy.Query.boolean_query([(tantivy.Occur.Must, copied), (tantivy.Occur.Must, tq)]), 0.0)


def stories(searcher: tantivy.Searcher, schema: tantivy.Schema, tq: tantivy.Query, documents: int,
            facets: bool = False) -> Counts:
    """The stories among the `documents` that match `tq`, and with `facets` the facets' too."""
    doc_facets = document_facets(searcher, tq) if facets else None
    copied = _copied(schema, tq)
    # A count over the few copied documents (they lead the intersection): 0.03 ms for a common
    # word, where summing `copied` in the facets' pass read the column of every match (10×).
    copied_docs = count_of(searcher.search(copied, 1, count=True)) if documents else 0
    if not copied_docs:
        return Counts(documents, True, doc_facets)
    exact = copied_docs <= EXACT_LIMIT
    per_story: dict[str, Any] = _repeats() if exact else {"cardinality": {"field": "story"}}
    request: dict[str, Any] = {"stories": per_story}
    if facets:
        request |= {name: {"terms": {"field": name, "size": _ALL}, "aggs": {"stories": per_story}}
                    for name in FACET_FIELDS}
    agg = searcher.aggregate(copied, request)

    def fewer(all_docs: int, part: dict[str, Any]) -> int:
        """Stories of a bucket (or of the whole) from its documents and its copied part."""
        if exact:
            return all_docs - _extra(part["stories"]["buckets"])
        return all_docs - int(part.get("doc_count", copied_docs)) + round(float(part["stories"]["value"]))

    total = fewer(documents, agg)
    if doc_facets is None:
        return Counts(total, exact)
    out: dict[str, list[tuple[str, int]]] = {}
    for name, values in doc_facets.items():
        parts = {_key(name, b["key"]): b for b in agg[name]["buckets"]}
        counted = [(value, fewer(n, parts[value]) if value in parts else n) for value, n in values]
        out[name] = counted if name == "month" else sorted(counted, key=lambda vn: -vn[1])
    return Counts(total, exact, out)


def _key(name: str, key: str | float) -> str:
    return _month(int(key)) if name == "month" else str(key)


@functools.lru_cache(maxsize=4096)
def _month(yyyymm: int) -> str:
    return f"{yyyymm // 100:04d}-{yyyymm % 100:02d}"


def document_facets(searcher: tantivy.Searcher, tq: tantivy.Query) -> dict[str, list[tuple[str, int]]]:
    """Documents per category, source (most first) and month (newest first)."""
    agg = searcher.aggregate(tq, {name: {"terms": {"field": name, "size": size}}
                                  for name, size in FACET_FIELDS.items()})
    out: dict[str, list[tuple[str, int]]] = {}
    for name in ("category", "source"):
        out[name] = [(str(b["key"]), int(b["doc_count"])) for b in agg[name]["buckets"]]
    months = sorted(((int(b["key"]), int(b["doc_count"])) for b in agg["month"]["buckets"]), reverse=True)
    out["month"] = [(_month(k), n) for k, n in months]
    return out
