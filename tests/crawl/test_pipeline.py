"""The archive pipeline built directly (components take plain values): batches through ingest, failure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kuaizhao.archive.fetched import FetchedPage
from kuaizhao.archive.ingest import Fetched
from kuaizhao.archive.models import Capture, CaptureOutcome, Snapshot
from kuaizhao.archive.warc import WarcStore
from kuaizhao.crawl.pipelines import ArchivePipeline
from kuaizhao.crawl.sink import InlineSink, StoreFailed

ARTICLE = ("<html><head><title>测试新闻</title></head><body><h1>测试新闻标题</h1><div class='content'>"
           + "".join(f"<p>这是第{n}段足够长的新闻正文，用来测试抽取和存储，内容完整，标点齐全。</p>" for n in range(6))
           + "</div></body></html>")


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value


def item(n: int, headers=(("Content-Type", "text/html; charset=utf-8"),), body: str = ARTICLE) -> Fetched:
    raw = body.encode()
    page = FetchedPage(url=f"http://news.example.cn/a/{n}.html", status=200, headers=list(headers), body=raw,
                       fetched_at=datetime(2026, 1, 17, 12, 0, n, tzinfo=UTC))
    return Fetched(page, raw, page.url)


def test_policy_then_warc_then_store(db, tmp_path):
    store = WarcStore(tmp_path)
    stats = Stats()
    pipeline = ArchivePipeline(store, InlineSink(), stats, batch_size=10)  # type: ignore[arg-type]
    pipeline.process_item(item(1))
    pipeline.process_item(item(2, headers=[("Content-Type", "text/html"), ("X-Robots-Tag", "noarchive")]))
    pipeline.process_item(item(3, headers=[("Content-Type", "application/pdf")], body="%PDF-1.4"))
    assert Capture.objects.count() == 0, "nothing is stored before its batch is handed over"
    pipeline.close_spider()
    outcomes = dict(Capture.objects.values_list("url", "outcome"))
    assert outcomes == {
        "http://news.example.cn/a/1.html": CaptureOutcome.NEW_SNAPSHOT,
        "http://news.example.cn/a/2.html": CaptureOutcome.NOARCHIVE,
        "http://news.example.cn/a/3.html": CaptureOutcome.NOT_HTML,
    }
    assert list(Capture.objects.exclude(warc_file="").values_list("url", flat=True)) == ["http://news.example.cn/a/1.html"]
    assert Snapshot.objects.get().title == "测试新闻标题"
    assert stats.values["kz/fetched"] == 3 and stats.values["kz/outcome/new"] == 1


class FailingSink(InlineSink):
    def submit(self, job):
        raise StoreFailed("the store worker stopped: database is locked")


class Engine:
    def __init__(self) -> None:
        self.closed_with: str | None = None

    async def close_spider_async(self, *, reason: str) -> None:
        self.closed_with = reason


def test_a_store_that_fails_stops_the_crawl(tmp_path):
    class Crawler:
        engine = Engine()

    stats = Stats()
    pipeline = ArchivePipeline(WarcStore(tmp_path), FailingSink(), stats, batch_size=1,  # type: ignore[arg-type]
                               crawler=Crawler())  # type: ignore[arg-type]
    pipeline.process_item(item(1))
    pipeline.process_item(item(2))
    assert Crawler.engine.closed_with == "store-failed"
    assert stats.values["kz/errors/store"] == 2
    assert stats.values["kz/store_failure"] == "the store worker stopped: database is locked"
    pipeline.store.close()


def test_outcomes_are_counted_per_source_too(db, tmp_path):
    from dataclasses import replace

    from kuaizhao.crawl.tally import per_source

    stats = Stats()
    pipeline = ArchivePipeline(WarcStore(tmp_path), InlineSink(), stats, batch_size=10)  # type: ignore[arg-type]
    pipeline.process_item(replace(item(1), source="甲/乙报"))
    pipeline.process_item(replace(item(2, headers=[("Content-Type", "application/pdf")], body="%PDF"), source="丙网"))
    pipeline.process_item(replace(item(3), source="丙网"))
    pipeline.process_item(item(4))  # no source: counted crawl-wide only
    pipeline.close_spider()
    assert per_source(stats.values) == {"甲/乙报": {"fetched": 1, "new": 1},
                                        "丙网": {"fetched": 2, "not-html": 1, "new": 1}}
    assert stats.values["kz/fetched"] == 4 and stats.values["kz/outcome/new"] == 3


def test_captures_that_cannot_be_stored_are_counted_per_source(tmp_path):
    from dataclasses import replace

    from kuaizhao.crawl.tally import per_source

    class Crawler:
        engine = Engine()

    stats = Stats()
    pipeline = ArchivePipeline(WarcStore(tmp_path), FailingSink(), stats, batch_size=2,  # type: ignore[arg-type]
                               crawler=Crawler())  # type: ignore[arg-type]
    pipeline.process_item(replace(item(1), source="甲报"))
    pipeline.process_item(replace(item(2), source="甲报"))
    assert per_source(stats.values) == {"甲报": {"fetched": 2, "store": 2}}
    pipeline.store.close()
