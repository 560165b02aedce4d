"""Access rules: by URL, prefix and host, optionally by capture date; the most specific decides;
block answers 451 (and stays listed in CDX / TimeMap as blocked), exclude answers 404 and is
listed nowhere; what an exclude rule covers is not fetched again."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from scrapy.utils.test import get_crawler

from kuaizhao.archive.models import RuleAction, RuleScope, Snapshot, TakedownState
from kuaizhao.archive.services import access
from kuaizhao.crawl.spiders.archive import ArchiveSpider
from kuaizhao.search import sync
from kuaizhao.sources import parse_sources

from .conftest import T0, TEXT


def rule(scope, pattern, action=RuleAction.BLOCK, **kwargs):
    made, changed = access.add_rule(scope, pattern, action, "operator", **kwargs)
    sync.apply_pending(wait=10.0)
    return made, changed


def states(*urls: str) -> list[str]:
    return [Snapshot.objects.get(page__url=u).takedown for u in urls]


@pytest.fixture
def pages(archive):
    return [archive.add(f"规则测试{n}", url=url) for n, url in enumerate((
        "http://hx.example.cn/gn/2026/a1.htm", "http://hx.example.cn/gn/2026/a2.htm",
        "http://hx.example.cn/gnews/a3.htm", "http://sub.hx.example.cn/b/a4.htm", "http://nf.example.cn/a5.htm"))]


def test_a_url_rule_matches_the_page_however_its_address_is_written(pages):
    rule(RuleScope.URL, "HTTPS://www.HX.example.cn/gn/2026/a1.htm#top")
    assert states(*pages) == ["blocked", "none", "none", "none", "none"]


def test_a_prefix_rule_covers_what_starts_so_and_no_more(pages):
    rule(RuleScope.PREFIX, "http://hx.example.cn/gn/", RuleAction.EXCLUDE)
    assert states(*pages) == ["excluded", "excluded", "none", "none", "none"], "/gn/ is not /gnews/"


def test_a_host_rule_covers_the_host_and_its_subdomains(pages):
    rule(RuleScope.HOST, "hx.example.cn")
    assert states(*pages) == ["blocked", "blocked", "blocked", "blocked", "none"]


def test_a_date_range_covers_only_the_captures_made_within_it(archive):
    url = "http://hx.example.cn/gn/dated.htm"
    archive.add("第一版", url=url, when=T0)
    archive.add("第二版", url=url, when=T0 + timedelta(days=3), text=TEXT + "\n第二版的正文，内容已经不同了。" * 3)
    rule(RuleScope.URL, url, captured_from=T0 - timedelta(days=1), captured_to=T0 + timedelta(days=1))
    got = dict(Snapshot.objects.filter(page__url=url).values_list("title", "takedown"))
    assert got == {"第一版": "blocked", "第二版": "none"}


def test_the_most_specific_rule_decides_and_an_allow_makes_an_exception(pages):
    rule(RuleScope.HOST, "hx.example.cn", RuleAction.EXCLUDE)
    rule(RuleScope.URL, pages[1], RuleAction.ALLOW)
    rule(RuleScope.PREFIX, "http://hx.example.cn/gnews/", RuleAction.BLOCK)
    assert states(*pages) == ["excluded", "none", "blocked", "excluded", "none"]


def test_lifting_a_rule_shows_again_what_it_hid(pages):
    made, changed = rule(RuleScope.HOST, "nf.example.cn")
    assert states(pages[4]) == ["blocked"] and len(changed) == 1
    assert access.lift_rules([made], "operator", "误操作") == changed
    assert states(pages[4]) == ["none"]


@pytest.mark.parametrize(("scope", "pattern", "action", "message"), [
    ("url", "  ", "block", "不能为空"), ("path", "http://a.cn/", "block", "未知"),
    ("url", "http://a.cn/", "hide", "未知"),
])
def test_a_rule_that_cannot_be_made_says_why(db, scope, pattern, action, message):
    with pytest.raises(access.RuleError, match=message):
        access.add_rule(scope, pattern, action, "operator")


def test_a_date_range_that_ends_before_it_starts_is_refused(db):
    with pytest.raises(access.RuleError, match="止不能早于起"):
        access.add_rule("url", "http://a.cn/", "block", "operator", captured_from=T0, captured_to=T0 - timedelta(1))


def test_blocked_answers_451_with_the_reason_and_excluded_404(client, pages):
    blocked, excluded = (Snapshot.objects.get(page__url=u) for u in pages[:2])
    rule(RuleScope.URL, pages[0], RuleAction.BLOCK, reason="应权利人要求")
    rule(RuleScope.URL, pages[1], RuleAction.EXCLUDE)
    for path in ("/", "/raw/", "/raw/content", "/raw/source.txt"):
        answer = client.get(f"/snapshot/{blocked.pk}{path}")
        assert answer.status_code == 451, path
        assert 'rel="blocked-by"' in answer["Link"]
        page = answer.content.decode()
        assert "应权利人要求" in page and "规则测试0" not in page
        assert client.get(f"/snapshot/{excluded.pk}{path}").status_code == 404, path
    assert client.get(f"/web/2026/{pages[0]}").status_code in (302, 451)
    assert client.get(f"/web/{blocked.capture.fetched_at:%Y%m%d%H%M%S}/{pages[0]}", follow=True).status_code == 451
    assert client.get(f"/timegate/{pages[0]}").status_code == 451
    assert client.get(f"/timegate/{pages[1]}").status_code == 404


def test_cdx_and_timemap_list_a_blocked_capture_as_blocked_and_an_excluded_one_not_at_all(client, pages):
    rule(RuleScope.URL, pages[0], RuleAction.BLOCK)
    rule(RuleScope.URL, pages[1], RuleAction.EXCLUDE)
    rows = json.loads(client.get("/cdx", {"url": "hx.example.cn/gn/2026/", "matchType": "prefix", "output": "json",
                                          "fl": "original,statuscode,access"}).content)
    assert rows[0] == ["original", "statuscode", "access"]
    assert rows[1:] == [[pages[0], "200", "block"]], "the excluded a2 is not listed"
    blocked = client.get("/cdx", {"url": "hx.example.cn", "matchType": "host", "filter": "access:block"})
    assert blocked.content.decode().count("\n") == 1
    timemap = client.get(f"/timemap/link/{pages[0]}").content.decode()
    assert 'access="blocked"' in timemap
    assert client.get(f"/timemap/link/{pages[1]}").status_code == 404


def test_the_crawler_does_not_fetch_what_an_exclude_rule_covers(db):
    source = parse_sources('[[source]]\nname = "华夏日报"\nhomepage = "http://hx.example.cn/"\n'
                           'feeds = ["http://hx.example.cn/rss"]\n')[0]
    access.add_rule(RuleScope.PREFIX, "http://hx.example.cn/gn/", RuleAction.EXCLUDE, "operator")
    access.add_rule(RuleScope.URL, "http://hx.example.cn/gn/ok.htm", RuleAction.ALLOW, "operator")
    access.add_rule(RuleScope.URL, "http://hx.example.cn/blocked.htm", RuleAction.BLOCK, "operator")
    crawler = get_crawler(ArchiveSpider)
    spider = ArchiveSpider.from_crawler(crawler, sources=[source], known={}, rules=access.rules_in_force())
    fetched = {u: spider._article(u, source, None) is not None for u in (
        "http://hx.example.cn/gn/x.htm", "http://hx.example.cn/gn/ok.htm", "http://hx.example.cn/blocked.htm",
        "http://hx.example.cn/other.htm")}
    # A blocked page is still captured (its record kept, hidden); an excluded one is not fetched.
    assert fetched == {"http://hx.example.cn/gn/x.htm": False, "http://hx.example.cn/gn/ok.htm": True,
                       "http://hx.example.cn/blocked.htm": True, "http://hx.example.cn/other.htm": True}
    assert crawler.stats.get_value("kz/skipped/excluded") == 1


def test_a_withdrawn_page_stays_withdrawn_when_a_rule_over_it_is_lifted(archive):
    url = archive.add("后来不许存档")
    Snapshot.objects.filter(page__url=url).update(takedown=TakedownState.WITHDRAWN)
    from kuaizhao.archive.models import Page, PageStatus

    Page.objects.filter(url=url).update(status=PageStatus.EXCLUDED)
    made, _ = rule(RuleScope.URL, url, RuleAction.EXCLUDE)
    assert states(url) == ["excluded"]
    access.lift_rules([made], "operator")
    assert states(url) == ["withdrawn"]


def test_a_directory_prefix_covers_the_directory_page_and_its_queries_but_not_a_longer_name(archive):
    urls = [archive.add(f"目录{n}", url=u) for n, u in enumerate((
        "http://hx.example.cn/gn/", "http://hx.example.cn/gn/?page=2", "http://hx.example.cn/gn/a.htm",
        "http://hx.example.cn/gnews/b.htm"))]
    rule(RuleScope.PREFIX, "http://hx.example.cn/gn/")
    assert states(*urls) == ["blocked", "blocked", "blocked", "none"]


@pytest.mark.parametrize(("scope", "pattern"), [
    ("url", "http://a.example/x y"), ("host", "/"), ("url", "?"), ("url", "http://"), ("url", "http://[::1"),
    ("url", "http://a.cn:99999/"), ("host", "http://nowhere.example/p/q"),
])
def test_a_pattern_that_would_match_nothing_or_more_than_asked_is_refused(db, scope, pattern):
    with pytest.raises(access.RuleError):
        access.add_rule(scope, pattern, "block", "operator")


def test_a_new_takedown_names_the_allow_exceptions_inside_it(pages):
    allow, _ = rule(RuleScope.URL, pages[1], RuleAction.ALLOW)
    made, _ = rule(RuleScope.HOST, "hx.example.cn", RuleAction.EXCLUDE)
    assert access.exceptions_under(made) == [allow]
