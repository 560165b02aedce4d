"""Search through the site: the change log keeps the index in step with the database (new,
edited, taken down, deleted), rebuilds swap atomically, and /search, /api/search and the snapshot
page's related blocks show public snapshots only."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import quote

import pytest

from kuaizhao.archive.models import IndexChange, Snapshot
from kuaizhao.exceptions import SearchUnavailable
from kuaizhao.search import rebuild, service, sync

from ..conftest import restore, take_down
from .conftest import T0

TEXT_A = "泰国总理英拉今天发表讲话，强调不会辞职也不会解散国会。\n曼谷街头的反政府示威今天仍在继续。"
TEXT_B = "泰国总理英拉再次呼吁示威者结束示威活动。\n英拉承诺不会要求警方动用武力清场，解散国会不在考虑之中。"
TEXT_C = "国际奥委会今天宣布，下届冬奥会筹备工作进展顺利。"


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    return settings.INDEX_DIR


def ids(text: str, **kw) -> list[int]:
    return [item.snapshot.pk for item in service.search(text, **kw).items]


def snap(url: str) -> Snapshot:
    return Snapshot.objects.get(page__url=url, page__latest_snapshot=models_f())


def models_f():
    from django.db.models import F

    return F("pk")


def test_change_log_brings_new_snapshots_into_the_index(archive, index_dir):
    a = archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    b = archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    assert IndexChange.objects.count() == 2
    assert sync.apply_pending() == 2
    assert set(ids("英拉")) == {snap(a).pk, snap(b).pk}
    assert sync.apply_pending() == 0, "applying is idempotent: the index remembers where it is"
    state = sync.status()
    assert (state.documents, state.indexable, state.pending) == (2, 2, 0)


def test_an_edited_page_is_found_by_its_new_text_only(archive, index_dir):
    url = archive.add("冬奥会筹备", text=TEXT_C, category="体育")
    sync.apply_pending()
    archive.add("冬奥会筹备", url=url, text=TEXT_C.replace("进展顺利", "全面完成"), category="体育",
                when=T0 + timedelta(days=1))
    sync.apply_pending()
    assert ids('"全面完成"') == [snap(url).pk]
    assert ids('"进展顺利"') == [], "the superseded version left the index"


def test_a_taken_down_snapshot_never_appears(archive, index_dir, client):
    a = archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    b = archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    sync.apply_pending()
    gone = snap(a).pk
    take_down([gone])
    # Before the index hears of it, the gate already hides it everywhere…
    assert gone not in ids("英拉") and gone not in ids("英拉", sort="time")
    page = client.get("/search?q=英拉").content.decode()
    assert f"/snapshot/{gone}/" not in page and f"/snapshot/{snap(b).pk}/" in page
    api = client.get("/api/search?q=%22解散国会%22").json()
    assert gone not in [h["id"] for h in api["hits"]]
    related = client.get(f"/snapshot/{snap(b).pk}/").content.decode()
    assert f"/snapshot/{gone}/" not in related
    # …and once it does, counts and facets leave it out too.
    sync.apply_pending()
    assert service.search("英拉").results.total == 1
    restore([gone])
    sync.apply_pending()
    assert gone in ids("英拉")


def test_deleted_snapshots_leave_the_index(archive, index_dir):
    url = archive.add("冬奥会筹备", text=TEXT_C, category="体育")
    sync.apply_pending()
    Snapshot.objects.get(page__url=url).page.delete()  # cascades, as the admin would
    sync.apply_pending()
    assert sync.status().documents == 0


def test_reindex_swaps_atomically_and_search_answers_meanwhile(archive, index_dir):
    for i in range(30):
        archive.add(f"英拉讲话第{i}篇", category="国际")  # thirty different stories
    sync.apply_pending()
    before = sync.home().current_name()
    answers = []

    def progress(done: int, total: int) -> None:
        answers.append(service.search("英拉").results.total)  # the old generation, still live

    report = rebuild.reindex(progress)
    assert report.documents == 30 and answers and all(n == 30 for n in answers)
    assert sync.home().current_name() == report.generation != before
    assert before in report.removed and not (index_dir / before).exists()
    assert service.search("英拉").results.total == 30


def test_a_failed_rebuild_leaves_the_old_index_live(archive, index_dir):
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    sync.apply_pending()
    live = sync.home().current_name()

    def crash(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt  # as if killed half-way

    with pytest.raises(KeyboardInterrupt):
        rebuild.reindex(crash)
    assert sync.home().current_name() == live
    assert len(list(index_dir.glob("gen-*"))) == 2, "the unfinished generation is left behind…"
    assert ids("英拉")
    report = rebuild.reindex()
    assert report.removed and len(list(index_dir.glob("gen-*"))) == 1, "…and removed by the next rebuild"


def test_search_page_shows_excerpts_facets_and_the_syntax(archive, index_dir, client):
    a = archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    archive.add("冬奥会筹备", text=TEXT_C, category="体育")
    sync.apply_pending()
    html = client.get("/search?q=英拉+解散国会").content.decode()
    assert "找到 2 篇" in html
    assert "<mark>英拉</mark>" in html and "<mark>解散国会</mark>" in html
    assert f'href="/snapshot/{snap(a).pk}/"' in html
    facet = r'<a href="/search\?q=[^"]*category%3A%E5%9B%BD%E9%99%85">国际</a> <span class="count">2</span>'
    assert re.search(facet, html)
    assert "检索语法" in html and "site:hx.example.cn" in html  # the syntax, by an example from this archive
    assert 'href="/search?q=%E8%8B%B1%E6%8B%89+%E8%A7%A3%E6%95%A3%E5%9B%BD%E4%BC%9A&amp;sort=time"' in html


def test_every_syntax_example_on_the_search_page_finds_something(archive, index_dir, client):
    """The syntax table's examples come from the archive, so a reader who tries one gets results."""
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    archive.add("冬奥会筹备工作进展顺利", text=TEXT_C, category="体育", url="http://nf.example.cn/a/3.html")
    sync.apply_pending()
    html = client.get("/search").content.decode()
    syntax = html.partition('class="syntax"')[2]
    links = re.findall(r'<a href="(/search\?q=[^"]+)"><code>([^<]+)</code></a>', syntax)
    assert len(links) == 9, "one example per row of the table"
    for href, query in links:
        found = client.get(href.replace("&amp;", "&")).content.decode()
        assert re.search(r"找到 [1-9]\d* 篇", found), f"the example {query} finds nothing"


def test_malformed_queries_get_a_clear_answer_not_a_server_error(archive, index_dir, client):
    sync.apply_pending()
    for q, message in (('"解散国会', "引号没有配对"), ("after:2023-02-30", "没有这一天"), ("category:火星", "可用")):
        response = client.get("/search", {"q": q})
        assert response.status_code == 400 and message in response.content.decode()
        problem = client.get("/api/search", {"q": q})
        assert problem.status_code == 400 and problem.json()["code"] == "bad-query"
        assert message in problem.json()["detail"] and problem.headers["Content-Type"] == "application/problem+json"
    assert client.get("/search", {"q": "x", "page": "abc"}).status_code == 400
    assert client.get("/api/search", {"q": "x", "sort": "random"}).json()["code"] == "bad-parameter"


def test_without_an_index_search_says_so(client, db, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "nothing-here"
    response = client.get("/search", {"q": "英拉"})
    assert response.status_code == 503 and "搜索暂时不可用" in response.content.decode()
    assert client.get("/api/search", {"q": "英拉"}).json()["code"] == "search-unavailable"
    with pytest.raises(SearchUnavailable):
        service.search("英拉")


def test_api_search_json(archive, index_dir, client):
    a = archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际", source="新华社")
    sync.apply_pending()
    body = client.get("/api/search", {"q": "来源:新华社 英拉", "sort": "time"}).json()
    assert body["total"] == 1 and body["sort"] == "time" and body["understood_as"] == "来源：新华社；英拉"
    (hit,) = body["hits"]
    assert hit["id"] == snap(a).pk and hit["url"].endswith(f"/snapshot/{hit['id']}/")
    assert hit["original_url"] == a and hit["source"] == "新华社" and hit["category"] == "国际"
    assert "<mark>英拉</mark>" in hit["excerpt_html"] and hit["published"].endswith("+08:00")
    assert body["facets"]["category"] == [{"value": "国际", "count": 1}]
    json.dumps(body)


def test_a_search_that_finds_nothing_says_which_word_failed(archive, index_dir, client):
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    sync.apply_pending()
    html = client.get("/search", {"q": "英拉 冬奥会"}).content.decode()
    assert "找到 0 篇" in html and "没有找到符合条件的快照" in html
    assert '<a href="/search?q=%E8%8B%B1%E6%8B%89">英拉</a> <span class="count">1 篇</span>' in html
    assert '<span class="none">冬奥会</span> <span class="count">0 篇</span>' in html
    assert '<a href="/search?q=%E8%8B%B1%E6%8B%89">去掉“冬奥会”</a>' in html
    body = client.get("/api/search", {"q": "英拉 冬奥会"}).json()
    assert body["total"] == 0 and body["hints"]["instead"] == [{"query": "英拉", "total": 1, "label": "去掉“冬奥会”"}]
    assert client.get("/api/search", {"q": "英拉"}).json()["hints"] == {"parts": [], "instead": []}


def test_snapshot_page_related_coverage_and_latest_in_category(archive, index_dir, client):
    from kuaizhao.demo.grammar import make_story

    for i in range(40):  # an archive about other things, so that rare means rare
        story = make_story(5, i, "国际", "1月17日")
        archive.add(story.title, text="\n".join(story.paragraphs), category="国际")
    a = archive.add("湖南深化产业工人队伍建设改革", category="国内",
                    text="湖南持续深化产业工人队伍建设改革。\n产业工人队伍建设改革是一项长期任务。")
    b = archive.add("黔南持续深化产业工人队伍建设改革", category="国内",
                    text="本报讯 自相关工作开展以来，黔南州各级各部门高度重视，多次召开会议研究部署，"
                         "层层压实责任，确保各项任务落到实处。黔南州始终锚定产业工人队伍建设改革的总体要求。"
                         "\n推动产业工人队伍建设改革取得实效。")
    c = archive.add("嘉兴召开产业工人队伍建设改革推进会", category="国内",
                    text="秀洲区新时代产业工人队伍建设改革现场推进会召开。\n与会人员交流了产业工人队伍建设改革经验。")
    archive.add("冬奥会筹备", text=TEXT_C, category="国内")
    archive.add("同一报道的转载", category="国内",
                text="湖南持续深化产业工人队伍建设改革。\n产业工人队伍建设改革是一项长期任务。")  # same story as a
    sync.apply_pending()
    html = client.get(f"/snapshot/{snap(a).pk}/").content.decode()
    related = html.split('id="related-h"')[1].split("</section>")[0]
    assert "产业工人队伍建设改革" in related.split("</p>")[0], "the key phrase is named"
    # A run of words links to the exact characters, as related coverage matched them.
    assert f'?q=%22{quote("产业工人队伍建设改革")}%22"' in related.split("</p>")[0]
    for other in (b, c):
        assert f'href="/snapshot/{snap(other).pk}/"' in related
    assert '<p class="excerpt">…' in related, "a long text is excerpted around the phrase"
    assert "<mark>产业工人队伍建设改革</mark>" in related
    assert "同一报道的转载" not in related, "other copies of the same story are not related coverage"
    assert "冬奥会" not in related
    more = html.split('id="more-h"')[1]
    assert "更多关于国内的资讯" in html and "冬奥会筹备" in more and "国际奥委会今天宣布" in more


def test_reprints_are_named_by_the_site_that_reprinted(archive, index_dir, client):
    """A reprint's 来源 credits the outlet it copied from; the reprint list names who reprinted."""
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际",
                url="http://hx.example.cn/gj/2026-01/17/content_1.htm")
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际", source="东方新闻网",
                url="http://hx.example.cn/reprint/2026-01/17/content_2.htm", when=T0 - timedelta(hours=3))
    sync.apply_pending()
    page = client.get("/search?q=解散国会").content.decode()
    reprints = re.search(r'<span class="reprints">(.*?)</span>', page, re.DOTALL)
    assert reprints and "1 家转载" in reprints.group(1)
    assert ">华夏日报</a>" in reprints.group(1) and "东方新闻网" not in reprints.group(1)
    # The copy shown (the earlier one) is named by its site too, with the outlet it credits beside it.
    assert "<span>华夏日报</span><span>来源：东方新闻网</span>" in page
    api = client.get("/api/search?q=解散国会").json()
    assert [o["site"] for o in api["hits"][0]["reprinted_by"]] == ["华夏日报"]


def test_status_filter_follows_the_original(archive, index_dir, client):
    """status:removed finds articles whose original was deleted, as soon as the deletion is seen:
    the page's new state reaches the index through the change log, with no new snapshot."""
    gone = archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    kept = archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    sync.apply_pending()
    assert ids("英拉 status:removed") == []
    archive.add(url=gone, when=T0 + timedelta(hours=2), status=404)
    sync.apply_pending()
    assert ids("英拉 status:removed") == [snap(gone).pk]
    assert ids("英拉 状态:已删除") == [snap(gone).pk]
    assert ids("英拉 -status:removed") == [snap(kept).pk]
    assert ids("status:live") == [snap(kept).pk]
    page = client.get("/search", {"q": "英拉 status:bogus"})
    assert page.status_code == 400 and "status: 可以是" in page.content.decode()
