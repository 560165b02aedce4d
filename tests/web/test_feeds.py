"""Feeds: every feed parses with feedparser without `bozo`, carries stable GUIDs, the capture link,
the original link and the article, leaves taken-down snapshots out, and is announced on its page."""

from __future__ import annotations

import re

import feedparser
import pytest

from kuaizhao.archive.models import Category, Snapshot, Source
from kuaizhao.search import sync

from ..conftest import take_down

TEXT = "泰国总理英拉今天发表讲话，强调不会解散国会。\n曼谷街头的反政府示威今天仍在继续。"
# Three different reports (not copies of one story, which search would show as one hit).
OTHERS = ["英拉在曼谷会见各国使节，介绍泰国经济形势和明年的预算安排。\n曼谷街头的反政府示威今天仍在继续。",
          "反对派再次要求英拉辞职，示威者在政府大楼外集会到深夜。",
          "英拉出席东盟峰会，与邻国领导人讨论湄公河流域的水资源合作。"]


@pytest.fixture
def filled(archive, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    settings.PUBLIC_URL = "http://archive.example.org"
    urls = [archive.add(f"英拉发表讲话之{i}", text=OTHERS[i], category="国际") for i in range(3)]
    urls.append(archive.add("冬奥会筹备进展顺利", text="国际奥委会今天宣布冬奥会筹备进展顺利。", category="体育"))
    gone = archive.add("英拉发表讲话（已删除）", text=TEXT + "\n已删除。", category="国际")
    take_down([Snapshot.objects.get(page__url=gone).pk])
    sync.apply_pending()
    return urls, gone


def _parse(client, url: str, kind: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"].startswith(f"application/{kind}+xml"), response["Content-Type"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


FEEDS = [
    ("/feed", "rss"), ("/feed/atom", "atom"),
    ("/category/world/feed", "rss"), ("/category/world/feed/atom", "atom"),
    ("/search/feed?q=英拉", "rss"), ("/search/feed/atom?q=英拉", "atom"),
]


@pytest.mark.parametrize(("url", "kind"), FEEDS)
def test_every_feed_parses_cleanly_and_leaves_takedowns_out(client, filled, url, kind):
    parsed = _parse(client, url, kind)
    titles = [e.title for e in parsed.entries]
    assert titles, url
    assert "英拉发表讲话（已删除）" not in titles
    assert all(not re.search("已删除", e.get("content", [{"value": ""}])[0]["value"]) for e in parsed.entries)
    if "category" in url or "search" in url:
        assert "冬奥会筹备进展顺利" not in titles
        assert sorted(titles) == ["英拉发表讲话之0", "英拉发表讲话之1", "英拉发表讲话之2"]
    else:
        assert len(titles) == 4


def test_items_carry_guid_capture_link_original_link_and_full_text(client, filled):
    urls, _ = filled
    snap = Snapshot.objects.get(page__url=urls[0])
    permalink = f"http://archive.example.org/snapshot/{snap.pk}/"
    rss = _parse(client, "/feed", "rss")
    item = next(e for e in rss.entries if e.title == snap.title)
    assert item.id == permalink  # the public address, whatever Host the feed was fetched under
    assert item.link.endswith(f"/snapshot/{snap.pk}/")
    assert item.dc_source == urls[0]
    assert "曼谷街头的反政府示威今天仍在继续" in item.content[0]["value"]
    assert item.summary == snap.lead
    assert item.published_parsed is not None
    atom = _parse(client, "/feed/atom", "atom")
    entry = next(e for e in atom.entries if e.title == snap.title)
    assert entry.id == permalink
    assert {"rel": "via", "href": urls[0]}.items() <= next(link for link in entry.links if link.rel == "via").items()
    assert "曼谷街头" in entry.content[0]["value"]
    # The GUID does not change from one fetch to the next, nor between flavours.
    assert _parse(client, "/feed", "rss").entries[0].id == rss.entries[0].id


def test_lead_only_when_full_text_is_off(client, filled, settings):
    settings.FEED_FULL_TEXT = False
    parsed = _parse(client, "/feed", "rss")
    assert all("content" not in e for e in parsed.entries)
    assert all(e.summary for e in parsed.entries)


def test_source_feed_and_page(client, filled):
    source = Source.objects.get(name="华夏日报")
    parsed = _parse(client, f"/source/{source.pk}/feed", "rss")
    assert len(parsed.entries) == 4
    assert parsed.feed.title.endswith("华夏日报")
    page = client.get(f"/source/{source.pk}/").content.decode()
    assert "冬奥会筹备进展顺利" in page and "英拉发表讲话（已删除）" not in page
    assert client.get("/source/999999/feed").status_code == 404


def _alternates(html: str) -> dict[str, str]:
    pattern = r'<link rel="alternate" type="application/(rss|atom)\+xml" title="[^"]*" href="([^"]+)"'
    return dict(re.findall(pattern, html))


@pytest.mark.parametrize(("page", "rss"), [
    ("/", "/feed"),
    ("/category/world/", "/category/world/feed"),
    ("/search?q=英拉", "/search/feed?q=%E8%8B%B1%E6%8B%89"),
])
def test_pages_announce_their_feeds(client, filled, page, rss):
    html = client.get(page).content.decode()
    found = _alternates(html)
    assert found["rss"] == rss
    assert found["atom"] == rss.replace("/feed", "/feed/atom")
    # and show them to readers
    assert f'href="{rss.replace("&", "&amp;")}"' in html


def test_snapshot_page_announces_its_category_feed(client, filled):
    urls, _ = filled
    snap = Snapshot.objects.get(page__url=urls[0])
    found = _alternates(client.get(f"/snapshot/{snap.pk}/").content.decode())
    assert found["rss"] == f"/category/{Category.objects.get(name='国际').slug}/feed"


def test_search_feed_answers_bad_queries_clearly(client, filled):
    assert client.get("/search/feed").status_code == 400
    bad = client.get('/search/feed?q="未闭合')
    assert bad.status_code == 400 and "检索式有误" in bad.content.decode()
    assert client.get("/category/nope/feed").status_code == 404
