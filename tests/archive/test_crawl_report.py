"""Crawl health per source: what `services.start_crawl` / `end_crawl` keep on each Source, finished
or interrupted, and how `kuaizhao status` words it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kuaizhao.archive import services
from kuaizhao.archive.crawl_report import CrawlKind, CrawlReport
from kuaizhao.archive.models import Source
from kuaizhao.cli.archive import crawl_health
from kuaizhao.sources import parse_sources

T0 = datetime(2026, 1, 17, 4, 0, tzinfo=UTC)  # 12:00 in Beijing


def sources() -> None:
    services.sync_sources(parse_sources('[[source]]\nname = "华夏日报"\nhomepage = "http://hx.example.cn/"\n'
                                        'feeds = ["http://hx.example.cn/rss"]\n'))


def report() -> CrawlReport:
    return Source.objects.get(name="华夏日报").crawl_report


def test_a_finished_crawl_is_recorded_with_its_counts(db):
    sources()
    assert report().started is None and crawl_health(report()) == "last crawl: never"
    services.start_crawl(["华夏日报"], T0)
    services.end_crawl(["华夏日报"], T0, T0 + timedelta(minutes=5), "finished",
                       {"华夏日报": {"fetched": 9, "new": 4, "unchanged": 3, "store": 1, "unreachable": 2,
                                  "fresh": 7}, "别的报": {"fetched": 1}})
    done = report()
    assert done.completed and done.finished == T0 + timedelta(minutes=5)
    assert (done.count(CrawlKind.FETCHED), done.count(CrawlKind.NEW), done.count(CrawlKind.UNCHANGED)) == (9, 4, 3)
    assert done.problems() == {CrawlKind.UNREACHABLE: 2, CrawlKind.STORE: 1}, "in PROBLEMS order"
    assert done.skipped() == {CrawlKind.FRESH: 7}
    assert Source.objects.get(name="华夏日报").crawl_completed_at == T0 + timedelta(minutes=5)
    assert crawl_health(done) == ("last crawl 2026-01-17 12:00, finished 2026-01-17 12:05: 9 fetched, 4 new, "
                                  "3 unchanged; skipped: fresh 7; problems: unreachable 2, store 1")
    assert CrawlReport.from_json(done.to_json()) == done


def test_an_interrupted_crawl_says_so_and_keeps_what_it_counted(db):
    sources()
    services.start_crawl(["华夏日报"], T0)
    services.end_crawl(["华夏日报"], T0, T0 + timedelta(minutes=5), "finished", {})
    later = T0 + timedelta(days=1)
    services.start_crawl(["华夏日报"], later)
    running = report()
    assert running.started == later and not running.completed and running.count(CrawlKind.FETCHED) == 0
    assert "进程被终止" in running.reason_label, "a killed crawl leaves only its start"
    assert "NOT FINISHED (running, or its process was killed)" in crawl_health(running)
    services.end_crawl(["华夏日报"], later, later + timedelta(minutes=1), "shutdown", {"华夏日报": {"fetched": 3}})
    stopped = report()
    assert not stopped.completed and stopped.reason_label == "被手动停止" and stopped.count(CrawlKind.FETCHED) == 3
    assert "NOT FINISHED (shutdown, stopped 2026-01-18 12:01)" in crawl_health(stopped)
    # the last crawl that did finish is still the one the next crawl resumes from
    assert Source.objects.get(name="华夏日报").crawl_completed_at == T0 + timedelta(minutes=5)
    assert services.start_crawl(["华夏日报"], later + timedelta(hours=1)) == {"华夏日报"}
