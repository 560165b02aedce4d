"""The archive pipeline: each fetched article goes through `archive.ingest`, in batches.

`ingest.capture` (policy, WARC records) runs here, in the Scrapy process; `ingest.store`
(extraction, database) runs in the sink, by default a worker process. Rows are committed in
batches only after the WARC file is synced, so a row never points at bytes that are not on disk.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.internet import task
from twisted.internet.defer import Deferred

from ..archive import ingest
from ..archive.warc import WarcStore
from . import tally
from .items import FailedFetch
from .sink import InlineSink, Sink, StoreFailed, WorkerSink
from .worker import Job, Outcome, Unreachable, sources_of

log = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, store: WarcStore, sink: Sink, stats: StatsCollector,
                 batch_size: int = 50, max_wait: float = 2.0, crawler: Crawler | None = None) -> None:
        self.crawler = crawler  # only to stop the crawl when captures can no longer be stored
        self.store = store
        self.sink = sink
        self.stats = stats
        self.batch_size = batch_size
        self.max_wait = max_wait
        self._batch: list[ingest.PendingCapture] = []
        self._first_at = 0.0
        self._timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        s = crawler.settings
        store = WarcStore(Path(s["KZ_WARC_DIR"]), s.getint("KZ_WARC_MAX_BYTES"))
        sink: Sink = WorkerSink() if s.getbool("KZ_STORE_PROCESS", True) else InlineSink()
        assert crawler.stats is not None
        return cls(store, sink, crawler.stats, s.getint("KZ_STORE_BATCH", 50), crawler=crawler)

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
            self._count(self.sink.results())  # what was stored before it failed, and what was not
            self._stop(str(exc))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, FailedFetch):
            self.flush()  # keep the order of events for the page
            self._submit(Unreachable(item.page_url, item.when, item.source))
            return None
        assert isinstance(item, ingest.Fetched)
        self.stats.inc_value("kz/fetched")
        tally.count(self.stats, item.source, "fetched")
        self._batch.append(ingest.capture(item, self.store))
        self._first_at = self._first_at or time.monotonic()
        if len(self._batch) >= self.batch_size:
            self.flush()
        return None  # nothing downstream; returning the item would keep its body alive in the log

    def _tick(self) -> None:
        if self._batch and time.monotonic() - self._first_at >= self.max_wait:
            self.flush()
        self._count(self.sink.results())

    def flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch, self._first_at = self._batch, [], 0.0
        self.store.sync()  # on disk before any row can point at it
        self._submit(batch)

    def _submit(self, job: Job) -> None:
        try:
            self.sink.submit(job)
        except StoreFailed as exc:
            for source, n in Counter(sources_of(job)).items():
                tally.count(self.stats, source, "store", n)
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

    def _count(self, outcomes: list[Outcome]) -> None:
        for source, outcome in outcomes:
            self.stats.inc_value(f"kz/outcome/{outcome}")
            tally.count(self.stats, source, outcome)
