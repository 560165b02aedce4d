"""What the spider hands to the archive pipeline besides `archive.ingest.Fetched`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class FailedFetch:
    """An article URL that gave no HTTP answer (timeout, refused connection, DNS failure)."""

    page_url: str
    when: datetime
    source: str
    reason: str
