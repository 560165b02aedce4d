"""Lists show a story once, as search does: home, category, source, 更多关于…, feeds; and the
way around the site: the list of sources, the API docs, `site:` with a port."""

from __future__ import annotations

import re

import feedparser
import pytest

from kuaizhao.archive.models import Page, Snapshot, Source
from kuaizhao.search import sync

from ..archive.test_stories import ARTICLE, REPRINT
from ..conftest import take_down
from .conftest import T0

OTHER = "国家统计局今天公布，前4个月全国规模以上工业增加值同比增长5.6%。\n统计局表示，工业生产总体平稳。"


@pytest.fixture
def reprinted(archive, settings, tmp_path):
    """One story on two sites (华夏日报's original, 南风资讯's edited reprint) and one other story."""
    settings.INDEX_DIR = tmp_path / "index"
    original = archive.add("前4个月外贸进出口同比增长2.1%", text=ARTICLE, category="财经", when=T0)
    reprint = archive.add("外贸进出口增速加快", url="http://nf.example.cn/a/1.html", text=REPRINT,
                          category="财经", when=T0.replace(hour=14))
    other = archive.add("前4个月工业增加值增长5.6%", text=OTHER, category="财经", when=T0.replace(hour=13))
    sync.apply_pending()
    snaps = {name: Page.objects.get(url=url).latest_snapshot for name, url in
             (("original", original), ("reprint", reprint), ("other", other))}
    assert snaps["original"].story_id == snaps["reprint"].story_id
    return snaps


def listed(html: str) -> list[str]:
    return re.findall(r'<a class="title" href="(/snapshot/\d+/)"', html)


def test_home_category_and_feeds_show_a_story_once_by_its_newest_copy(client, reprinted):
    newest, other = f"/snapshot/{reprinted['reprint'].pk}/", f"/snapshot/{reprinted['other'].pk}/"
    original = f"/snapshot/{reprinted['original'].pk}/"
    for url in ("/", "/category/finance/"):
        html = client.get(url).content.decode()
        shown = listed(html)
        assert original not in shown and shown.count(newest) == shown.count(other) >= 1, url
        assert len(shown) == len(set(shown)) * (2 if url == "/" else 1), url  # home: latest + the section
        assert "1 家转载" in html, url
    category = client.get("/category/finance/").content.decode()
    assert "共 2 篇" in category, "the total counts stories, as listed"
    for feed in ("/feed", "/category/finance/feed/atom"):
        entries = feedparser.parse(client.get(feed).content).entries
        links = [e.link for e in entries]
        assert len(links) == 2 and any(newest in link for link in links), feed
        assert any("另有 1 家转载" in e.summary for e in entries), feed


def test_a_source_lists_its_own_copy_of_a_story_another_site_reprinted(client, reprinted):
    huaxia = Source.objects.get(name="华夏日报")
    shown = listed(client.get(f"/source/{huaxia.pk}/").content.decode())
    assert f"/snapshot/{reprinted['original'].pk}/" in shown and f"/snapshot/{reprinted['reprint'].pk}/" not in shown


def test_more_in_category_leaves_out_the_story_and_repeats_none(client, archive, reprinted):
    third = archive.add("外贸企业订单回升", text=OTHER.replace("工业增加值", "外贸企业订单"), category="财经")
    html = client.get(f"/snapshot/{Page.objects.get(url=third).latest_snapshot.pk}/").content.decode()
    more = listed(html.partition('id="more-h"')[2])
    story = {f"/snapshot/{reprinted[k].pk}/" for k in ("original", "reprint")}
    assert len(more) == len(set(more)) and len(story & set(more)) == 1, "the reprinted story once"


def test_search_total_is_the_number_listed_over_all_pages(client, archive, reprinted, settings):
    settings.SEARCH_PAGE_SIZE = 1
    total = int(re.search(r"找到 (\d+) 篇", client.get("/search?q=前4个月 OR 外贸").content.decode())[1])
    shown, page = [], 1
    while True:
        html = client.get(f"/search?q=前4个月 OR 外贸&page={page}").content.decode()
        shown += listed(html.partition('class="results"')[2].partition('</section>')[0])
        if 'rel="next"' not in html:
            break
        page += 1
    assert total == len(shown) == 2


def test_the_sources_are_listed_and_the_api_docs_linked_from_every_page(client, reprinted):
    html = client.get("/source/").content.decode()
    for source in Source.objects.all():
        assert f'href="/source/{source.pk}/"' in html and source.name in html
    for url in ("/", "/source/", "/search", "/about/", f"/snapshot/{reprinted['other'].pk}/"):
        page = client.get(url).content.decode()
        assert 'href="/api/docs"' in page and 'href="/source/"' in page, url
    assert client.get("/api/docs").status_code == 200


def test_site_finds_a_host_with_or_without_its_port(client, archive, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    archive.add("本地测试站的报道", url="http://127.0.0.1:8313/a/1.html")
    archive.add("另一个端口的报道", url="http://127.0.0.1:8314/a/2.html")
    sync.apply_pending()
    assert Snapshot.objects.filter(page__host="127.0.0.1:8313").exists()

    def total(q: str) -> int:
        return int(client.get("/api/search", {"q": q}).json()["total"])

    assert total("site:127.0.0.1") == 2
    assert total("site:127.0.0.1:8313") == 1
    assert total("site:http://127.0.0.1:8314/a/") == 1


def test_category_pages_list_each_story_once_and_count_them(client, reprinted, settings):
    settings.PAGE_SIZE = 1
    settings.LISTING_COUNT_SECONDS = 0
    shown = []
    for page in (1, 2):
        html = client.get(f"/category/finance/?page={page}").content.decode()
        assert "共 2 篇" in html
        shown += listed(html)
    assert client.get("/category/finance/?page=3").status_code == 404
    assert shown == [f"/snapshot/{reprinted['reprint'].pk}/", f"/snapshot/{reprinted['other'].pk}/"]


def test_a_taken_down_copy_leaves_the_list_and_its_count(client, reprinted):
    take_down([reprinted["reprint"].pk])
    html = client.get("/category/finance/").content.decode()
    assert f"/snapshot/{reprinted['original'].pk}/" in listed(html), "the story's newest public copy stands for it"
    assert "家转载" not in html
