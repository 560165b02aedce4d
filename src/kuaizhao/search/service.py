"""Search as the site, the API and the CLI use it: hits as public snapshots, with excerpts.

Every snapshot shown here is loaded through `Snapshot.objects.public()`: the index only proposes
ids, the gate decides what a reader sees.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.timezone import localtime

from ..archive import categories
from ..archive.models import Snapshot
from ..exceptions import SearchUnavailable
from . import parse as parsing
from . import related as rel
from . import relax, snippets
from .engine import Engine, Results
from .query import Query
from .schema import story_key
from .sync import home

_engine: Engine | None = None
_engine_lock = threading.Lock()


def engine() -> Engine:
    """This process's engine (opened on first use, after any fork)."""
    global _engine
    with _engine_lock:
        if _engine is None or _engine.home.path != settings.INDEX_DIR:
            _engine = Engine(home())
        return _engine


def category_aliases() -> dict[str, str]:
    """Names and URL names a reader may write after category: → the name the index holds."""
    out = {}
    for c in categories.all_categories():
        out[c.slug] = out[c.slug.lower()] = out[c.name] = c.name
    return out


def parse(text: str) -> Query:
    return parsing.parse(text, category_aliases())


@dataclass
class Item:
    """One result as shown: the snapshot, its excerpt, and the other copies of its story."""

    snapshot: Snapshot
    excerpt: str  # HTML: escaped text with <mark>
    title: str  # HTML: escaped title with <mark>
    reprints: int = 0  # the story's other copies
    others: list[Snapshot] = field(default_factory=list)  # some of them, oldest first, not `original`
    original: Snapshot | None = None  # the story's first copy, when it is not the one shown
    more_others: bool = False  # copies neither shown nor named


@dataclass
class Page:
    results: Results
    items: list[Item]
    hints: relax.Hints = field(default_factory=relax.Hints)  # when nothing matched: why, and what would


def search(text: str, sort: str = "relevance", page: int = 1, per_page: int | None = None,
           collapse: bool = True, full: bool = False) -> Page:
    """Run a reader's query. Raises QueryError (malformed) or SearchUnavailable (no index).

    `full` loads whole snapshots (the feeds show the article), not only what a result list shows.
    """
    parsed = parse(text)
    eng = engine()
    results = eng.search(parsed, sort=sort, page=page, per_page=per_page or settings.SEARCH_PAGE_SIZE,
                         collapse=collapse)
    if results.total == 0:
        return Page(results, [], relax.hints(parsed, eng.count, parse))
    # One database round trip for the hits, their stories' first matching copies and the copies named.
    rows = _public({i for h in results.hits for i in (h.id, *h.firsts, *h.copies)}, full)
    terms = parsed.highlight_terms()
    items = []
    for hit in results.hits:
        candidates = [rows[i] for i in (hit.id, *hit.firsts) if i in rows]
        if not candidates:
            continue  # taken down or deleted since the index last heard: the gate wins
        snap = first_copy(candidates)
        story = [rows[i] for i in hit.copies if i in rows and i != snap.pk]
        first = first_copy([snap, *story])
        original = None if first is snap else first
        others = [o for o in story if o is not original][:SHOWN_OTHERS]
        named = 1 + (original is not None) + len(others)
        items.append(Item(snap, snippets.excerpt(snap.text, terms, width=140, fragments=3),
                          snippets.excerpt(snap.title, terms, width=200, fragments=1),
                          hit.reprints, others, original, more_others=hit.reprints + 1 > named))
    return Page(results, items)


SHOWN_OTHERS = 5


def first_copy(copies: list[Snapshot]) -> Snapshot:
    """The copy a story started with: the earliest; at the same time, one that credits no other outlet."""
    return min(copies, key=lambda s: (s.sort_time, credits_elsewhere(s), s.pk))


def credits_elsewhere(s: Snapshot) -> bool:
    """Whether a snapshot says it is a reprint: 本文转自, or a 来源 other than its own site's name."""
    return bool(s.reposted_from or s.other_credit)


# What result lists show (the page, the JSON, the CLI): loading only these keeps the sanitised HTML
# and the attribution details of ten articles out of every search.
_LISTED = ("title", "text", "published_at", "captured_at", "sort_time", "source_name", "reposted_from", "story",
           "page__url", "page__host", "source__name", "category__name", "category__slug")


def _public(ids: set[int], full: bool = False) -> dict[int, Snapshot]:
    if not ids:
        return {}
    rows = Snapshot.objects.public().filter(pk__in=ids).select_related("page", "source", "category")
    if not full:
        rows = rows.only(*_LISTED)
    return {s.pk: s for s in rows}


# --- the snapshot page's blocks -------------------------------------------------------------------


@dataclass
class Related:
    snapshot: Snapshot
    excerpt: str  # HTML
    phrase: str


def related(snap: Snapshot, limit: int = 8) -> tuple[list[rel.KeyPhrase], list[Related]]:
    """Key phrases of a snapshot and the best other stories containing them (empty without index)."""
    try:
        eng = engine()
        searcher = eng.searcher()
        schema = eng.schema
    except SearchUnavailable:
        return [], []
    phrases = rel.key_phrases(searcher, schema, snap.title, snap.text)
    found = rel.related_ids(searcher, schema, phrases, snap.pk, story_key(snap.story_id, snap.text),
                            int(snap.sort_time.timestamp()), limit)
    rows = _public({i for i, _ in found})
    out = []
    for snapshot_id, _ in found:
        other = rows.get(snapshot_id)
        if other is None:
            continue
        spans = snippets.find_spans(other.text, [p.text for p in phrases])
        phrase = phrases[spans[0].term].text if spans else phrases[0].text
        out.append(Related(other, snippets.excerpt(other.text, [phrase], width=80, fragments=1), phrase))
    return phrases, out


def as_json(found: Page, base_url: str) -> dict[str, Any]:
    """The JSON shape of a result page (/api/search and `kuaizhao search --json`)."""
    results = found.results

    def url(pk: int) -> str:
        return f"{base_url.rstrip('/')}/snapshot/{pk}/"

    def source(s: Snapshot) -> str | None:
        return s.source_name or (s.source.name if s.source else None)

    hits = []
    for item in found.items:
        s = item.snapshot
        hits.append({
            "id": s.pk,
            "url": url(s.pk),
            "original_url": s.page.url,
            "title": s.title,
            "title_html": item.title,
            "excerpt_html": item.excerpt,
            "published": localtime(s.published_at).isoformat() if s.published_at else None,
            "captured": localtime(s.captured_at).isoformat(),
            "source": source(s),
            "category": s.category.name if s.category else None,
            "reprints": item.reprints,
            "reprinted_by": [{"id": o.pk, "site": o.site_label, "url": url(o.pk)} for o in item.others],
            "first_published_by": ({"id": item.original.pk, "site": item.original.site_label,
                                    "url": url(item.original.pk)} if item.original else None),
        })
    return {
        "query": results.query.text, "understood_as": results.query.explain(), "notes": list(results.query.notes),
        "sort": results.sort, "page": results.page, "per_page": results.per_page, "has_next": results.has_next,
        "total": results.total, "total_is_estimate": not results.exact, "took_ms": round(results.took_ms, 3),
        "hits": hits,
        "facets": {name: [{"value": v, "count": n} for v, n in values] for name, values in results.facets.items()},
        "hints": {kind: [{"query": h.query, "total": h.total, "label": h.label} for h in hints]
                  for kind, hints in (("parts", found.hints.parts), ("instead", found.hints.instead))},
    }
