"""Search end to end: a crawl of the demo site fills the index as it goes, and `kuaizhao search`,
`kuaizhao reindex` and `kuaizhao status` work on it from the command line."""

from __future__ import annotations

import json
import re

from kuaizhao.archive.models import Snapshot

from ..conftest import take_down


def test_crawl_fills_the_index_and_the_cli_searches_it(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    searchable = Snapshot.objects.public().current().count()
    status = kuaizhao.run("status").stdout
    assert f"search index: {searchable} of {searchable} searchable snapshots" in status

    done = kuaizhao.run("search", "经济 category:财经", "--limit", "3")
    first = done.stdout.splitlines()[0]
    assert re.match(r"\d+ found · 经济；类别：财经 · page 1 · [\d.]+ ms", first), first
    assert "[经济]" in done.stdout and "/snapshot/" in done.stdout

    as_json = json.loads(kuaizhao.run("search", '"经济"', "--json", "--sort", "time").stdout)
    times = [h["published"] or h["captured"] for h in as_json["hits"]]
    assert as_json["total"] > 0 and times == sorted(times, reverse=True)
    assert all("<mark>经济</mark>" in h["excerpt_html"] + h["title_html"] for h in as_json["hits"])

    none = kuaizhao.run("search", "经济 宇宙飞船").stdout
    assert none.startswith("0 found") and re.search(r"each part alone: 经济 \d+ · 宇宙飞船 0", none), none
    assert re.search(r"try 去掉“宇宙飞船”: kuaizhao search '经济'  \(\d+ found\)", none), none

    bad = kuaizhao.run("search", '"经济', check=False)
    assert bad.returncode == 1 and "检索式有误：引号没有配对" in bad.stderr


def test_reprints_are_collapsed_with_a_count(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    found = json.loads(kuaizhao.run("search", "category:国际", "--json", "--limit", "50").stdout)
    reprinted = [h for h in found["hits"] if h["reprints"]]
    assert reprinted, "the demo site reprints stories across outlets"
    hit = reprinted[0]
    # Filters alone sort newest first: the newest copy is shown, the original named beside it.
    others = [o["id"] for o in hit["reprinted_by"]] + ([hit["first_published_by"]["id"]]
                                                        if hit["first_published_by"] else [])
    assert len(others) == min(hit["reprints"], 6) and hit["id"] not in others
    # One story on the demo site's own record: the reprints (some edited) of one article.
    urls = demo_site.article_urls()
    pages = Snapshot.objects.filter(pk__in=[hit["id"], *others]).values_list("page__url", flat=True)
    assert len({demo_site.site.origin(urls[url]) for url in pages}) == 1


def test_reindex_and_takedown_from_the_outside(kuaizhao, demo_site, demo_sources):
    kuaizhao.crawl(demo_sources)
    done = kuaizhao.run("reindex")
    assert re.search(r"indexed \d+ snapshots in [\d.]+ s \([\d,]+/s\), [\d.]+ MB; now live: gen-", done.stdout)
    first = json.loads(kuaizhao.run("search", "category:国内", "--json", "--sort", "time").stdout)["hits"][0]
    take_down([first["id"]])
    again = json.loads(kuaizhao.run("search", "category:国内", "--json", "--sort", "time").stdout)
    assert first["id"] not in [h["id"] for h in again["hits"]]
    assert "pending" not in kuaizhao.run("status").stdout, "the takedown reached the index at once"
