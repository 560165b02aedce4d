"""Building archive content for page tests the way the crawler does: through the services."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from kuaizhao.archive.fetched import FetchedPage
from kuaizhao.archive.services import CapturedPage, store_captures, sync_sources
from kuaizhao.archive.warc import WarcStore
from kuaizhao.extract.article import Article, PageTime, Precision, TimeProvenance
from kuaizhao.sources import parse_sources

T0 = datetime(2026, 1, 17, 12, 37, tzinfo=UTC)  # 20:37 in Beijing
TEXT = "近年来，湖南省推动全省产业工人队伍建设取得良好成效。\n截至2021年底，全省共有技能人才532万人。"


def _filler(n: int) -> str:
    """Sixty characters that differ from article to article, so that default bodies are different
    stories (with one shared body every article would be a copy of the others)."""
    digest = hashlib.blake2b(f"filler:{n}".encode(), digest_size=64).digest() * 2
    # Characters of the CJK Unified Ideographs block (U+4E00 onwards), two digest bytes each.
    return "".join(chr(0x4E00 + int.from_bytes(digest[k : k + 2]) % 20000) for k in range(0, 120, 2)) + "。"


class Archive:
    def __init__(self, warc_dir) -> None:
        self.store = WarcStore(warc_dir)
        self.n = 0
        self._held: list[CapturedPage] | None = None
        sync_sources(parse_sources('[[source]]\nname = "华夏日报"\nhomepage = "http://hx.example.cn/"\n'
                                   'feeds = ["http://hx.example.cn/rss"]\ncategory = "国内"\n'
                                   '[[source]]\nname = "南风资讯"\nhomepage = "http://nf.example.cn/"\nfeeds = ["http://nf.example.cn/rss"]\n'))

    def add(self, title: str = "湖南深化产业工人队伍建设改革", **kwargs) -> str:
        """Capture a page and store it (or hold it for the batch being built); returns its URL."""
        item = self.capture(title, **kwargs)
        if self._held is not None:
            self._held.append(item)
        else:
            store_captures([item])
        return item.page_url

    def capture(self, title: str = "湖南深化产业工人队伍建设改革", *, url: str | None = None, category: str = "国内",
                text: str | None = None, when: datetime | None = None, status: int = 200,
                **fields) -> CapturedPage:
        """What a crawl hands the store for one page: written to WARC, extracted, not stored yet."""
        self.n += 1
        text = text if text is not None else TEXT + "\n" + _filler(self.n)
        url = url or f"http://hx.example.cn/gn/2026-01/17/content_{self.n}.htm"
        when = when or T0 + timedelta(minutes=self.n)
        html = "".join(f"<p>{p}</p>" for p in text.split("\n"))
        body = f"<html><body><h1>{title}</h1>{html}</body></html>".encode()
        fetched = FetchedPage(url=url, status=status, headers=[("Content-Type", "text/html; charset=utf-8")],
                              body=body, fetched_at=when)
        pointer = self.store.write(fetched)
        self.store.sync()
        article = Article(
            url=url, title=title, text=text, html=html, category=category,
            published=fields.pop("published", PageTime(when - timedelta(hours=1), Precision.SECOND,
                                                       TimeProvenance.TEXT, "2026-01-17 19:37:00")),
            captured=when, **fields,
        ) if status == 200 else None
        return CapturedPage(
            page_url=url, url=url, fetched_at=when, http_status=status, headers=fetched.headers,
            content_type="text/html", payload_sha256=hashlib.sha256(body).hexdigest(), payload_length=len(body),
            pointer=pointer, article=article, source="南风资讯" if "//nf.example.cn/" in url else "华夏日报",
        )

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Store the pages added inside as one batch, as a crawl does."""
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            store_captures(held)


@pytest.fixture
def archive(db, settings, tmp_path) -> Archive:
    settings.WARC_DIR = tmp_path / "warc"
    return Archive(settings.WARC_DIR)
