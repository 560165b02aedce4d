"""The demo news site is deterministic and has the realistic mess the crawler must handle."""

from datetime import datetime

from kuaizhao.demo import DemoServer, DemoSite
from kuaizhao.demo.outlets import OUTLET_CLASSES
from kuaizhao.demo.site import SHANGHAI

ANCHOR = datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)


def pages(site: DemoSite) -> dict[str, bytes]:
    out = {}
    for cls in OUTLET_CLASSES:
        outlet = cls(site, f"http://{cls.key}.example", {})
        for i in site.ids(cls.key)[:40]:
            out[outlet.url(i)] = outlet.route(outlet.url(i).split(".example", 1)[1], {}).body
    return out


def test_same_seed_same_site_and_story_independent_of_size():
    assert pages(DemoSite(300, 1, ANCHOR, frozen_clock=True)) == pages(DemoSite(300, 1, ANCHOR, frozen_clock=True))
    small, big = DemoSite(300, 1, ANCHOR), DemoSite(20000, 1, ANCHOR)
    assert small.article(42).story == big.article(42).story


def test_three_outlets_six_categories_reprints_and_changes():
    site = DemoSite(300, 1, ANCHOR)
    assert {site.outlet_of(i).key for i in range(300)} == {"huaxia", "dongfang", "nanfeng"}
    assert {site.meta(i).category for i in range(300)} == {"国内", "国际", "财经", "科技", "体育", "娱乐"}
    reprints = [i for i in range(300) if site.article(i).reprint_of is not None]
    assert len(reprints) > 30
    for i in reprints:
        assert site.article(i).story == site.article(site.article(i).reprint_of).story
    assert any(site.article(i).edited_in for i in range(300)) and any(site.article(i).removed_in for i in range(300))
    assert sorted(site.noarchive_ids.values()) == ["header", "meta"]


def test_served_pages(tmp_path):
    import urllib.request

    with DemoServer(DemoSite(120, 2, ANCHOR)) as server:
        def get(url):
            try:
                r = urllib.request.urlopen(url)
                return r.status, dict(r.headers), r.read()
            except urllib.error.HTTPError as e:
                return e.code, dict(e.headers), e.read()

        status, headers, body = get(server.urls["huaxia"] + "/gn/index.htm")
        assert status == 200 and headers["Content-Type"] == "text/html" and b"charset=gb2312" in body
        assert get(server.urls["huaxia"] + "/robots.txt")[2] == b"User-agent: *\nDisallow: /internal/\n"
        assert get(server.urls["nanfeng"] + "/a/999999.html")[0] == 404
        status, headers, _ = get(server.urls["dongfang"] + "/files/report-2026.pdf")
        assert headers["Content-Type"] == "application/pdf"
        server.set_edition(1)
        site = server.site
        gone = next(i for i in range(120) if site.article(i).removed_in and site.outlet_of(i).key == "nanfeng")
        assert get(server.urls["nanfeng"] + f"/a/{gone}.html")[0] == 410
