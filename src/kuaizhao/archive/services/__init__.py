"""The one writer of archive state: sources, pages, captures, snapshots, stories and takedowns.

Views, the admin, the CLI, the crawler and the WARC importer call these functions; nothing else
creates or changes those rows. Each change that affects what search shows is written to the
index change log (`changes.py`) in the same transaction.

    sources.py     the configured outlets; what a crawl may skip and must look at again; how
                   each source's last crawl went
    captures.py    a batch of fetches → Capture rows, new Snapshots, page states
    stories.py     which story each new snapshot joins (reprint clusters)
    access.py      access rules (block / exclude / allow by URL, prefix, host, capture dates)
                   and their effect on every snapshot they cover, now and later
    requests.py    takedown requests: notice → review → decision → counter-notice, audited
    takedowns.py   operators' direct takedowns (a rule on a page's URL); a later noarchive
    categories.py  operators' edits of categories
    changes.py     the search index's change log
"""

from . import access, requests
from .captured import CapturedPage
from .captures import record_unreachable, store_captures
from .categories import save_category
from .changes import log_index_changes
from .sources import category_map, end_crawl, known_pages, pages_to_recheck, start_crawl, sync_sources
from .stories import cluster_unassigned
from .takedowns import restore, take_down

__all__ = [
    "CapturedPage",
    "access",
    "category_map",
    "cluster_unassigned",
    "end_crawl",
    "known_pages",
    "log_index_changes",
    "pages_to_recheck",
    "record_unreachable",
    "requests",
    "restore",
    "save_category",
    "start_crawl",
    "store_captures",
    "sync_sources",
    "take_down",
]
