"""CDX and Memento, field by field, against what the archive holds (and never a taken-down version)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from kuaizhao.archive.models import Snapshot

from ..conftest import take_down
from .conftest import T0

URL = "http://hx.example.cn/gn/2026-01/17/content_9.htm"


def gmt(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


@pytest.fixture
def versions(archive):
    """Three versions of one page (and an unchanged refetch), plus another page on the host."""
    archive.add("第一版", url=URL, text="第一版正文。", when=T0)
    archive.add("第一版", url=URL, text="第一版正文。", when=T0 + timedelta(hours=1))  # unchanged: no new version
    archive.add("第二版", url=URL, text="第二版正文。", when=T0 + timedelta(days=1))
    archive.add("第三版", url=URL, text="第三版正文。", when=T0 + timedelta(days=2))
    archive.add("别的新闻", url="http://hx.example.cn/gn/2026-01/18/content_1.htm", text="别的。",
                when=T0 + timedelta(days=3))
    return list(Snapshot.objects.filter(page__url=URL).select_related("capture").order_by("captured_at"))


def test_cdx_json_fields(client, versions):
    rows = client.get("/cdx", {"url": URL, "output": "json"}).json()
    assert rows[0] == ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    assert len(rows) == 4
    for row, snap in zip(rows[1:], versions, strict=True):
        c = snap.capture
        assert row[0] == "cn,example,hx)/gn/2026-01/17/content_9.htm"
        assert row[1] == c.fetched_at.astimezone(UTC).strftime("%Y%m%d%H%M%S") and len(row[1]) == 14
        assert row[2] == URL and row[3] == "text/html" and row[4] == "200"
        assert row[5] == "sha256:" + base64.b32encode(bytes.fromhex(c.payload_sha256)).decode()
        assert row[6] == str(c.warc_length)
    assert [r[1] for r in rows[1:]] == sorted(r[1] for r in rows[1:])


def test_cdx_text_output_match_types_and_time_bounds(client, versions):
    lines = client.get("/cdx", {"url": URL}).content.decode().splitlines()
    assert len(lines) == 3 and all(len(line.split(" ")) == 7 for line in lines)
    host = client.get("/cdx", {"url": "hx.example.cn", "matchType": "host", "output": "json"}).json()
    assert len(host) == 5
    prefix = client.get("/cdx", {"url": "http://hx.example.cn/gn/2026-01/", "matchType": "prefix"}).content
    assert len(prefix.decode().splitlines()) == 4
    assert len(client.get("/cdx", {"url": "http://hx.example.cn/gn/*"}).content.decode().splitlines()) == 4
    day2 = (T0 + timedelta(days=1)).strftime("%Y%m%d")
    bounded = client.get("/cdx", {"url": URL, "from": day2, "to": day2, "output": "json"}).json()
    assert [r[1][:8] for r in bounded[1:]] == [day2]
    assert client.get("/cdx", {"url": URL, "limit": "1"}).content.decode().count("\n") == 1
    assert client.get("/cdx", {"url": "http://nowhere.example/", "output": "json"}).json() == []
    assert client.get("/cdx").status_code == 400
    assert client.get("/cdx", {"url": URL, "from": "2026-01"}).status_code == 400
    assert client.get("/cdx", {"url": URL, "matchType": "domainish"}).status_code == 400


def test_urls_match_the_way_wayback_matches_them(client, archive):
    """By SURT key: scheme, www., host case, trailing slash, query order and encoding are folded."""
    page = "https://www.xinhua.example.cn/world/2026-01/17/%E6%B3%B0%E5%9B%BD.htm?b=2&a=1"
    archive.add("泰国", url=page)
    archive.add("港口", url="https://xinhua.example.cn:8443/port/1.htm")
    archive.add("别处", url="https://xinhua.example.org/world/1.htm")
    for spelling in (
        page,
        "http://xinhua.example.cn/world/2026-01/17/泰国.htm?a=1&b=2",  # http, no www., decoded, reordered
        "xinhua.example.cn/world/2026-01/17/%e6%b3%b0%e5%9b%bd.htm?a=1&b=2",  # no scheme, lower-case escapes
        "HTTPS://WWW.XINHUA.EXAMPLE.CN/world/2026-01/17/泰国.htm?b=2&a=1",
    ):
        rows = client.get("/cdx", {"url": spelling, "output": "json"}).json()
        assert [r[2] for r in rows[1:]] == [page], spelling
        assert client.get(f"/timemap/link/{spelling}").status_code == 200, spelling
        assert client.get(f"/timegate/{spelling}").status_code == 302, spelling
    assert client.get("/cdx", {"url": "http://xinhua.example.cn/world/2026-01/17/泰国.htm"}).content == b""
    prefix = client.get("/cdx", {"url": "xinhua.example.cn/world/*", "output": "json"}).json()
    assert [r[2] for r in prefix[1:]] == [page]  # not xinhua.example.org's /world/
    any_port = client.get("/cdx", {"url": "xinhua.example.cn", "matchType": "host", "output": "json"}).json()
    assert len(any_port) == 3
    port = client.get("/cdx", {"url": "xinhua.example.cn:8443", "matchType": "host", "output": "json"}).json()
    assert [r[2] for r in port[1:]] == ["https://xinhua.example.cn:8443/port/1.htm"]


@pytest.mark.parametrize("url", ["http://hx.example.cn:©/gn/", "http://hx.example.cn:99999/gn/", "L\x16§:©°"])
def test_a_url_that_cannot_be_parsed_finds_nothing(client, versions, url):
    """A port that is not a number in range has no SURT key; it matches nothing, and is no error."""
    for match in ("exact", "prefix", "host"):
        assert client.get("/cdx", {"url": url, "matchType": match}).content == b"", match
    bad = 400 if "\x16" in url else 404  # a control character: refused before any lookup
    assert client.get(f"/timemap/link/{url}").status_code == bad
    assert client.get(f"/timegate/{url}").status_code == bad
    assert client.get("/api/pages", {"url": url}).json()["items"] == []


def test_snapshot_pages_are_mementos(client, versions):
    snap = versions[1]
    response = client.get(f"/snapshot/{snap.pk}/")
    assert response["Memento-Datetime"] == gmt(snap.capture.fetched_at)
    link = response["Link"]
    assert f'<{URL}>; rel="original"' in link
    assert f'<http://testserver/timemap/link/{URL}>; rel="timemap"; type="application/link-format"' in link
    assert f'<http://testserver/timegate/{URL}>; rel="timegate"' in link


def test_timemap(client, versions):
    response = client.get(f"/timemap/link/{URL}")
    assert response.status_code == 200 and response["Content-Type"] == "application/link-format"
    entries = [e.strip() for e in response.content.decode().strip().split(",\n")]
    assert entries[0] == f'<{URL}>; rel="original"'
    first, last = versions[0].capture.fetched_at, versions[-1].capture.fetched_at
    assert entries[1] == (f'<http://testserver/timemap/link/{URL}>; rel="self"; type="application/link-format"; '
                          f'from="{gmt(first)}"; until="{gmt(last)}"')
    assert entries[2] == f'<http://testserver/timegate/{URL}>; rel="timegate"'
    rels = ["first memento", "memento", "last memento"]
    for entry, snap, rel in zip(entries[3:], versions, rels, strict=True):
        assert entry == (f'<http://testserver/snapshot/{snap.pk}/>; rel="{rel}"; '
                         f'datetime="{gmt(snap.capture.fetched_at)}"')
    # a client that squeezed the scheme's slashes gets the same answer
    assert client.get(f"/timemap/link/{URL.replace('http://', 'http:/')}").content == response.content
    assert client.get("/timemap/link/http://nowhere.example/").status_code == 404


def test_timegate_redirects_to_the_closest_memento(client, versions):
    wanted = versions[1].capture.fetched_at + timedelta(hours=3)
    response = client.get(f"/timegate/{URL}", HTTP_ACCEPT_DATETIME=gmt(wanted))
    assert response.status_code == 302 and response["Location"].endswith(f"/snapshot/{versions[1].pk}/")
    assert response["Vary"] == "accept-datetime"
    assert f'<{URL}>; rel="original"' in response["Link"] and 'rel="timemap"' in response["Link"]
    early = client.get(f"/timegate/{URL}", HTTP_ACCEPT_DATETIME="Mon, 01 Jan 1990 00:00:00 GMT")
    assert early["Location"].endswith(f"/snapshot/{versions[0].pk}/")
    latest = client.get(f"/timegate/{URL}")
    assert latest["Location"].endswith(f"/snapshot/{versions[-1].pk}/")
    assert client.get(f"/timegate/{URL}", HTTP_ACCEPT_DATETIME="yesterday").status_code == 400


def test_taken_down_versions_are_not_mementos(client, versions):
    take_down([versions[1].pk], versions_only=True, action="exclude")
    rows = client.get("/cdx", {"url": URL, "output": "json"}).json()
    assert len(rows) == 3
    timemap = client.get(f"/timemap/link/{URL}").content.decode()
    assert f"/snapshot/{versions[1].pk}/" not in timemap
    near = versions[1].capture.fetched_at
    response = client.get(f"/timegate/{URL}", HTTP_ACCEPT_DATETIME=gmt(near))
    assert not response["Location"].endswith(f"/snapshot/{versions[1].pk}/")


@pytest.mark.parametrize("path", ["/timegate/%00", "/timemap/link/http://x/%01", "/web/2020/%1f", "/timegate/a%7Fb"])
def test_a_url_with_control_characters_is_a_400_not_a_500(client, db, path):
    answer = client.get(path)
    assert answer.status_code == 400 and "控制字符" in answer.content.decode()
    assert "\x00" not in answer.get("Link", "")


def test_a_url_cannot_add_its_own_link_relations(client, versions):
    """`>` and `"` in an embedded URL are percent-encoded in the Link header and the TimeMap."""
    evil = f"{URL}%3E;%20rel=%22memento%22;%20x=%22"
    for answer in (client.get(f"/timegate/{evil}"), client.get(f"/web/2026/{evil}")):
        link = answer.get("Link", "")
        assert 'rel="memento"' not in link and "> " not in link.replace(">, <", "")
        assert all(part.count("<") == part.count(">") == 1 for part in link.split(", ") if part)
    snap = versions[0]
    header = client.get(f"/snapshot/{snap.pk}/")["Link"]
    assert header.startswith(f"<{URL}>; rel=\"original\"")
