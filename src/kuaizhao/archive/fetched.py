"""FetchedPage: one HTTP exchange as it came off the wire, before anything is done with it.

The crawler makes these, and so will the WARC importer; `warc.WarcStore.write` keeps them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FetchedPage:
    url: str  # the URL that answered (after redirects)
    status: int
    headers: list[tuple[str, str]] = field(repr=False)  # response headers in the order received
    body: bytes = field(repr=False)  # the payload as received, still content-encoded when the server encoded it
    fetched_at: datetime  # timezone-aware
    request_headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    method: str = "GET"
    protocol: str = "HTTP/1.1"
    reason: str = ""
    ip: str | None = None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def payload_sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()
