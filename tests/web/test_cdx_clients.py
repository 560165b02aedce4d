"""The web-archive clients people use, run against a live server: cdx_toolkit and EDGI's `wayback`.

Nothing reaches the internet: cdx_toolkit takes our CDX URL as its source; `wayback` has
web.archive.org written into it (wayback 0.5: `CDX_SEARCH_URL`, `MEMENTO_URL_TEMPLATE` and the
pattern its memento parsing expects), so its session gets a transport adapter that sends
web.archive.org's requests to our server and labels the answers as coming from web.archive.org
(the smallest change that touches none of its code; docs/api.md shows it).
"""

from __future__ import annotations

import os
from datetime import timedelta

os.environ.setdefault("CDXT_DEFAULT_MIN_RETRY_INTERVAL", "0")  # else cdx_toolkit waits 3 s between requests

import cdx_toolkit
import pytest
import requests
import wayback
from requests.adapters import HTTPAdapter

from .conftest import T0

URL = "http://hx.example.cn/gn/2026-01/17/content_9.htm"
IA = "https://web.archive.org"


class Elsewhere(HTTPAdapter):
    """Sends what `wayback` asks of web.archive.org to another Wayback-compatible server."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        request.url = self.base + (request.url or "").removeprefix(IA)
        response = super().send(request, **kwargs)
        response.url = IA + response.url.removeprefix(self.base)
        location = response.headers.get("Location", "")
        if location.startswith(self.base):
            response.headers["Location"] = IA + location.removeprefix(self.base)
        return response


@pytest.fixture
def site(django_db_serialized_rollback, live_server, archive):
    """A page with three versions and a 404 between them, and seven more pages on the host."""
    archive.add("第一版", url=URL, text="第一版正文。", when=T0)
    archive.add("第二版", url=URL, text="第二版正文。", when=T0 + timedelta(days=1))
    archive.add(url=URL, status=404, when=T0 + timedelta(days=2))
    archive.add("第三版", url=URL, text="第三版正文。", when=T0 + timedelta(days=3))
    for n in range(7):
        archive.add(f"别的新闻{n}", url=f"http://hx.example.cn/gn/2026-01/18/content_{n}.htm",
                    when=T0 + timedelta(hours=n))
    return live_server.url


def unpaged(base: str, url: str, **params: str) -> list[list[str]]:
    table = requests.get(f"{base}/cdx", {"url": url, "output": "json", **params}, timeout=10).json()
    return table[1:]


def test_cdx_toolkit_pages_through_every_capture(site):
    cdx = cdx_toolkit.CDXFetcher(source=f"{site}/cdx", wb=f"{site}/web")
    whole = unpaged(site, "hx.example.cn/*")
    assert len(whole) == 11
    # the size estimate it asks for (showNumPages) is the number of pages its iteration then reads
    assert cdx.get_size_estimate("hx.example.cn/*", as_pages=True, pageSize=3) == 4
    assert cdx.get_size_estimate("hx.example.cn/*") == 1500  # one page: cdx_toolkit says "about half of 3000"
    seen = [(c["urlkey"], c["timestamp"]) for c in cdx.iter("hx.example.cn/*", pageSize=3)]
    assert seen == [(r[0], r[1]) for r in whole]  # every capture once, in order, over four pages
    gone = list(cdx.iter("hx.example.cn/*", pageSize=3, filter=["statuscode:404"]))
    assert [(c["url"], c["status"]) for c in gone] == [(URL, "404")]
    versions = list(cdx.iter(URL, filter=["!statuscode:404"]))
    assert len(versions) == 3
    assert "第一版正文。" in versions[0].text  # the memento, fetched from /web/<ts>id_/<url>
    assert [c["timestamp"] for c in cdx.get(URL, limit=2)] == [r[1] for r in whole[:2]]


def test_wayback_searches_with_resumption_and_fetches_mementos(site):
    session = wayback.WaybackSession(search_calls_per_second=0, memento_calls_per_second=0, retries=0)
    session.mount(f"{IA}/", Elsewhere(site))
    with wayback.WaybackClient(session) as client:
        records = list(client.search("hx.example.cn/*", limit=2))  # six requests, following resumeKey
        assert [(r.urlkey, r.timestamp.strftime("%Y%m%d%H%M%S")) for r in records] == [
            (r[0], r[1]) for r in unpaged(site, "hx.example.cn/*")]
        mine = list(client.search(URL))
        assert [r.statuscode for r in mine] == [200, 200, 404, 200]
        assert [r.statuscode for r in client.search(URL, filter_field="!statuscode:200")] == [404]
        assert len(list(client.search(URL, collapse="statuscode"))) == 3

        first = client.get_memento(mine[0])
        assert first.status_code == 200 and "第一版正文。" in first.text
        assert first.url == URL and first.timestamp == mine[0].timestamp
        assert first.headers["Content-Type"] == "text/html; charset=utf-8"  # as captured
        removed = client.get_memento(mine[2])
        assert removed.status_code == 404 and removed.timestamp == mine[2].timestamp
        # a time between captures: with exact=False it follows our redirect to the closest one
        between = client.get_memento(URL, mine[1].timestamp + timedelta(hours=1), exact=False)
        assert between.timestamp == mine[1].timestamp and "第二版正文。" in between.text
        with pytest.raises(wayback.exceptions.MementoPlaybackError):
            client.get_memento(URL, mine[1].timestamp + timedelta(hours=1))  # exact=True: no such memento
