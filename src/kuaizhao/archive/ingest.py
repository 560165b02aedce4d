"""Ingest: a fetched response → the archiving policy → WARC records → extraction → store.

The one path every capture takes, whoever fetched it: the crawler (`crawl/pipelines.py`), the WARC
importer (`transfer/importer.py`) and, later, save-page-now. It has two steps because the crawler
runs them in two processes (Scrapy in one, extraction and database writes in the store worker):

    capture(fetched, warc)   the policy, then the WARC records of what is kept   → PendingCapture
    store(batch)             extraction, then `services.store_captures`          → outcomes

Order matters. What the publisher forbids or what is not a web page is decided first and never
written (policy.py). Everything else is written to the WARC file before it is extracted or stored,
and callers sync the WARC file before `store`, so a row never points at bytes that are not on disk.
Bringing the search index up to date is the caller's next call (`search.sync`): a crawl does it
every few seconds, an import at its end.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from ..extract import Article, NotArticle, SiteRules, read, same_article
from .fetched import FetchedPage
from .models import CaptureOutcome
from .policy import refusal
from .services import CapturedPage, store_captures
from .services.versions import footprints
from .warc import WarcStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fetched:
    """One fetched article URL, as a fetcher hands it in."""

    page: FetchedPage  # as received: the body still content-encoded, as it goes into the WARC file
    decoded_body: bytes = field(repr=False)  # Content-Encoding removed: what the policy and extraction read
    page_url: str  # canonical URL (archive.canonical): the Page it belongs to
    source: str | None = None  # source name from sources.toml
    category: str | None = None  # the listing's category, which wins over the extracted one
    rules: SiteRules = field(default_factory=SiteRules)  # the source's extraction rules
    reread: bool = False  # extract even when the page's footprint matches (a forced re-crawl)


@dataclass(frozen=True)
class PendingCapture:
    """A capture between the two steps: written (or refused), not yet extracted or stored."""

    capture: CapturedPage  # article=None until extracted
    decoded_body: bytes | None = field(repr=False)  # None: nothing to extract (refused, or an HTTP error)
    rules: SiteRules
    reread: bool = False

    @property
    def refused(self) -> bool:
        """Whether the policy refused it (nothing was written; `capture.reason` says why)."""
        return self.capture.skipped is not None


def capture(fetched: Fetched, warc: WarcStore) -> PendingCapture:
    """Apply the archiving policy and write the WARC records of what is kept."""
    page = fetched.page
    captured = CapturedPage(
        page_url=fetched.page_url, url=page.url, fetched_at=page.fetched_at, http_status=page.status,
        headers=page.headers, content_type=page.content_type, payload_sha256=page.payload_sha256,
        payload_length=len(page.body), source=fetched.source, category=fetched.category,
        pointer=None, article=None,
    )
    refused = refusal(page, fetched.decoded_body)
    if refused is not None:
        log.info("%s: not kept: %s", refused.reason, page.url)
        return PendingCapture(replace(captured, skipped=refused.outcome, reason=refused.reason), None, fetched.rules)
    captured = replace(captured, pointer=warc.write(page))
    body = fetched.decoded_body if 200 <= page.status < 300 else None
    return PendingCapture(captured, body, fetched.rules, fetched.reread)


def store(batch: Sequence[PendingCapture]) -> list[CaptureOutcome]:
    """Extract the article of each kept capture and store the batch; returns each one's outcome.

    A page whose article parts hash as they did at its last extraction (its footprint) is the same
    article and is not extracted again: a changed sidebar costs a parse, not an extraction."""
    ready = []
    known = footprints(p.capture.page_url for p in batch if p.decoded_body is not None and not p.reread)
    for pending in batch:
        captured = pending.capture
        stored = known.get(captured.page_url)
        if pending.decoded_body is not None and stored and not pending.reread and same_article(
                pending.decoded_body, dict(captured.headers), stored, pending.rules):
            captured = replace(captured, same_article=True)
        elif pending.decoded_body is not None:
            found = read(pending.decoded_body, captured.url, dict(captured.headers),
                         captured=captured.fetched_at, rules=pending.rules)
            if isinstance(found, Article):
                captured = replace(captured, article=found, reason="")
            else:
                captured = replace(captured, reason=f"no article ({found.value})", gone=_gone(captured, found))
        ready.append(captured)
    return store_captures(ready)


# What a page that had an article shows when the article is gone (a RemovalReason value). Text we
# failed to read, or too little of it, is not in this list: that is fetched again, not believed.
_GONE = {NotArticle.SOFT_404: "soft-404", NotArticle.LOGIN_WALL: "login-wall", NotArticle.EMPTY: "empty",
         NotArticle.NO_TEXT: "empty"}


def _gone(captured: CapturedPage, why: NotArticle) -> str:
    if captured.url != captured.page_url and _section_like(captured.url):
        return "redirected"  # the article's URL now sends readers to the home or a section page
    return _GONE.get(why, "")


def _section_like(url: str) -> bool:
    """A home or section page: a path of at most two short segments without an article id."""
    path = urlsplit(url).path.strip("/")
    segments = [s for s in path.split("/") if s and not s.startswith(("index.", "default."))]
    return len(segments) <= 2 and not re.search(r"\d{4,}", path)
