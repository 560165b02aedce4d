"""What the search index keeps of a snapshot: its fields, and the tantivy document built for it.

Fields (see tokenize.py for the two token streams):

    id              u64, the Snapshot primary key (fast, indexed: hits and deletions)
    words           body words, frequencies only: BM25 ranking
    title_words     title words, frequencies only: BM25 ranking with a boost
    bigrams         title then body, positions: exact substring matching
    title_bigrams   title, positions: `title:` matching
    time            i64 seconds, the published time (capture time when unknown): sort, after/before
    captured        i64 seconds, capture time
    month           u64 yyyymm of `time` in Asia/Shanghai: the month facet
    category        category name (raw, fast): filter and facet
    source          the outlet credited (来源), else the site's name (raw, fast): facet
    source_key      the same, folded: the `source:` filter
    host            the page's host (raw, fast)
    site            the host with and without its port, and each parent domain: the `site:` filter
    status          what became of the original (live, edited, removed, unreachable): the `status:` filter
    story           u64 story key: the Story id (reprint clusters, archive/fingerprints.py); the body's
                    content key for snapshots not clustered yet, so exact copies still collapse
    copied          u64 1 when other documents of the story may be in the index, 0 when it is
                    alone: counting stories (engine.py) groups only the documents that may share one
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import tantivy

from .. import fold
from . import tokenize

# 2: content keys hash the word characters as UTF-32 (story keys of version 1 differ).
# 3: `site` holds hosts with and without their port; `copied`.
# 4: `status`, the page's state.
SCHEMA_VERSION = 4
CHINA = ZoneInfo("Asia/Shanghai")
WHITESPACE = "kz_whitespace"


@dataclass(frozen=True)
class IndexDoc:
    """What the index keeps of one snapshot."""

    id: int
    title: str
    text: str
    time: datetime  # published, else capture time (aware)
    captured: datetime
    category: str = ""
    source: str = ""
    host: str = ""
    story: int | None = None  # the Story id; None (not clustered yet): the body's content key
    status: str = ""  # the page's state (archive PageStatus value)
    # Whether the story may have other documents in the index. True unless known to be alone: a
    # story wrongly marked copied costs a little counting time, one wrongly marked alone a wrong count.
    copied: bool = True


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    sb.add_text_field("words", tokenizer_name=WHITESPACE, index_option="freq")
    sb.add_text_field("title_words", tokenizer_name=WHITESPACE, index_option="freq")
    sb.add_text_field("bigrams", tokenizer_name=WHITESPACE, index_option="position")
    sb.add_text_field("title_bigrams", tokenizer_name=WHITESPACE, index_option="position")
    sb.add_integer_field("time", indexed=True, fast=True)
    sb.add_integer_field("captured", fast=True)
    sb.add_unsigned_field("month", indexed=True, fast=True)
    for name in ("category", "source", "host"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("source_key", "site", "status"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("story", indexed=True, fast=True)
    sb.add_unsigned_field("copied", indexed=True, fast=True)
    return sb.build()


def story_key(story_id: int | None, text: str) -> int:
    """The index's story value of a snapshot: its Story id, or for one not clustered yet its body's
    content key (copies with the same words still collapse)."""
    return story_id if story_id is not None else fold.content_key(fold.fold(text))


def site_values(netloc: str) -> list[str]:
    """What `site:` may name to find a page on `netloc` (a host, with its port when not the default):
    news.sina.com.cn → news.sina.com.cn, sina.com.cn, com.cn; 127.0.0.1:8101 → 127.0.0.1:8101,
    127.0.0.1 (an address has no parent domains)."""
    host, _, port = netloc.lower().rpartition(":") if netloc.count(":") == 1 else (netloc.lower(), "", "")
    host = host.strip(".")
    values = [f"{host}:{port}"] if port else []
    if host.replace(".", "").isdigit() or ":" in host:  # an IPv4 or IPv6 address
        return [*values, host]
    parts = host.split(".")
    return values + ([".".join(parts[i:]) for i in range(len(parts) - 1)] or [host])


def register(index: tantivy.Index) -> None:
    index.register_tokenizer(WHITESPACE, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def _seconds(when: datetime) -> int:
    return int(when.timestamp())


def _document(doc: IndexDoc, title: tokenize.Analysed, body: tokenize.Analysed) -> tantivy.Document:
    d = tantivy.Document()
    d.add_unsigned("id", doc.id)
    d.add_text("words", body.words)
    d.add_text("title_words", title.words)
    # The title's last character is a lone token (a run ends there), so no phrase spans the join.
    d.add_text("bigrams", title.bigrams + " " + body.bigrams)
    d.add_text("title_bigrams", title.bigrams)
    d.add_integer("time", _seconds(doc.time))
    d.add_integer("captured", _seconds(doc.captured))
    local = doc.time.astimezone(CHINA)
    d.add_unsigned("month", local.year * 100 + local.month)
    # Empty values are left out, so that facets never show an empty bucket.
    if doc.category:
        d.add_text("category", doc.category)
    if doc.source:
        d.add_text("source", doc.source)
        d.add_text("source_key", fold.fold(doc.source))
    if doc.host:
        d.add_text("host", doc.host)
    for value in site_values(doc.host) if doc.host else []:
        d.add_text("site", value)
    if doc.status:
        d.add_text("status", doc.status)
    d.add_unsigned("story", body.key if doc.story is None else doc.story)
    d.add_unsigned("copied", int(doc.copied))
    return d


def documents(docs: Sequence[IndexDoc]) -> list[tantivy.Document]:
    """Analyse a batch (one numpy pass, one rjieba call) and build its tantivy documents."""
    analysed = tokenize.analyse_batch([d.title for d in docs] + [d.text for d in docs])
    n = len(docs)
    return [_document(doc, analysed[i], analysed[n + i]) for i, doc in enumerate(docs)]

