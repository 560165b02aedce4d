"""The archive pipeline: policy check → WARC → (extract → store, in the sink), for every article.

Order matters. What the publisher forbids (noarchive) or what is not a web page is decided first
and never written. Everything else is written to the WARC file before it is extracted or stored,
and rows are committed in batches only after the WARC file is synced, so a row never points at
bytes that are not on disk.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.internet import task
from twisted.internet.defer import Deferred

from ..archive.models import CaptureOutcome
from ..archive.services import CapturedPage
from ..archive.warc import WarcStore
from ..extract import SiteRules
from ..sources import Source
from .items import FailedFetch, FetchedArticle
from .store import InlineSink, PendingCapture, Sink, StoreFailed, Unreachable, WorkerSink

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "")
_META_ROBOTS = re.compile(
    rb"<meta\s[^>]*?name\s*=\s*[\"']?(?:robots|kuaizhao)[\"']?[^>]*?>|"
    rb"<meta\s[^>]*?content\s*=\s*[\"'][^\"']*[\"'][^>]*?name\s*=\s*[\"']?(?:robots|kuaizhao)[\"']?[^>]*?>",
    re.I,
)


_AGENT_PREFIX = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*:\s*(.*)$", re.S)
_DIRECTIVES_WITH_COLON = {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}


def _x_robots_noarchive(value: str, bot: str) -> bool:
    """X-Robots-Tag: [<agent>:] <directive>, ... — applies when it names no agent, '*' or us."""
    rules = value
    m = _AGENT_PREFIX.match(value)
    if m and m[1].lower() not in _DIRECTIVES_WITH_COLON:
        if m[1].lower() not in (bot, "*"):
            return False
        rules = m[2]
    return "noarchive" in (r.strip().lower() for r in rules.split(","))


def forbids_archiving(headers: list[tuple[str, str]], body: bytes, bot: str = "kuaizhao") -> bool:
    """Whether X-Robots-Tag or a robots <meta> says noarchive (generally or to us by name)."""
    if any(name.lower() == "x-robots-tag" and _x_robots_noarchive(value, bot) for name, value in headers):
        return True
    head = body[: body.find(b"</head>") + 7] if b"</head>" in body[:262144] else body[:262144]
    return any(b"noarchive" in m.group().lower() for m in _META_ROBOTS.finditer(head))


class ArchivePipeline:
    def __init__(self, store: WarcStore, sink: Sink, sources: dict[str, Source], stats: StatsCollector,
                 batch_size: int = 50, max_wait: float = 2.0, crawler: Crawler | None = None) -> None:
        self.crawler = crawler  # only to stop the crawl when captures can no longer be stored
        self.store = store
        self.sink = sink
        self.rules = {name: s.site_rules for name, s in sources.items()}
        self.stats = stats
        self.batch_size = batch_size
        self.max_wait = max_wait
        self._batch: list[PendingCapture] = []
        self._first_at = 0.0
        self._timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        s = crawler.settings
        store = WarcStore(Path(s["KZ_WARC_DIR"]), s.getint("KZ_WARC_MAX_BYTES"))
        sink: Sink = WorkerSink() if s.getbool("KZ_STORE_PROCESS", True) else InlineSink()
        sources = {src.name: src for src in s["KZ_SOURCES"]}
        assert crawler.stats is not None
        return cls(store, sink, sources, crawler.stats, s.getint("KZ_STORE_BATCH", 50), crawler=crawler)

    def open_spider(self, spider: Any = None) -> None:
        for name, cut in self.store.recover():
            self.stats.inc_value("kz/recovered_warc_files")
            log.warning("closed %s left open by an interrupted crawl (%d bytes of a partial record cut)", name, cut)
        self._timer = task.LoopingCall(self._tick)
        self._timer.start(min(self.max_wait / 2, 0.5), now=False)

    def close_spider(self, spider: Any = None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        self.store.close()
        try:
            self._count(self.sink.close())
        except StoreFailed as exc:
            self._stop(str(exc))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, FailedFetch):
            self.flush()  # keep the order of events for the page
            try:
                self.sink.submit(Unreachable(item.page_url, item.when, item.source))
            except StoreFailed as exc:
                self._stop(str(exc))
            return None
        assert isinstance(item, FetchedArticle)
        self._batch.append(self.capture(item))
        self._first_at = self._first_at or time.monotonic()
        if len(self._batch) >= self.batch_size:
            self.flush()
        return None  # nothing downstream; returning the item would keep its body alive in the log

    def capture(self, item: FetchedArticle) -> PendingCapture:
        """Apply the archiving policy and write the WARC records; extraction happens in the sink."""
        page = item.fetched
        self.stats.inc_value("kz/fetched")
        rules = self.rules.get(item.source, SiteRules())
        captured = CapturedPage(
            page_url=item.page_url, url=page.url, fetched_at=page.fetched_at, http_status=page.status,
            headers=page.headers, content_type=page.content_type, payload_sha256=page.payload_sha256,
            payload_length=len(page.body), source=item.source, category=item.category,
            pointer=None, article=None,
        )
        if forbids_archiving(page.headers, item.decoded_body):
            log.info("noarchive: not kept: %s", page.url)
            return PendingCapture(replace(captured, skipped=CaptureOutcome.NOARCHIVE,  # type: ignore[arg-type]
                                          reason="publisher forbids archiving (noarchive)"), None, rules)
        if 200 <= page.status < 300 and page.content_type not in HTML_TYPES:
            log.info("not HTML (%s): not kept: %s", page.content_type, page.url)
            return PendingCapture(replace(captured, skipped=CaptureOutcome.NOT_HTML,  # type: ignore[arg-type]
                                          reason=f"content type {page.content_type}"), None, rules)
        captured = replace(captured, pointer=self.store.write(page))
        return PendingCapture(captured, item.decoded_body if 200 <= page.status < 300 else None, rules)

    def _tick(self) -> None:
        if self._batch and time.monotonic() - self._first_at >= self.max_wait:
            self.flush()
        self._count(self.sink.results())

    def flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch, self._first_at = self._batch, [], 0.0
        self.store.sync()  # on disk before any row can point at it
        try:
            self.sink.submit(batch)
        except StoreFailed as exc:
            self._stop(str(exc))

    def _stop(self, why: str) -> None:
        """Stop fetching: what is fetched can be archived but no longer stored. The WARC records
        already written stay; the next crawl refetches the pages that have no rows."""
        self.stats.inc_value("kz/errors/store")
        if self.stats.get_value("kz/store_failure") is None:
            self.stats.set_value("kz/store_failure", why.splitlines()[-1][:300])
            log.error("stopping the crawl: %s", why)
            if self.crawler is not None and self.crawler.engine is not None:
                # Twisted drives the coroutine (the crawl runs on the epoll reactor, not asyncio).
                Deferred.fromCoroutine(self.crawler.engine.close_spider_async(reason="store-failed"))

    def _count(self, outcomes: list[str]) -> None:
        for outcome in outcomes:
            self.stats.inc_value(f"kz/outcome/{outcome}")
