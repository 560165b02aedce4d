"""Building archive content for page tests the way the crawler does: through the services."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from kuaizhao.archive.fetched import FetchedPage
from kuaizhao.archive.services import CapturedPage, store_captures, sync_sources
from kuaizhao.archive.warc import WarcStore
from kuaizhao.extract.article import Article, PageTime, Precision, TimeProvenance
from kuaizhao.sources import parse_sources

T0 = datetime(2026, 1, 17, 12, 37, tzinfo=UTC)  # 20:37 in Beijing


class Archive:
    def __init__(self, warc_dir) -> None:
        self.store = WarcStore(warc_dir)
        self.n = 0
        sync_sources(parse_sources('[[source]]\nname = "华夏日报"\nhomepage = "http://hx.example.cn/"\n'
                                   'feeds = ["http://hx.example.cn/rss"]\ncategory = "国内"\n'))

    def add(self, title: str = "湖南深化产业工人队伍建设改革", *, url: str | None = None, category: str = "国内",
            text: str = "近年来，湖南省推动全省产业工人队伍建设取得良好成效。\n截至2021年底，全省共有技能人才532万人。",
            when: datetime | None = None, status: int = 200, **fields) -> str:
        self.n += 1
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
        store_captures([CapturedPage(
            page_url=url, url=url, fetched_at=when, http_status=status, headers=fetched.headers,
            content_type="text/html", payload_sha256=hashlib.sha256(body).hexdigest(), payload_length=len(body),
            pointer=pointer, article=article, source="华夏日报",
        )])
        return url


@pytest.fixture
def archive(db, settings, tmp_path) -> Archive:
    settings.WARC_DIR = tmp_path / "warc"
    return Archive(settings.WARC_DIR)
