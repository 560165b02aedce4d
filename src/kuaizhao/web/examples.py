"""The search page's syntax examples, taken from the archive itself so that each one finds something.

A syntax table whose examples find nothing teaches nothing: `"解散国会" site:news.cn` is a fine
example for an archive of Thai politics from Xinhua and an empty page anywhere else. So each row's
example is built from what this archive holds (the key phrases, site, 来源, category and month of
a recent story), counted like any search, and kept only if it finds something; a row with no such
example shows the generic one. Built at most once per `CACHE_SECONDS` per process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.utils import timezone

from ..archive.models import Snapshot
from ..exceptions import KuaizhaoError
from ..fold import fold
from ..search import related, service, tokenize
from . import listings

CACHE_SECONDS = 600.0
TRIES = 20  # candidates counted per row at most
# The generic examples, for an archive too empty to give its own.
GENERIC = {
    "words": "泰国 总理", "phrase": '"解散国会"', "either": "英拉 OR 巴育", "without": "泰国 -示威",
    "site": "site:news.cn", "source": "来源:新华社", "category": "类别:国内", "dates": "after:2023-01-01",
    "title": "title:总理",
}
_cached: tuple[float, dict[str, str]] | None = None


@dataclass(frozen=True)
class Example:
    query: str
    live: bool  # taken from this archive (and finds something), not the generic one


def examples() -> dict[str, Example]:
    """One example query per row of the syntax table."""
    global _cached
    now = time.monotonic()
    if _cached is None or now - _cached[0] > CACHE_SECONDS:
        _cached = (now, _from_archive())
    live = _cached[1]
    return {row: Example(live[row], True) if row in live else Example(generic, False)
            for row, generic in GENERIC.items()}


def forget() -> None:
    global _cached
    _cached = None


def _from_archive() -> dict[str, str]:
    try:
        engine = service.engine()
        searcher, schema = engine.searcher(), engine.schema
    except KuaizhaoError:
        return {}
    recent = listings.Stories(
        listings.candidates().filter(category__isnull=False).select_related("category", "source", "page")
        .only("title", "text", "sort_time", "source_name", "story", "category__name", "source__name", "page__host")
    ).first(12)
    candidates: dict[str, list[str]] = {row: [] for row in GENERIC}
    terms: list[tuple[int, str]] = []  # (story, word or phrase): what recent stories are about
    for n, snap in enumerate(recent):
        assert snap.category is not None  # category__isnull=False above
        phrases = [p.text for p in related.key_phrases(searcher, schema, snap.title, snap.text, limit=2)]
        title_words = [w.text for w in tokenize.tagged_words(fold(snap.title)) if len(w.text) >= 2
                       and w.tag.startswith("n") and not w.glued]
        terms += [(n, t) for t in dict.fromkeys(phrases + sorted(title_words, key=len, reverse=True)[:2])]
        candidates["title"] += [f"title:{w}" for w in sorted(title_words, key=len, reverse=True)[:1]]
        candidates["site"].append(f"site:{_bare_www(snap.page.host)}")
        candidates["source"].append(f"来源:{_quoted(snap.source_name or _site(snap))}")
        candidates["category"].append(f"类别:{snap.category.name}")
        candidates["dates"].append(f"after:{timezone.localtime(snap.sort_time):%Y-%m}")
    candidates["words"] = [t for _, t in terms]
    candidates["phrase"] = [f'"{t}"' for _, t in sorted(terms, key=lambda st: -len(st[1]))]
    pairs = [(a, b) for i, a in terms for j, b in terms if i != j and a != b]
    candidates["either"] = [f"{a} OR {b}" for a, b in pairs]
    candidates["without"] = [f"{a} -{b}" for a, b in pairs]
    chosen = {}
    for row, queries in candidates.items():
        for query in list(dict.fromkeys(queries))[:TRIES]:
            try:
                if engine.count(service.parse(query)) > 0:
                    chosen[row] = query
                    break
            except KuaizhaoError:
                continue
    return chosen


def _site(snap: Snapshot) -> str:
    return snap.source.name if snap.source else snap.page.host


def _bare_www(host: str) -> str:
    return host.removeprefix("www.") if host.count(".") > 1 else host


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) else value
