"""Story lineage: /story/<id>/ lists every public copy of a story earliest first, with whom each
credits and what became of it; the snapshot page and search hits sum it up and link to it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kuaizhao.archive.models import Page, Snapshot
from kuaizhao.extract.article import PageTime, Precision, TimeProvenance
from kuaizhao.search import sync

from ..archive.test_stories import ARTICLE, REPRINT
from ..conftest import take_down
from .conftest import T0, Archive
from .test_browser import CHROMIUM, chromium_or_skip

NF = "http://nf.example.cn/a/1.html"
EARLY = PageTime(T0 - timedelta(hours=2), Precision.SECOND, TimeProvenance.TEXT, "2026-01-17 18:37:00")


def _snap(url: str) -> Snapshot:
    return Page.objects.get(url=url).latest_snapshot


@pytest.fixture
def indexed(settings, tmp_path) -> None:
    settings.INDEX_DIR = tmp_path / "index"


def _story(archive: Archive) -> tuple[str, str]:
    """A reprint stored first, and the original it credits stored later but stated as published
    earlier: the story starts with the original. Returns (original url, reprint url)."""
    reprint = archive.add("外贸进出口增速加快", url=NF, text=REPRINT, when=T0 + timedelta(minutes=60),
                          source="华夏日报", reposted_from=("华夏日报", "新华社"))
    original = archive.add("前4个月外贸进出口同比增长2.1%", text=ARTICLE, when=T0 + timedelta(minutes=90),
                           published=EARLY)
    assert _snap(original).story_id == _snap(reprint).story_id is not None
    return original, reprint


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _copies(html: str) -> list[str]:
    """The snapshot links of the story page's copies, in order."""
    listed = html.partition('class="list copies-list"')[2].partition("</ol>")[0]
    return re.findall(r'class="title" href="(/snapshot/\d+/)"', listed)


def test_copies_are_listed_earliest_first_with_their_credits_and_fate(archive, client):
    original, reprint = _story(archive)
    story = _snap(original).story_id
    html = client.get(f"/story/{story}/").content.decode()
    assert _copies(html) == [f"/snapshot/{_snap(original).pk}/", f"/snapshot/{_snap(reprint).pk}/"]
    # 最早: the original's stated time, in Beijing time
    assert "首发 华夏日报 · 转载 1 家 · 最早 2026-01-17 18:37" in _text(html)
    first, second = html.partition('class="list copies-list"')[2].split('<li class="item copy')[1:3]
    assert "首发</span>" in first and "来源：" not in first and "发布：<time" in first
    assert "南风资讯" in second and "来源：华夏日报" in second and "本文转自：华夏日报 ← 新华社" in second
    assert "未见修改" in first and "未见修改" in second

    # The reprint is edited, then the original is deleted: each copy tells its own fate.
    archive.add("外贸进出口增速加快", url=NF, text=REPRINT.replace("10项", "12项"), when=T0 + timedelta(hours=3),
                source="华夏日报", reposted_from=("华夏日报", "新华社"))
    archive.add(url=original, when=T0 + timedelta(hours=4), status=404)
    assert Snapshot.objects.filter(story=story).count() == 3
    html = client.get(f"/story/{story}/").content.decode()
    assert len(_copies(html)) == 2
    first, second = html.partition('class="list copies-list"')[2].split('<li class="item copy')[1:3]
    assert "copy-removed" in first and "已删除（2026-01-18 00:37 发现）" in first
    assert "修改 1 次（最近 2026-01-17 23:37）" in second and f"/page/{_snap(reprint).page_id}/diff/" in second


def test_a_taken_down_copy_is_absent_and_not_counted(archive, client, indexed):
    original, reprint = _story(archive)
    third = archive.add("外贸进出口增速加快", url="http://nf.example.cn/a/2.html", text=REPRINT,
                        when=T0 + timedelta(minutes=120))
    story = _snap(original).story_id
    assert _snap(third).story_id == story
    assert "转载 2 家" in client.get(f"/story/{story}/").content.decode()

    take_down([_snap(original).pk])
    html = client.get(f"/story/{story}/").content.decode()
    assert _copies(html) == [f"/snapshot/{_snap(reprint).pk}/", f"/snapshot/{_snap(third).pk}/"]
    assert f"/snapshot/{_snap(original).pk}/" not in html and "前4个月外贸进出口同比增长2.1%" not in html
    assert "首发 南风资讯 · 转载 1 家 · 最早 2026-01-17 20:37" in _text(html)


def test_a_story_without_a_public_copy_is_not_found(archive, client, indexed):
    only = archive.add("前4个月外贸进出口同比增长2.1%", text=ARTICLE)
    story = _snap(only).story_id
    assert client.get(f"/story/{story}/").status_code == 200
    assert "暂无转载" in client.get(f"/story/{story}/").content.decode()
    take_down([_snap(only).pk])
    assert client.get(f"/story/{story}/").status_code == 404
    assert client.get("/story/987654/").status_code == 404


def test_the_snapshot_page_sums_up_the_story_and_links_to_it(archive, client):
    original, reprint = _story(archive)
    story = _snap(original).story_id
    html = client.get(f"/snapshot/{_snap(reprint).pk}/").content.decode()
    line = html.partition('class="story-line"')[2].partition("</p>")[0]
    assert f'href="/story/{story}/"' in line
    assert _text(line).endswith("首发 华夏日报 · 转载 1 家 · 最早 18:37")  # the same day as the copy: hh:mm
    clocks = _text(html.partition('class="clocks"')[2].partition("</dl>")[0])
    assert "最早见于他处" in clocks and "2026-01-17 18:37" in clocks
    original_page = client.get(f"/snapshot/{_snap(original).pk}/").content.decode()
    assert "最早见于他处" not in original_page, "the earliest copy has no earlier one"
    lonely = archive.add("另一篇报道", when=T0 + timedelta(days=3))  # a story of one copy: no line
    html = client.get(f"/snapshot/{_snap(lonely).pk}/").content.decode()
    assert "/story/" not in html and "story-line" not in html


def test_a_search_hit_links_its_reprints_to_the_story_page(archive, client, indexed):
    original, _ = _story(archive)
    sync.apply_pending()
    html = client.get("/search", {"q": "海关总署"}).content.decode()
    assert f'<a href="/story/{_snap(original).story_id}/"' in html and "1 家转载</a>" in html


@pytest.mark.browser
def test_story_page_reads_at_desktop_and_phone_width(django_db_serialized_rollback, live_server, archive, artifacts):
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    original, reprint = _story(archive)
    archive.add("外贸进出口增速加快", url=NF, text=REPRINT.replace("10项", "12项"), when=T0 + timedelta(hours=3),
                source="华夏日报", reposted_from=("华夏日报", "新华社"))
    archive.add(url=original, when=T0 + timedelta(hours=4), status=404)
    start = f"{live_server.url}/snapshot/{_snap(reprint).pk}/"  # the database is not read inside playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless", "--no-sandbox", "--disable-background-networking"])
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(start)
                page.locator(".story-line a").click()
                expect(page.locator("h1")).to_contain_text("报道溯源")
                expect(page.locator(".copy")).to_have_count(2)
                expect(page.locator(".copy").first).to_contain_text("已删除")
                expect(page.locator(".copy").last).to_contain_text("修改 1 次")
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways scrolling"
                page.screenshot(path=str(artifacts / f"story-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()


def test_walk_from_a_removed_article_to_its_story_and_a_diff(django_db_serialized_rollback, live_server, archive,
                                                            artifacts):
    """The issue's walk: a removed article's page says so above the body; its story lists the copies;
    the edited copy's version list leads to its sentence diff — at desktop and phone width."""
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    original, _ = _story(archive)
    archive.add("外贸进出口增速加快", url=NF, text=REPRINT.replace("10项", "12项"), when=T0 + timedelta(hours=3),
                source="华夏日报", reposted_from=("华夏日报", "新华社"))
    archive.add(url=original, when=T0 + timedelta(hours=4), status=410)
    start = f"{live_server.url}/snapshot/{_snap(original).pk}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless", "--no-sandbox", "--disable-background-networking"])
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(start)
                expect(page.locator(".fate")).to_contain_text("原文已于")
                expect(page.locator(".fate")).to_contain_text("410")
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
                page.screenshot(path=str(artifacts / f"removed-{width}.png"), full_page=True)
                page.locator(".story-line a").click()
                expect(page.locator("h1")).to_contain_text("报道溯源")
                page.locator(".copy").last.locator("a", has_text="查看改动").click()
                expect(page.locator("h1")).to_contain_text("版本对比")
                expect(page.locator("ins").first).to_be_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
                page.screenshot(path=str(artifacts / f"walk-diff-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
