"""End-to-end crawls of the demo news site: `kuaizhao crawl` in a subprocess, checked in the database
and the WARC files."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from kuaizhao.archive.crawl_report import CrawlKind
from kuaizhao.archive.models import Capture, CaptureOutcome, Page, PageStatus, Snapshot, Source
from kuaizhao.demo.outlets.huaxia import MEMO_PATH


def all_demo_articles(server) -> set[str]:
    urls = set()
    for srv in server._servers:
        outlet = srv.outlet
        urls |= {outlet.url(i) for i in server.site.ids(outlet.key)}
    return urls


def test_first_crawl_archives_every_article(kuaizhao, demo_site, demo_sources):
    done = kuaizhao.crawl(demo_sources)
    assert "crawl finished" in done.stdout
    expected = all_demo_articles(demo_site) - {
        demo_site._servers[1].outlet.url(i) for i in demo_site.site.noarchive_ids
    }
    snapshot_urls = set(Snapshot.objects.values_list("page__url", flat=True))
    assert snapshot_urls == expected
    # one snapshot per page, and every snapshot has its capture kept in a WARC file
    assert Snapshot.objects.count() == len(expected)
    assert not Capture.objects.filter(outcome=CaptureOutcome.NEW_SNAPSHOT, warc_file="").exists()
    # the summary names every kind of skip the demo site contains
    for line in ("forbidden by robots.txt", "noarchive", "not HTML", "body over the size limit", "bad URL"):
        assert line in done.stdout, line


def test_warc_records_match_capture_rows(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    files = sorted(kuaizhao.warc_dir.glob("*.warc.gz"))
    assert files and not list(kuaizhao.warc_dir.glob("*.open")), "closed files only after a clean crawl"
    # Read every file sequentially with warcio: request/response pairs, WARC/1.1, SHA-256 digests.
    responses = {}
    for path in files:
        with open(path, "rb") as f:
            it = ArchiveIterator(f)
            for record in it:
                if record.rec_type == "response":
                    payload = record.raw_stream.read()
                    responses[(path.name, it.get_record_offset())] = (record, payload)
                assert record.rec_headers.protocol == "WARC/1.1"
    captures = list(Capture.objects.exclude(warc_file=""))
    assert len(captures) == len(responses)
    import base64
    import hashlib

    for capture in captures:
        record, payload = responses[(capture.warc_file, capture.warc_offset)]
        assert record.rec_headers.get_header("WARC-Target-URI") == capture.url
        assert hashlib.sha256(payload).hexdigest() == capture.payload_sha256
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        assert digest == "sha256:" + base64.b32encode(bytes.fromhex(capture.payload_sha256)).decode()
        # offset + length delimit exactly one gzip member holding this record
        with open(kuaizhao.warc_dir / capture.warc_file, "rb") as f:
            f.seek(capture.warc_offset)
            member = f.read(capture.warc_length)
        alone = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert alone.rec_headers.get_header("WARC-Record-ID") == record.rec_headers.get_header("WARC-Record-ID")


def test_robots_txt_is_obeyed(kuaizhao, demo_site, demo_sources):
    done = kuaizhao.crawl(demo_sources)
    assert "forbidden by robots.txt                        1" in done.stdout
    assert not Page.objects.filter(url__contains=MEMO_PATH).exists()
    assert not Capture.objects.filter(url__contains="/internal/").exists()


def test_noarchive_is_honoured_and_recorded(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    dongfang = demo_site._servers[1].outlet
    for article_id, how in demo_site.site.noarchive_ids.items():
        url = dongfang.url(article_id)
        page = Page.objects.get(url=url)
        assert page.status == PageStatus.EXCLUDED, how
        assert not Snapshot.objects.filter(page=page).exists(), how
        capture = Capture.objects.get(page=page)
        assert capture.outcome == CaptureOutcome.NOARCHIVE
        assert capture.warc_file == "" and capture.warc_offset is None, "the body must not be kept"
    # and nothing of theirs is in any WARC file
    for path in kuaizhao.warc_dir.glob("*.warc.gz"):
        with open(path, "rb") as f:
            uris = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f)}
        assert not uris & {dongfang.url(i) for i in demo_site.site.noarchive_ids}


def test_unchanged_recrawl_makes_no_new_snapshot(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    before = Snapshot.objects.count()
    seen = dict(Page.objects.values_list("url", "last_seen"))
    done = kuaizhao.crawl(demo_sources, "--recrawl-all")
    assert Snapshot.objects.count() == before
    assert Capture.objects.filter(outcome=CaptureOutcome.UNCHANGED).count() == before
    assert f"unchanged          {before}" in done.stdout
    after = Page.objects.exclude(last_seen=None).values_list("url", "last_seen")
    moved = [url for url, last in after if last > seen[url]]
    assert len(moved) == before, "last_seen moves forward on an unchanged fetch"


def test_a_fresh_page_is_not_fetched_again(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    captures = Capture.objects.count()
    done = kuaizhao.crawl(demo_sources)  # young articles are rechecked every 15 minutes at most
    assert Capture.objects.count() == captures
    assert "already fresh" in done.stdout


def test_edited_and_removed_articles_on_the_next_edition(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    demo_site.set_edition(1)
    kuaizhao.crawl(demo_sources, "--recrawl-all")
    site = demo_site.site
    outlets = {srv.outlet.key: srv.outlet for srv in demo_site._servers}
    edited = [i for i in range(site.count) if site.article(i).edited_in == 1]
    removed = [i for i in range(site.count) if site.article(i).removed_in == 1]
    assert edited and removed
    for i in edited:
        page = Page.objects.get(url=outlets[site.outlet_of(i).key].url(i))
        assert page.status == PageStatus.EDITED
        titles = list(Snapshot.objects.filter(page=page).order_by("captured_at").values_list("title", flat=True))
        assert len(titles) == 2 and titles[1].endswith("（更新）") and not titles[0].endswith("（更新）")
        assert page.latest_snapshot.title == titles[1]
    for i in removed:
        page = Page.objects.get(url=outlets[site.outlet_of(i).key].url(i))
        # 华夏日报 answers 404, 南风资讯 410, 东方新闻网 a 200 "该内容已被删除" page
        assert page.status == PageStatus.REMOVED, (site.outlet_of(i).key, page.url)
        assert Snapshot.objects.filter(page=page).count() == 1, "the snapshot taken while it existed stays"


def test_unreachable_source_is_reported_and_the_crawl_goes_on(kuaizhao, demo_site, demo_sources, tmp_path: Path):
    from conftest import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    sources = tmp_path / "with-dead.toml"
    sources.write_text(demo_sources.read_text() + f'''
[[source]]
name = "停刊报"
homepage = "{dead}/"
feeds = ["{dead}/rss.xml"]
''')
    done = kuaizhao.crawl(sources, "--source", "停刊报", "--source", "南风资讯")
    assert "feed/sitemap/listing unreadable" in done.stdout
    assert "停刊报" in done.stdout
    assert Snapshot.objects.filter(source__name="南风资讯").count() > 0
    dead_report = Source.objects.get(name="停刊报").crawl_report
    assert dead_report.completed and dead_report.problems() == {CrawlKind.DISCOVERY: 1}
    assert Source.objects.get(name="南风资讯").crawl_report.count(CrawlKind.NEW) > 0


def test_unreachable_article_marks_the_page(kuaizhao, tmp_path: Path):
    """An article URL whose host refuses connections: the page is recorded as unreachable."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from conftest import free_port

    dead_port = free_port()

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                body = b""
            else:
                body = (f'<rss version="2.0"><channel><item><link>http://127.0.0.1:{dead_port}/a/1.html</link></item>'
                        "</channel></rss>").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sources = tmp_path / "s.toml"
        port = server.server_address[1]
        sources.write_text(f'[[source]]\nname = "x"\nhomepage = "http://127.0.0.1:{port}/"\n'
                           f'feeds = ["http://127.0.0.1:{port}/feed"]\n')
        done = kuaizhao.crawl(sources, KUAIZHAO_DOWNLOAD_TIMEOUT="5")
    finally:
        server.shutdown()
    assert "unreachable (timeout, refused, DNS)" in done.stdout
    page = Page.objects.get(url=f"http://127.0.0.1:{dead_port}/a/1.html")
    assert page.status == PageStatus.UNREACHABLE


def test_stories_are_the_demo_sites_own_reprints(kuaizhao, demo_site, demo_sources):
    """Every story found is exactly one demo article and its reprints (edited or not), no more, no less."""
    kuaizhao.crawl(demo_sources)
    article = demo_site.article_urls()
    found: dict[int, set[str]] = {}
    truth: dict[int, set[str]] = {}
    for url, story in Snapshot.objects.values_list("page__url", "story_id"):
        assert story is not None, url
        found.setdefault(story, set()).add(url)
        truth.setdefault(demo_site.site.origin(article[url]), set()).add(url)
    groups = sorted(map(sorted, found.values()))
    assert groups == sorted(map(sorted, truth.values()))
    assert any(len(g) > 1 for g in groups), "the demo site reprints"


def test_each_source_keeps_the_health_of_its_last_crawl(kuaizhao, demo_site, demo_sources):
    """Per-source counts of a crawl of the demo site, stored on each Source and shown by `status`."""
    kuaizhao.crawl(demo_sources)
    site = demo_site.site
    articles = {srv.outlet.key: len(site.ids(srv.outlet.key)) for srv in demo_site._servers}
    first = {s.name: s.crawl_report for s in Source.objects.all()}
    hx, df, nf = first["华夏日报"], first["东方新闻网"], first["南风资讯"]
    assert all(r.completed and r.started <= r.finished for r in first.values())
    assert (hx.count(CrawlKind.FETCHED), hx.count(CrawlKind.NEW)) == (articles["huaxia"], articles["huaxia"])
    assert hx.problems() == {CrawlKind.ROBOTS: 1} and hx.skipped() == {}  # the memo robots.txt forbids
    # 东方新闻网: its articles and a PDF fetched; two articles say noarchive
    assert df.count(CrawlKind.FETCHED) == articles["dongfang"] + 1
    assert df.count(CrawlKind.NEW) == articles["dongfang"] - 2
    assert df.skipped() == {CrawlKind.NOARCHIVE: 2, CrawlKind.NOT_HTML: 1} and df.problems() == {}
    # 南风资讯: a malformed link and an oversized page in its feed
    assert (nf.count(CrawlKind.FETCHED), nf.count(CrawlKind.NEW)) == (articles["nanfeng"], articles["nanfeng"])
    assert nf.problems() == {CrawlKind.BAD_URL: 1, CrawlKind.OVERSIZED: 1}

    demo_site.set_edition(1)
    kuaizhao.crawl(demo_sources, "--recrawl-all")
    outlet = {i: site.outlet_of(i).key for i in range(site.count)}
    removed = Counter(outlet[i] for i in range(site.count) if site.article(i).removed_in == 1)
    edited = Counter(outlet[i] for i in range(site.count) if site.article(i).edited_in == 1)
    second = {s.name: s.crawl_report for s in Source.objects.all()}
    hx, df, nf = second["华夏日报"], second["东方新闻网"], second["南风资讯"]
    assert removed["huaxia"] and removed["nanfeng"] and removed["dongfang"]
    # Removed articles: 华夏日报 answers 404 and 南风资讯 410 (HTTP errors), 东方新闻网 a 200 "deleted" page.
    assert hx.problems() == {CrawlKind.HTTP_ERROR: removed["huaxia"], CrawlKind.ROBOTS: 1}
    assert nf.problems() == {CrawlKind.HTTP_ERROR: removed["nanfeng"], CrawlKind.BAD_URL: 1, CrawlKind.OVERSIZED: 1}
    assert df.count(CrawlKind.NOT_ARTICLE) == removed["dongfang"] and CrawlKind.HTTP_ERROR not in df.problems()
    for key, report in (("huaxia", hx), ("dongfang", df), ("nanfeng", nf)):
        assert report.count(CrawlKind.NEW) == edited[key], key
        assert report.count(CrawlKind.UNCHANGED) == (articles[key] - edited[key] - removed[key]
                                                     - (2 if key == "dongfang" else 0)), key

    status = kuaizhao.run("status").stdout
    huaxia = status.split("华夏日报")[1].split("\n")[1]
    assert "finished" in huaxia and f"{articles['huaxia']} fetched" in huaxia
    assert f"problems: http-error {removed['huaxia']}, robots 1" in huaxia


def test_recheck_looks_at_due_pages_only_and_an_unchanged_page_answers_304(kuaizhao, demo_site, demo_sources):
    from datetime import UTC, datetime, timedelta

    from kuaizhao.archive.models import ChangeKind, PageChange

    kuaizhao.crawl(demo_sources)
    articles = Page.objects.exclude(latest_snapshot=None)
    assert not articles.filter(next_check=None).exists(), "every captured article has its next check"
    pages = Page.objects.exclude(next_check=None).count()
    demo_site.set_edition(1)
    done = kuaizhao.run("recheck", "--sources", str(demo_sources), "--no-politeness")
    assert "0 known pages rechecked" in done.stdout, "nothing is due right after a crawl"
    Page.objects.exclude(next_check=None).update(next_check=datetime.now(UTC) - timedelta(minutes=1))  # time passes
    done = kuaizhao.run("recheck", "--sources", str(demo_sources), "--no-politeness")
    assert "0 new or due from feeds/sitemaps/listings" in done.stdout, "no discovery"
    assert f"{pages} known pages rechecked" in done.stdout
    assert "answered 304: not extracted" in done.stdout
    assert PageChange.objects.filter(kind=ChangeKind.EDITED).exists()
    assert PageChange.objects.filter(kind=ChangeKind.REMOVED).exists()
    assert Capture.objects.filter(outcome=CaptureOutcome.NOT_MODIFIED).count() > pages // 2
