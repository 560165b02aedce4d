"""The CDX server's parameters one by one (fl, filter, collapse, sort, limit / offset, matchType,
pages, resumption), each checked against the unpaged, unfiltered answer; and the replay URLs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kuaizhao.archive.models import Snapshot
from kuaizhao.web import cdx_lines

from ..conftest import take_down
from .conftest import T0

URL = "http://hx.example.cn/gn/2026-01/17/content_9.htm"
FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


@pytest.fixture
def site(archive):
    """One page with three versions, a 404 between the second and third, and an unchanged refetch;
    five more pages on the host, one on a subdomain, one on another site."""
    archive.add("第一版", url=URL, text="第一版正文。", when=T0)
    archive.add("第一版", url=URL, text="第一版正文。", when=T0 + timedelta(hours=1))  # unchanged: no line
    archive.add("第二版", url=URL, text="第二版正文。", when=T0 + timedelta(days=1))
    archive.add(url=URL, status=404, when=T0 + timedelta(days=2))
    archive.add("第三版", url=URL, text="第三版正文。", when=T0 + timedelta(days=3))
    for n in range(5):
        archive.add(f"别的新闻{n}", url=f"http://hx.example.cn/gn/2026-01/18/content_{n}.htm",
                    when=T0 + timedelta(days=n, minutes=5))
    archive.add("地方", url="http://local.hx.example.cn/a/1.htm", when=T0 + timedelta(hours=5))
    archive.add("南风", url="http://nf.example.cn/a/1.htm", when=T0 + timedelta(hours=6))
    return archive


def rows(client, **params) -> list[dict[str, str]]:
    response = client.get("/cdx", {"output": "json", **params})
    assert response.status_code == 200, response.content
    table = response.json()
    return [dict(zip(table[0], r, strict=True)) for r in table[1:]] if table else []


def keys(found: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(r["urlkey"], r["timestamp"]) for r in found]


HOST = {"url": "hx.example.cn", "matchType": "host"}


def test_every_version_and_the_404_in_wayback_order(client, site):
    found = rows(client, url=URL)
    assert [r["statuscode"] for r in found] == ["200", "200", "404", "200"]
    assert keys(found) == sorted(keys(found))
    host = rows(client, **HOST)
    assert len(host) == 9 and keys(host) == sorted(keys(host))


def test_filter_by_regex_negation_substring_and_exact(client, site):
    assert [r["statuscode"] for r in rows(client, **HOST, filter="statuscode:404")] == ["404"]
    assert [r["statuscode"] for r in rows(client, **HOST, filter="!statuscode:200")] == ["404"]
    assert len(rows(client, **HOST, filter="!statuscode:404")) == 8
    assert rows(client, **HOST, filter="statuscode:4") == []  # a regex matches the whole value, as IA's does
    assert len(rows(client, **HOST, filter="statuscode:[24]0[04]")) == 9
    assert [r["original"] for r in rows(client, **HOST, filter="~original:content_9")] == [URL] * 4
    assert len(rows(client, **HOST, filter="!~original:content_9")) == 5
    assert [r["statuscode"] for r in rows(client, **HOST, filter="=status:404")] == ["404"]  # pywb's form
    assert len(rows(client, **HOST, filter="!=status:404")) == 8
    both = rows(client, **HOST, filter=["original:.*content_9.*", "timestamp:202601(18|20).*"])  # and
    assert [r["timestamp"][:8] for r in both] == ["20260118", "20260120"]
    for bad in ("statuscode", "nosuch:1", "statuscode:([", "statuscode:" + "1" * 400):
        assert client.get("/cdx", {"url": URL, "filter": bad}).status_code == 400, bad


def test_fl_chooses_fields_and_their_order(client, site):
    text = client.get("/cdx", {"url": URL, "fl": "statuscode,timestamp"}).content.decode().splitlines()
    assert [line.split(" ")[0] for line in text] == ["200", "200", "404", "200"]
    table = client.get("/cdx", {"url": URL, "fl": "mime,url", "output": "json"}).json()
    assert table[0] == ["mimetype", "original"] and table[1] == ["text/html", URL]
    assert client.get("/cdx", {"url": URL, "fl": "timestamp,secret"}).status_code == 400


def test_collapse_keeps_the_first_of_adjacent_equal_lines(client, site):
    per_page = rows(client, **HOST, collapse="urlkey")
    assert len(per_page) == 6 and len({r["urlkey"] for r in per_page}) == 6
    assert per_page[0]["timestamp"] == rows(client, url=URL)[0]["timestamp"]  # the first of the run
    per_day = rows(client, url=URL, collapse="timestamp:8")
    assert [r["timestamp"][:8] for r in per_day] == ["20260117", "20260118", "20260119", "20260120"]
    assert len(rows(client, url=URL, collapse="timestamp:6")) == 1
    # several fields: lines equal on all of them collapse (the versions around the 404 are not adjacent)
    assert [r["statuscode"] for r in rows(client, url=URL, collapse=["urlkey", "statuscode"])] == ["200", "404", "200"]
    assert client.get("/cdx", {"url": URL, "collapse": "timestamp:x"}).status_code == 400


def test_sort_reverse_and_closest(client, site):
    forward = keys(rows(client, **HOST))
    assert keys(rows(client, **HOST, sort="reverse")) == forward[::-1]
    day2 = (T0 + timedelta(days=2, hours=1)).strftime("%Y%m%d%H%M%S")
    near = rows(client, url=URL, sort="closest", closest=day2)
    assert [r["statuscode"] for r in near][:2] == ["404", "200"] and near[1]["timestamp"].startswith("20260120")
    assert len(near) == 4
    assert rows(client, url=URL, sort="closest", closest=day2, limit="1")[0]["statuscode"] == "404"
    assert client.get("/cdx", {"url": URL, "sort": "closest"}).status_code == 400
    assert client.get("/cdx", {"url": URL, "sort": "sideways"}).status_code == 400


def test_limit_negative_limit_and_offset(client, site):
    every = keys(rows(client, **HOST))
    assert keys(rows(client, **HOST, limit="3")) == every[:3]
    assert keys(rows(client, **HOST, limit="-2")) == every[-2:]
    assert keys(rows(client, **HOST, offset="2", limit="3")) == every[2:5]
    assert keys(rows(client, **HOST, filter="!statuscode:404", limit="-1")) == every[-1:]
    assert client.get("/cdx", {"url": URL, "limit": "many"}).status_code == 400


def test_match_types_and_wildcards(client, site):
    assert len(rows(client, url="hx.example.cn", matchType="domain")) == 10  # with local.hx.example.cn
    assert len(rows(client, url="*.hx.example.cn")) == 10
    assert len(rows(client, url="example.cn", matchType="domain")) == 11
    assert len(rows(client, url="http://hx.example.cn/gn/2026-01/18/*")) == 5
    assert len(rows(client, url="hx.example.cn/gn/", matchType="prefix")) == 9


def all_pages(client, size: int, **params) -> list[list[tuple[str, str]]]:
    count = client.get("/cdx", {**params, "showNumPages": "true", "pageSize": size})
    pages = int(count.content)
    found = [keys(rows(client, **params, page=n, pageSize=size)) for n in range(pages)]
    assert client.get("/cdx", {**params, "page": pages, "pageSize": size}).status_code == 400
    return found


@pytest.mark.parametrize("extra", [
    {}, {"filter": "!statuscode:404"}, {"filter": "~original:content_9"}, {"collapse": "timestamp:8"},
    {"collapse": "urlkey"}, {"sort": "reverse"}, {"sort": "reverse", "collapse": "urlkey"},
    {"sort": "closest", "closest": "20260119"},
])
@pytest.mark.parametrize("size", [1, 2, 4, 100])
def test_pages_are_distinct_slices_whose_union_is_the_unpaged_answer(client, site, extra, size):
    params = {**HOST, **extra}
    pages = all_pages(client, size, **params)
    assert len(pages) == -(-9 // size)  # showNumPages counts what the pages hold (before filters)
    assert [k for page in pages for k in page] == keys(rows(client, **params))
    if not extra:
        assert all(len(page) == size for page in pages[:-1])


def test_page_numbers_and_sizes(client, site):
    assert client.get("/cdx", {"url": URL, "showNumPages": "true"}).content == b"1\n"  # IA's answer: a number
    assert client.get("/cdx", {"url": URL, "showNumPages": "true", "pageSize": "3", "output": "json"}).json() == {
        "blocks": 2, "pages": 2, "pageSize": 3}  # pywb's
    assert client.get("/cdx", {"url": "nowhere.example", "showNumPages": "true"}).content == b"0\n"
    assert rows(client, url="nowhere.example", page="0") == []  # page 0 always answers
    assert client.get("/cdx", {"url": "nowhere.example", "page": "1"}).status_code == 400
    assert keys(rows(client, url=URL, page="-1")) == keys(rows(client, url=URL))  # IA: page < 0, no pages


def follow(client, **params) -> tuple[list[str], int]:
    """Every line of a query read `limit` lines at a time with resumption keys, as EDGI's client reads."""
    lines: list[str] = []
    key, requests = None, 0
    while True:
        answer = client.get("/cdx", {**params, "showResumeKey": "true", **({"resumeKey": key} if key else {})})
        requests += 1
        body = answer.content.decode().split("\n\n")
        lines += body[0].splitlines()
        if len(body) == 1:
            return lines, requests
        key = body[1].strip()


@pytest.mark.parametrize("extra", [{}, {"collapse": "urlkey"}, {"filter": "!statuscode:404"}, {"sort": "reverse"}])
def test_resumption_keys_read_the_whole_answer_once(client, site, extra):
    params = {**HOST, **extra}
    whole = client.get("/cdx", params).content.decode().splitlines()
    lines, requests = follow(client, **params, limit="2")
    assert lines == whole and requests == -(-len(whole) // 2)  # a key only when more is left
    assert client.get("/cdx", {**params, "showResumeKey": "true"}).content.decode().splitlines() == whole
    table = client.get("/cdx", {**params, "showResumeKey": "true", "limit": "2", "output": "json"}).json()
    assert table[3] == [] and len(table[4]) == 1
    assert client.get("/cdx", {**params, "resumeKey": "not-a-key"}).status_code == 400


def test_a_new_capture_between_two_requests_does_not_repeat_a_line(client, site):
    first = client.get("/cdx", {**HOST, "limit": "4", "showResumeKey": "true"}).content.decode()
    head, key = first.split("\n\n")
    site.add("新来的", url="http://hx.example.cn/aa/1.htm", when=T0)  # sorts before everything sent
    rest = client.get("/cdx", {**HOST, "limit": "100", "resumeKey": key.strip()}).content.decode().splitlines()
    assert not set(rest) & set(head.splitlines()) and len(rest) == 5


def test_taken_down_versions_are_in_no_page_and_no_count(client, site):
    """Excluded versions are listed nowhere (a blocked one is listed as blocked: test_access_rules)."""
    snaps = list(Snapshot.objects.filter(page__url=URL).order_by("captured_at"))
    take_down([snaps[1].pk], versions_only=True, action="exclude")
    assert [r["statuscode"] for r in rows(client, url=URL)] == ["200", "404", "200"]
    assert client.get("/cdx", {**HOST, "showNumPages": "true", "pageSize": "1"}).content == b"8\n"
    take_down([s.pk for s in snaps], action="exclude")  # every version gone: the page, its 404 too
    assert rows(client, url=URL) == []
    assert client.get(f"/web/{rows(client, **HOST)[0]['timestamp']}id_/{URL}").status_code in (302, 404)


def test_slow_filters_get_a_503(client, site, monkeypatch):
    monkeypatch.setattr(cdx_lines, "BUDGET_SECONDS", 0.0)
    response = client.get("/cdx", {**HOST, "filter": "original:(a|aa)*b"})
    assert response.status_code == 503 and "Retry-After" in response


def test_a_page_costs_a_few_queries_whatever_the_archive_holds(client, site, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # count, the rows before (for collapse), the rows
        client.get("/cdx", {**HOST, "page": "1", "pageSize": "2", "collapse": "urlkey"})
    with django_assert_max_num_queries(1):
        client.get("/cdx", {**HOST, "showNumPages": "true"})


def test_replay_urls_answer_with_what_was_captured(client, site):
    versions = rows(client, url=URL)
    first, gone = versions[0], versions[2]
    response = client.get(f"/web/{first['timestamp']}id_/{URL}")
    assert response.status_code == 200 and "第一版正文。".encode() in response.content
    assert response["Memento-Datetime"] and f'<{URL}>; rel="original"' in response["Link"]
    assert response["X-Archive-Orig-Content-Type"] == "text/html; charset=utf-8"
    assert "sandbox" in response["Content-Security-Policy"]
    missing = client.get(f"/web/{gone['timestamp']}id_/{URL}")
    assert missing.status_code == 404 and missing["Memento-Datetime"]  # the 404 as it was captured
    near = client.get(f"/web/{first['timestamp'][:8]}id_/{URL}")  # not a capture's time: the closest
    assert near.status_code == 302 and near["Location"] == f"/web/{first['timestamp']}id_/{URL}"
    view = client.get(f"/web/{first['timestamp']}/{URL}")
    snap = Snapshot.objects.filter(page__url=URL).order_by("captured_at").first()
    assert view.status_code == 302 and view["Location"].endswith(f"/snapshot/{snap.pk}/")
    assert client.get("/web/2026/http://nowhere.example/").status_code == 404
    assert client.get(f"/web/notatime/{URL}").status_code == 404
