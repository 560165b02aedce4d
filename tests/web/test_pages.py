"""The public pages: home, categories, the snapshot page with the reference page's blocks, the
raw capture view, error pages, and the takedown gate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kuaizhao.archive.models import Page, Snapshot
from kuaizhao.extract.article import PageTime, Precision, TimeProvenance
from kuaizhao.search import sync

from ..conftest import restore, take_down
from .conftest import T0, TEXT


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_empty_archive_explains_how_to_fill_it(client, db):
    html = get(client, "/")
    assert 'lang="zh-CN"' in html and "kuaizhao crawl" in html and "kuaizhao demo" in html


def test_home_lists_latest_per_category(client, archive):
    archive.add("国内新闻一")
    archive.add("国际新闻一", category="国际")
    html = get(client, "/")
    assert "国内新闻一" in html and "国际新闻一" in html
    assert '<a href="/category/world/">国际</a>' in html


def test_snapshot_page_has_the_reference_blocks(client, archive):
    url = archive.add(
        "代表委员话两会|委员宋峥嵘：深化新时代产业工人队伍建设改革",
        source="人民资讯", reposted_from=("人民网-湖南频道",), authors=("张三", "李四"), editor="王五",
        original_title="湖南省政协委员宋峥嵘：深化产业工人队伍建设改革",
        published=PageTime(T0, Precision.SECOND, TimeProvenance.TEXT, "2026-01-17 20:37:00"),
    )
    snap = Snapshot.objects.get(page__url=url)
    html = get(client, f"/snapshot/{snap.pk}/")
    text = re.sub(r"<[^>]+>", "", html)
    assert "<h1 id=\"title\">代表委员话两会|委员宋峥嵘：深化新时代产业工人队伍建设改革</h1>" in html
    assert "类别：国内" in text
    assert "发布时间：2026-01-17 20:37:00" in text, "Beijing time, to the precision the page stated"
    assert 'title="时间来源：页面上显示的时间（页面原文：2026-01-17 20:37:00）"' in html
    assert "来源：人民资讯" in text
    assert "本文转自：人民网-湖南频道" in text
    assert "原标题：湖南省政协委员宋峥嵘：深化产业工人队伍建设改革" in text
    assert "作者：张三、李四" in text and "责任编辑：王五" in text
    assert "<p>近年来，湖南省推动全省产业工人队伍建设取得良好成效。</p>" in html
    assert "以上内容为资讯信息快照" in text and "本站未对信息做任何修改" in text
    assert "快照生成时间：2026-01-17 20:38:00" in text
    assert "如有侵权请联系我们进行删除" in text
    assert f"信息原文地址：{url}" in text and "原文在线" in text
    assert f'href="/snapshot/{snap.pk}/raw/"' in html


def test_publish_time_is_shown_to_its_precision(client, archive):
    url = archive.add(published=PageTime(T0, Precision.DAY, TimeProvenance.URL, "http://x"))
    html = get(client, f"/snapshot/{Snapshot.objects.get(page__url=url).pk}/")
    assert ">2026-01-17</time>" in html and "网址中的日期" in html


def test_more_in_category_and_history(client, archive):
    for n in range(3):
        archive.add(f"国内其他新闻{n}")
    url = archive.add("原标题", url="http://hx.example.cn/a/edited.htm")
    archive.add("原标题（更新）", url="http://hx.example.cn/a/edited.htm", text="改过的正文，内容不同了。" + TEXT)
    page = Page.objects.get(url=url)
    assert page.status == "edited" and page.snapshots.count() == 2
    html = get(client, f"/snapshot/{page.latest_snapshot_id}/")
    assert "更多关于国内的资讯" in html and "国内其他新闻0" in html
    assert "此页面的全部快照（2）" in html and "原文已修改" in html


def test_category_pagination(client, archive, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        archive.add(f"国内分页{n}")
    html = get(client, "/category/china/?page=2")
    assert "第 2 / 3 页 · 共 5 篇" in html and 'rel="next"' in html and 'rel="prev"' in html
    first, last = get(client, "/category/china/"), get(client, "/category/china/?page=3")
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert 'aria-current="page"' in html
    assert "页码应为数字" in get(client, "/category/china/?page=x", 400)
    assert "页面不存在" in get(client, "/category/china/?page=99", 404)
    assert "页面不存在" in get(client, "/category/nonsense/", 404)


def test_listing_total_is_reused_but_rows_are_fresh(client, archive, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        archive.add(f"国内计数{n}")
    assert "共 3 篇" in get(client, "/category/china/")
    archive.add("国内计数新到")
    archive.add("国内计数最新")
    taken = Snapshot.objects.get(title="国内计数最新")
    take_down([taken.pk])
    html = get(client, "/category/china/")
    assert "共 3 篇" in html, "the total is counted once per LISTING_COUNT_SECONDS"
    assert "国内计数新到" in html and "国内计数最新" not in html, "the rows are read on every request"
    settings.LISTING_COUNT_SECONDS = 0
    assert "共 4 篇" in get(client, "/category/china/")


def test_current_listing_shows_each_page_once_at_its_latest(client, archive):
    url = archive.add("旧版标题", url="http://hx.example.cn/a/versions.htm")
    archive.add("新版标题", url=url, text="新版正文，内容不同了。" + TEXT)
    archive.add("另一篇")
    titles = [s.title for s in Snapshot.objects.public().current().newest_first()]
    assert sorted(titles) == ["另一篇", "新版标题"]
    html = get(client, "/category/china/")
    assert "新版标题" in html and "旧版标题" not in html


def test_raw_capture_is_sandboxed_and_unmodified(client, archive):
    url = archive.add()
    snap = Snapshot.objects.get(page__url=url)
    page = get(client, f"/snapshot/{snap.pk}/raw/")
    assert "<iframe" in page and " sandbox " in page and snap.capture.payload_sha256 in page
    response = client.get(f"/snapshot/{snap.pk}/raw/content")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "script-src 'none'" in csp and "default-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"<html><body><h1>")
    source = client.get(f"/snapshot/{snap.pk}/raw/source.txt")
    assert source["Content-Type"] == "text/plain; charset=utf-8" and b"Content-Type: text/html" in source.content


def test_taken_down_snapshot_is_gone_from_every_public_read(client, archive):
    url = archive.add("要删除的新闻")
    archive.add("留下的新闻")
    snap = Snapshot.objects.get(page__url=url)
    assert take_down([snap.pk]) == [snap.pk]
    for path in (f"/snapshot/{snap.pk}/", f"/snapshot/{snap.pk}/raw/", f"/snapshot/{snap.pk}/raw/content",
                 f"/snapshot/{snap.pk}/raw/source.txt"):
        assert client.get(path).status_code == 451, path  # blocked: a tombstone says why
    for path in ("/", "/category/china/"):
        html = get(client, path)
        assert "要删除的新闻" not in html and "留下的新闻" in html
    restore([snap.pk])
    assert client.get(f"/snapshot/{snap.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/about/", "/about/crawler/", "/category/china/"])
def test_no_external_assets(client, archive, path):
    archive.add()
    html = get(client, path)
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert all(a.startswith("/") for a in assets), assets
    assert 'name="viewport"' in html


def test_crawler_page_names_the_user_agent(client, db, settings):
    assert settings.USER_AGENT in get(client, "/about/crawler/")


def test_unknown_snapshot_and_wrong_method(client, db):
    assert "页面不存在" in get(client, "/snapshot/987654/", 404)
    # Past what a 64-bit key holds: not found, on either database, never a driver's overflow (a 500).
    for path in ("/snapshot/99999999999999999999/", "/source/99999999999999999999/",
                 "/source/99999999999999999999/feed"):
        assert client.get(path).status_code == 404, path
    assert client.post("/").status_code == 405


def test_pages_show_no_python_internals(client, archive, settings, tmp_path):
    """Jinja2 prints a method it was not told to call (Django's templates called it): every page
    that shows model data, checked for what such a slip prints."""
    settings.INDEX_DIR = tmp_path / "index"  # search, and the snapshot page's related blocks
    archive.add("国内新闻一", authors=("张三",))
    archive.add("国内新闻二", url="http://hx.example.cn/a/2.htm")
    sync.apply_pending()
    snap = Snapshot.objects.get(title="国内新闻一")
    assert snap.source_id is not None
    pages = dict.fromkeys(("/", "/category/china/", f"/source/{snap.source_id}/", f"/snapshot/{snap.pk}/",
                           f"/snapshot/{snap.pk}/raw/", "/search?q=国内", "/search?q=没有这种新闻", "/about/"), 200)
    pages["/nope"] = 404
    for url, status in pages.items():
        html = get(client, url, status)  # a template error would be a 500 page, free of slips
        for slip in ("bound method", "object at 0x", "Undefined", "None<", ">None"):
            assert slip not in html, (url, slip)


def test_a_declared_time_the_page_contradicts_is_kept_and_shown(client, archive):
    """The page shows 10:48; its meta said 08:15: the shown time is the publish time, the meta's is kept."""
    url = archive.add(
        "平镇轮胎行火灾", published=PageTime(T0, Precision.MINUTE, TimeProvenance.TEXT, "2026/01/17 20:37"),
        declared=PageTime(T0 - timedelta(hours=2), Precision.MINUTE, TimeProvenance.META, "2026/01/17 18:37"))
    snap = Snapshot.objects.get(page__url=url)
    assert snap.declared_published_at == T0 - timedelta(hours=2)
    assert "网页元数据另称 2026-01-17 18:37" in get(client, f"/snapshot/{snap.pk}/")
    detail = client.get(f"/api/snapshots/{snap.pk}").json()
    assert detail["declared_published"].startswith("2026-01-17T10:37")
