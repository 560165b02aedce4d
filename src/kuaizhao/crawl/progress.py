"""Live progress of a crawl on the terminal, from the crawl's stats."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

# Outcomes of a fetch that found the article unchanged: extracted, answered 304, or its parts
# unchanged (archive/states.py).
UNCHANGED = ("unchanged", "not-modified", "same-article")


def counts(stats: dict[str, Any]) -> dict[str, int]:
    """The figures a person watching a crawl wants, from Scrapy's stats."""
    def total(prefix: str) -> int:
        return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))

    return {
        "fetched": stats.get("kz/fetched", 0),
        "new": stats.get("kz/outcome/new", 0),
        "unchanged": sum(stats.get(f"kz/outcome/{o}", 0) for o in UNCHANGED),
        "skipped": total("kz/skipped/") + stats.get("kz/outcome/noarchive", 0) + stats.get("kz/outcome/not-html", 0)
        + stats.get("kz/outcome/not-article", 0),
        "errors": total("kz/errors/unreachable") + total("kz/errors/discovery") + stats.get("kz/outcome/http-error", 0)
        + stats.get("spider_exceptions/count", 0) + stats.get("kz/errors/store", 0),
    }


def progress_line(stats: dict[str, Any], elapsed: float) -> str:
    c = counts(stats)
    rate = c["fetched"] / elapsed if elapsed > 0 else 0.0
    return (f"fetched {c['fetched']:>6} · new snapshots {c['new']:>6} · unchanged {c['unchanged']:>5} · "
            f"skipped {c['skipped']:>4} · errors {c['errors']:>4} · {rate:6.1f} pages/s")


class ProgressReporter:
    """Prints a progress line every `interval` seconds: in place on a terminal, else one per line."""

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        if not crawler.settings.getbool("KZ_PROGRESS", True):
            raise NotConfigured
        interval = crawler.settings.getfloat("KZ_PROGRESS_INTERVAL", 1.0 if sys.stderr.isatty() else 5.0)
        reporter = cls(crawler, interval, sys.stderr)
        crawler.signals.connect(reporter.opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.closed, signal=signals.spider_closed)
        return reporter

    def opened(self, spider: Any = None) -> None:
        self.started = time.monotonic()
        self._loop = task.LoopingCall(self.report)
        self._loop.start(self.interval, now=False)

    def report(self) -> None:
        assert self.crawler.stats is not None
        line = progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        self.stream.write(("\r" + line) if self.tty else (line + "\n"))
        self.stream.flush()

    def closed(self, spider: Any = None, reason: str = "") -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.report()
        if self.tty:
            self.stream.write("\n")
