"""CapturedPage: one fetch, archived and extracted, on its way to `store_captures`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...extract.article import Article
from ..models import CaptureOutcome
from ..warc import WarcPointer


@dataclass(frozen=True)
class CapturedPage:
    """One fetched article URL, archived (or deliberately not) and extracted, ready to store."""

    page_url: str  # canonical URL: the Page it belongs to
    url: str  # as fetched
    fetched_at: datetime
    http_status: int
    headers: list[tuple[str, str]]
    content_type: str
    payload_sha256: str
    payload_length: int
    pointer: WarcPointer | None  # None when the body was not kept
    article: Article | None
    skipped: CaptureOutcome | None = None  # NOARCHIVE / NOT_HTML: not kept, not extracted
    reason: str = ""
    source: str | None = None  # source name from sources.toml
    category: str | None = None  # the listing's category, which wins over the extracted one
    same_article: bool = False  # the page's footprint matched: same article, not extracted again
    gone: str = ""  # no article, and the page shows the article is gone (a RemovalReason value)
