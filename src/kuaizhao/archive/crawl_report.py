"""Crawl health per source: what the last crawl of a source fetched, stored, skipped and failed.

The crawler counts per source as it goes (crawl/tally.py) and, when the crawl ends — finished or
interrupted — `services.end_crawl` stores one `CrawlReport` on each Source row (`last_crawl`).
The admin's source list and `kuaizhao status` show it. A crawl whose process was killed never
gets to write its report: the row then holds only its start, which reads as "not finished".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models


class CrawlKind(models.TextChoices):
    """What a crawl counts per source. Values of captures' outcomes are the same words."""

    FETCHED = "fetched", "抓取页面"  # an article URL answered (any HTTP status)
    NEW = "new", "新快照"  # its content made a new snapshot
    UNCHANGED = "unchanged", "未变化"  # same content as the page's latest snapshot
    # Skipped: by design, not a fault of the crawl.
    FRESH = "fresh", "未到复查时间"  # known, and its scheduled recheck has not come
    NOARCHIVE = "noarchive", "禁止存档"  # the publisher said noarchive
    NOT_HTML = "not-html", "非 HTML"  # a PDF, an image…
    NOT_ARTICLE = "not-article", "非文章"  # no article found: many of them can mean a site redesign
    # Problems: something the operator may have to look at.
    ROBOTS = "robots", "robots.txt 禁止"  # a feed, listing or article the site's robots.txt forbids
    BAD_URL = "bad-url", "网址无效"  # a link that is not a usable URL
    OVERSIZED = "oversized", "超过大小上限"  # body over KUAIZHAO_MAX_BODY_BYTES, not archived
    HTTP_ERROR = "http-error", "HTTP 错误"  # 4xx/5xx answer to an article
    UNREACHABLE = "unreachable", "无法访问"  # no answer: timeout, refused connection, DNS
    DISCOVERY = "discovery", "订阅源/列表页无法读取"  # a feed, sitemap or listing page could not be read
    EXCEPTION = "exception", "处理出错"  # an error in our code while handling a response (see the log)
    STORE = "store", "存储失败"  # archived in WARC but not stored in the database


SKIPPED = (CrawlKind.FRESH, CrawlKind.NOARCHIVE, CrawlKind.NOT_HTML, CrawlKind.NOT_ARTICLE)
PROBLEMS = (CrawlKind.UNREACHABLE, CrawlKind.HTTP_ERROR, CrawlKind.DISCOVERY, CrawlKind.ROBOTS, CrawlKind.BAD_URL,
            CrawlKind.OVERSIZED, CrawlKind.EXCEPTION, CrawlKind.STORE)

# Scrapy's finish reasons (and ours) in words; anything else is shown as Scrapy wrote it.
REASONS = {
    "finished": "正常结束",
    "shutdown": "被手动停止",
    "store-failed": "存储失败，已停止",
    "cancelled": "已取消",
}


@dataclass(frozen=True)
class CrawlReport:
    """The last crawl of one source."""

    started: datetime | None = None
    finished: datetime | None = None  # when it stopped, whatever the reason; None: never recorded
    reason: str = ""  # Scrapy's finish_reason; "" while it runs, or when its process was killed
    counts: Mapping[str, int] = field(default_factory=dict)  # CrawlKind value → count

    @property
    def completed(self) -> bool:
        return self.reason == "finished"

    @property
    def recorded(self) -> bool:
        """Whether the crawl got to record its counts (it ended, finished or not)."""
        return bool(self.reason)

    @property
    def reason_label(self) -> str:
        if not self.started:
            return ""
        return REASONS.get(self.reason, self.reason) if self.reason else "未完成（进行中，或进程被终止）"

    def count(self, kind: CrawlKind) -> int:
        return self.counts.get(kind.value, 0)

    def problems(self) -> dict[CrawlKind, int]:
        """Problem kinds with a count, in the order of PROBLEMS."""
        return {k: self.count(k) for k in PROBLEMS if self.count(k)}

    def skipped(self) -> dict[CrawlKind, int]:
        return {k: self.count(k) for k in SKIPPED if self.count(k)}

    def to_json(self) -> dict[str, Any]:
        return {
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "reason": self.reason,
            "fetched": self.count(CrawlKind.FETCHED),
            "new": self.count(CrawlKind.NEW),
            "unchanged": self.count(CrawlKind.UNCHANGED),
            "skipped": {k.value: n for k, n in self.skipped().items()},
            "errors": {k.value: n for k, n in self.problems().items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> CrawlReport:
        data = data or {}
        counts = {k: int(data.get(k) or 0) for k in ("fetched", "new", "unchanged")}
        counts.update(data.get("skipped") or {})
        counts.update(data.get("errors") or {})
        return cls(_time(data.get("started")), _time(data.get("finished")), data.get("reason") or "",
                   {k: n for k, n in counts.items() if n})


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
