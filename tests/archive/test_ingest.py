"""The one ingest path (archive.ingest): the policy first, WARC records of what is kept, then
extraction and storage. The crawler, the WARC importer and save-page-now all go through it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kuaizhao.archive import ingest
from kuaizhao.archive.fetched import FetchedPage
from kuaizhao.archive.models import CaptureOutcome, Snapshot
from kuaizhao.archive.policy import forbids_archiving
from kuaizhao.archive.warc import WarcStore

ARTICLE = ("<html><head><title>测试新闻</title></head><body><h1>测试新闻标题</h1><div class='content'>"
           + "".join(f"<p>这是第{n}段足够长的新闻正文，用来测试抽取和存储，内容完整，标点齐全。</p>" for n in range(6))
           + "</div></body></html>").encode()
HTML = [("Content-Type", "text/html; charset=utf-8")]


def fetched(n: int, headers=HTML, body: bytes = ARTICLE, status: int = 200) -> ingest.Fetched:
    page = FetchedPage(url=f"http://news.example.cn/a/{n}.html", status=status, headers=list(headers), body=body,
                       fetched_at=datetime(2026, 1, 17, 12, 0, n, tzinfo=UTC))
    return ingest.Fetched(page, body, page.url, source=None)


@pytest.mark.parametrize(
    ("headers", "body", "forbidden"),
    [
        ([("X-Robots-Tag", "noarchive")], b"", True),
        ([("X-Robots-Tag", "googlebot: noarchive")], b"", False),
        ([("X-Robots-Tag", "kuaizhao: noarchive, nofollow")], b"", True),
        ([("X-Robots-Tag", "unavailable_after: 25 Jun 2030 15:00:00 PST")], b"", False),
        ([], b'<html><head><meta name="robots" content="noarchive"></head>', True),
        ([], b'<head><meta content="NOARCHIVE,nofollow" name="ROBOTS"/></head>', True),
        ([], b'<head><meta name="robots" content="index"></head><p>noarchive</p>', False),
        ([], b'<head><meta name="googlebot" content="noarchive"></head>', False),
    ],
)
def test_noarchive_rules(headers, body, forbidden):
    assert forbids_archiving(headers, body) is forbidden
def test_what_the_policy_refuses_is_never_written(tmp_path):
    warc = WarcStore(tmp_path)
    noarchive = ingest.capture(fetched(1, [*HTML, ("X-Robots-Tag", "noarchive")]), warc)
    pdf = ingest.capture(fetched(2, [("Content-Type", "application/pdf")], b"%PDF-1.4"), warc)
    warc.close()
    assert noarchive.refused and noarchive.capture.skipped == CaptureOutcome.NOARCHIVE
    assert noarchive.capture.reason == "publisher forbids archiving (noarchive)"
    assert pdf.refused and pdf.capture.reason == "not HTML (application/pdf)"
    assert noarchive.capture.pointer is None and pdf.capture.pointer is None
    assert not list(tmp_path.glob("*.warc.gz")), "a refused response left bytes on disk"


def test_kept_responses_are_written_before_anything_is_extracted(tmp_path):
    warc = WarcStore(tmp_path)
    page = ingest.capture(fetched(1), warc)
    gone = ingest.capture(fetched(2, status=404, body=b"<html><body>not found</body></html>"), warc)
    warc.sync()
    assert not page.refused and page.capture.pointer is not None and page.capture.article is None
    assert warc.read(page.capture.pointer).body == ARTICLE
    assert gone.capture.pointer is not None and gone.decoded_body is None, "an error page is kept, not extracted"
    warc.close()


def test_store_extracts_then_stores_the_batch(db, tmp_path):
    warc = WarcStore(tmp_path)
    batch = [ingest.capture(fetched(1), warc), ingest.capture(fetched(2, [*HTML, ("X-Robots-Tag", "noarchive")]), warc)]
    warc.sync()
    assert ingest.store(batch) == [CaptureOutcome.NEW_SNAPSHOT, CaptureOutcome.NOARCHIVE]
    assert Snapshot.objects.get().title == "测试新闻标题"
    warc.close()


def recheck(n: int, body: bytes, second: int, reread: bool = False) -> ingest.Fetched:
    page = FetchedPage(url=f"http://news.example.cn/a/{n}.html", status=200, headers=list(HTML), body=body,
                       fetched_at=datetime(2026, 1, 17, 13, 0, second, tzinfo=UTC))
    return ingest.Fetched(page, body, page.url, source=None, reread=reread)


# The usual shape: the headline and the body in one wrapper, a sidebar of other news beside it.
WRAPPED = ARTICLE.replace(b"<body>", b"<body><div class='article'>").replace(b"</body>", b"</div></body>")


def with_sidebar(titles: str, body: bytes = WRAPPED) -> bytes:
    return body.replace(b"</body>", f"<div class='hot'><ul><li><a href='/x'>{titles}</a></li></ul></div></body>"
                        .encode())


def test_a_recheck_whose_article_parts_are_unchanged_is_not_extracted_again(db, tmp_path, monkeypatch):
    warc = WarcStore(tmp_path)
    first = ingest.capture(recheck(1, with_sidebar("热点一"), 0), warc)
    warc.sync()
    assert ingest.store([first]) == [CaptureOutcome.NEW_SNAPSHOT]
    extracted = []
    real_read = ingest.read
    monkeypatch.setattr(ingest, "read", lambda *a, **k: extracted.append(a[1]) or real_read(*a, **k))

    sidebar = ingest.capture(recheck(1, with_sidebar("热点二：另一条新闻"), 1), warc)
    warc.sync()
    assert ingest.store([sidebar]) == [CaptureOutcome.SAME_ARTICLE] and extracted == []
    assert sidebar.capture.pointer is not None, "the capture is kept in WARC all the same"

    forced = ingest.capture(recheck(1, with_sidebar("热点三"), 2, reread=True), warc)
    warc.sync()
    assert ingest.store([forced]) == [CaptureOutcome.UNCHANGED] and len(extracted) == 1

    edited = with_sidebar("热点四", WRAPPED.replace("第3段".encode(), "第三段".encode()))
    changed = ingest.capture(recheck(1, edited, 3), warc)
    warc.sync()
    assert ingest.store([changed]) == [CaptureOutcome.NEW_SNAPSHOT] and len(extracted) == 2
    assert Snapshot.objects.count() == 2
    warc.close()
