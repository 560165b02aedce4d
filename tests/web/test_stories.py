"""Stories: reprints and copies are grouped as they are stored, shown together, and kept out of
"related" and "more in this category"; older snapshots are grouped by `cluster_unassigned`."""

from __future__ import annotations

import json
from datetime import timedelta

from kuaizhao.archive import stories
from kuaizhao.archive.models import Page, Snapshot, StoryBucket, TakedownState
from kuaizhao.archive.services import cluster_unassigned, set_takedown
from kuaizhao.search import sync

from ..archive.test_stories import ARTICLE, REPRINT
from .conftest import T0

OTHER = (
    "国家统计局今天公布，前4个月全国规模以上工业增加值同比增长5.6%，外贸进出口企业订单有所回升。\n"
    "统计局新闻发言人表示，工业生产总体平稳，装备制造业和高技术制造业增长较快。"
)


def _snap(url: str) -> Snapshot:
    return Page.objects.get(url=url).latest_snapshot


def test_an_edited_reprint_on_another_site_joins_the_story_and_others_do_not(archive):
    original = archive.add("前4个月外贸进出口同比增长2.1%", text=ARTICLE)
    reprint = archive.add("外贸进出口增速加快", url="http://nf.example.cn/a/1.html", text=REPRINT)
    other = archive.add("前4个月工业增加值增长5.6%", text=OTHER)
    assert _snap(original).story_id == _snap(reprint).story_id
    assert _snap(other).story_id not in (None, _snap(original).story_id)
    assert StoryBucket.objects.filter(snapshot=_snap(reprint)).count() == stories.BANDS


def test_copies_far_apart_in_time_are_different_stories(archive):
    """Templates recur for years; a copy appears within days of its original."""
    first = archive.add("外贸数据", text=ARTICLE)
    later = archive.add("外贸数据", text=REPRINT, when=T0 + timedelta(days=30))
    assert _snap(first).story_id != _snap(later).story_id


def test_every_version_of_a_page_stays_in_the_page_story(archive):
    url = archive.add("外贸数据", text=ARTICLE)
    archive.add("外贸数据（更新）", url=url, text=OTHER)  # rewritten beyond recognition: still that page's story
    versions = Snapshot.objects.filter(page__url=url)
    assert versions.count() == 2 and len({s.story_id for s in versions}) == 1


def test_copies_in_one_batch_find_each_other(archive):
    """A crawl stores a batch at a time: a reprint stored with its original must still join it."""
    with archive.batch():
        a = archive.add("外贸数据", text=ARTICLE)
        b = archive.add("外贸数据", url="http://nf.example.cn/a/2.html", text=REPRINT)
        c = archive.add("工业数据", text=OTHER)
    assert _snap(a).story_id == _snap(b).story_id != _snap(c).story_id


def test_the_snapshot_page_lists_the_copies_and_related_blocks_leave_them_out(archive, client, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    original = archive.add("前4个月外贸进出口同比增长2.1%", text=ARTICLE, category="财经")
    reprint = archive.add("外贸进出口增速加快", url="http://nf.example.cn/a/1.html", text=REPRINT, category="财经")
    archive.add("前4个月工业增加值增长5.6%", text=OTHER, category="财经")
    sync.apply_pending()
    html = client.get(f"/snapshot/{_snap(original).pk}/").content.decode()
    copies, _, rest = html.partition('id="copies-h"')[2].partition("</section>")
    assert "同一报道的其他网页（1）" in copies and f"/snapshot/{_snap(reprint).pk}/" in copies
    assert f"/snapshot/{_snap(reprint).pk}/" not in rest, "a copy is neither related coverage nor more news"
    assert "前4个月工业增加值增长5.6%" in rest

    set_takedown([_snap(reprint).pk], TakedownState.TAKEN_DOWN)
    html = client.get(f"/snapshot/{_snap(original).pk}/").content.decode()
    assert 'id="copies-h"' not in html and f"/snapshot/{_snap(reprint).pk}/" not in html


def test_search_shows_a_story_once_with_its_reprints(archive, client, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    archive.add("前4个月外贸进出口同比增长2.1%", text=ARTICLE)
    archive.add("外贸进出口增速加快", url="http://nf.example.cn/a/1.html", text=REPRINT)
    sync.apply_pending()
    found = json.loads(client.get("/api/search", {"q": "海关总署"}).content)
    assert len(found["hits"]) == 1 and found["hits"][0]["reprints"] == 1


def test_cluster_unassigned_groups_older_snapshots_and_updates_search(archive, client, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    urls = [archive.add("外贸数据", text=ARTICLE), archive.add("外贸新闻", url="http://nf.example.cn/a/1.html",
                                                              text=REPRINT), archive.add("工业数据", text=OTHER)]
    sync.apply_pending()
    before = {url: _snap(url).story_id for url in urls}
    # As an archive stored before stories existed: no stories, no buckets.
    Snapshot.objects.update(story=None)
    StoryBucket.objects.all().delete()
    assert cluster_unassigned(batch_size=1) == 3  # a batch each: the copy is found in the stored buckets
    after = {url: _snap(url).story_id for url in urls}
    assert (after[urls[0]] == after[urls[1]]) and after[urls[2]] != after[urls[0]]
    assert len(set(before.values())) == len(set(after.values())) == 2
    sync.apply_pending()
    found = json.loads(client.get("/api/search", {"q": "海关总署"}).content)
    assert len(found["hits"]) == 1 and found["hits"][0]["reprints"] == 1
