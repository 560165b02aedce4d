"""Per-source counts of a crawl, kept in Scrapy's stats beside the crawl-wide `kz/...` ones.

One key per source and kind, `kz/by-source/<source>/<kind>` (kinds: archive.crawl_report.CrawlKind),
so that the spider, the pipeline and a test's stub stats all count the same way, and the crawl
log's stats dump shows them. No crawl-wide figure reads this prefix: the summary is unchanged.
At the end of a crawl `per_source` reads them back for `services.end_crawl`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

PREFIX = "kz/by-source/"
# Outcomes the store worker reports that are not capture outcomes.
STORE_ERROR = "store-error"


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1) -> None: ...


def count(stats: Stats, source: str | None, kind: str, n: int = 1) -> None:
    """Count `n` of `kind` for this source (nothing for a fetch that belongs to no source)."""
    if source:
        stats.inc_value(f"{PREFIX}{source}/{'store' if kind == STORE_ERROR else kind}", n)


def per_source(stats: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Source name → kind → count, from a crawl's stats."""
    out: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            # Kinds have no "/"; a source's name may.
            source, kind = key[len(PREFIX):].rsplit("/", 1)
            out.setdefault(source, {})[kind] = value
    return out
