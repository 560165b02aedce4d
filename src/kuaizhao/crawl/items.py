"""What the spider hands to the archive pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..archive.fetched import FetchedPage


@dataclass
class FetchedArticle:
    """An article URL that answered: the exchange as received, plus the body Scrapy decoded."""

    fetched: FetchedPage  # raw: still content-encoded, as it goes into the WARC file
    decoded_body: bytes = field(repr=False)  # after Content-Encoding was removed, for policy and extraction
    page_url: str = ""  # canonical URL
    source: str = ""
    category: str | None = None  # the listing's category, if the operator gave one


@dataclass
class FailedFetch:
    """An article URL that gave no HTTP answer (timeout, refused connection, DNS failure)."""

    page_url: str
    when: datetime
    source: str
    reason: str
