"""The JSON API: its OpenAPI document, cursor pagination, pages with captures, problem objects,
read-only CORS, the search rate limit, and the takedown gate."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from kuaizhao.archive.models import Page, Snapshot, Source
from kuaizhao.search import sync

from ..conftest import take_down
from .conftest import T0


def test_openapi_document_validates_and_docs_are_self_hosted(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    paths = set(spec["paths"])
    assert {"/api/snapshots", "/api/snapshots/{snapshot_id}", "/api/pages", "/api/pages/{page_id}",
            "/api/categories", "/api/sources", "/api/search"} <= paths
    assert "429" in spec["paths"]["/api/search"]["get"]["responses"]
    docs = client.get("/api/docs").content.decode()
    assert "swagger-ui" in docs and "cdn.jsdelivr" not in docs and "//cdn" not in docs


@pytest.fixture
def five(archive):
    urls = [archive.add(f"第{i}条新闻", text=f"这是第{i}条新闻的正文。", category="国际" if i % 2 else "国内",
                        when=T0 + timedelta(hours=i)) for i in range(5)]
    return [Snapshot.objects.get(page__url=u) for u in urls]


def test_snapshots_page_through_with_cursors_newest_first(client, five, archive):
    seen, url, pages = [], "/api/snapshots?limit=2", 0
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"] and body["next"].replace("http://testserver", "")
        pages += 1
    assert pages == 3
    assert seen == [s.pk for s in sorted(five, key=lambda s: (s.sort_time, s.pk), reverse=True)]
    # new snapshots arriving while a client pages do not shift what the cursor points at
    first = client.get("/api/snapshots?limit=2").json()
    client_cursor = first["next_cursor"]
    archive.add("更新的新闻", text="刚刚抓到的。", when=T0 + timedelta(days=1))
    assert client.get("/api/snapshots?limit=2").json()["items"][0]["title"] == "更新的新闻"
    again = client.get(f"/api/snapshots?limit=2&cursor={client_cursor}").json()
    assert [i["id"] for i in again["items"]] == seen[2:4]


def test_snapshot_filters_and_detail(client, five):
    world = client.get("/api/snapshots?category=world").json()["items"]
    assert {i["category"] for i in world} == {"国际"} and len(world) == 2
    assert client.get("/api/snapshots?category=国际").json()["items"] == world
    detail = client.get(f"/api/snapshots/{five[0].pk}").json()
    assert detail["title"] == "第0条新闻" and detail["text"] == "这是第0条新闻的正文。"
    assert detail["original_url"] == five[0].page.url and detail["capture"]["http_status"] == 200
    assert detail["capture"]["payload_sha256"] == five[0].capture.payload_sha256
    assert detail["versions"] == [five[0].pk] and detail["raw_url"].endswith(f"/snapshot/{five[0].pk}/raw/")


def test_pages_list_every_capture(client, archive):
    url = archive.add("原标题", text="第一版正文。")
    archive.add("原标题", url=url, text="第一版正文。", when=T0 + timedelta(hours=1))  # unchanged refetch
    archive.add("修改后的标题", url=url, text="第二版正文。", when=T0 + timedelta(hours=2))
    (page,) = client.get("/api/pages", {"url": url}).json()["items"]
    assert [c["outcome"] for c in page["captures"]] == ["new", "unchanged", "new"]
    assert len(page["snapshots"]) == 2 and page["latest_snapshot"] == page["snapshots"][-1]
    assert page["captures"][0]["snapshot"] == page["snapshots"][0] and page["captures"][1]["snapshot"] is None
    assert client.get(f"/api/pages/{page['id']}").json() == page
    other_spelling = "https://" + url.removeprefix("http://").upper().split("/", 1)[0] + "/" + url.split("/", 3)[3]
    assert [p["id"] for p in client.get("/api/pages", {"url": other_spelling}).json()["items"]] == [page["id"]]


def test_taken_down_snapshots_never_appear(client, five, archive):
    gone = five[0]
    take_down([gone.pk])
    assert gone.pk not in [i["id"] for i in client.get("/api/snapshots?limit=100").json()["items"]]
    problem = client.get(f"/api/snapshots/{gone.pk}")
    assert problem.status_code == 404 and problem.json()["code"] == "not-found"
    assert problem["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/pages/{gone.page_id}").status_code == 404
    assert gone.page.url not in [p["url"] for p in client.get("/api/pages?limit=100").json()["items"]]


def test_pages_stay_listed_while_anything_of_them_is_public(client, archive):
    url = archive.add("第一版", text="第一版正文。")
    archive.add("第二版", url=url, text="第二版正文。", when=T0 + timedelta(hours=2))
    first, second = Snapshot.objects.filter(page__url=url).order_by("pk")
    empty = archive.add("没有正文", status=404)  # a fetch that found no article: a page, no snapshot

    def listed() -> set[str]:
        return {p["url"] for p in client.get("/api/pages?limit=100").json()["items"]}

    assert Page.objects.get(url=empty).snapshots.count() == 0
    assert {url, empty} <= listed()
    take_down([first.pk], versions_only=True)
    assert url in listed(), "one version is still public"
    (page,) = client.get("/api/pages", {"url": url}).json()["items"]
    assert page["snapshots"] == [second.pk]
    take_down([second.pk], versions_only=True)
    assert url not in listed() and empty in listed()
    assert client.get("/api/pages", {"host": "hx.example.cn"}).json()["items"][0]["url"] == empty


def test_categories_and_sources(client, five):
    cats = {c["slug"]: c for c in client.get("/api/categories").json()}
    assert cats["world"]["name"] == "国际" and cats["world"]["feed"].endswith("/category/world/feed")
    assert len(cats) == 6
    sources = {s["name"]: s for s in client.get("/api/sources").json()}
    assert {name: s["snapshots"] for name, s in sources.items()} == {"华夏日报": 5, "南风资讯": 0}
    src = sources["华夏日报"]
    assert src["id"] == Source.objects.get(name="华夏日报").pk and src["feed"].endswith(f"/source/{src['id']}/feed")


@pytest.mark.parametrize(("url", "code"), [
    ("/api/snapshots?limit=0", "bad-parameter"),
    ("/api/snapshots?limit=abc", "bad-parameter"),
    ("/api/snapshots?cursor=!!!", "bad-cursor"),
    ("/api/snapshots?category=nope", "bad-parameter"),
    ("/api/snapshots?category=%E5%9B%BD%00", "bad-parameter"),  # NUL: PostgreSQL's driver would refuse it (500)
    ("/api/pages?url=http://hx.example.cn/%00", "bad-parameter"),
    ("/api/pages?host=hx.example.cn%00", "bad-parameter"),
    ("/api/snapshots/123456789", "not-found"),
    # Ids past what a 64-bit key holds: SQLite's driver raised OverflowError on the filter (a 500).
    ("/api/snapshots?source=4132735538475521871446016", "bad-parameter"),
    ("/api/snapshots/99999999999999999999", "bad-parameter"),
    ("/api/pages/99999999999999999999", "bad-parameter"),
    ("/api/search", "bad-parameter"),
    ("/api/search?q=%22unclosed", "bad-query"),
])
def test_errors_are_problem_objects_with_stable_codes(client, five, settings, tmp_path, url, code):
    settings.INDEX_DIR = tmp_path / "index"
    sync.apply_pending()
    response = client.get(url)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == response.status_code and body["detail"]


def test_read_only_cors(client, db):
    response = client.get("/api/categories", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/search", HTTP_ORIGIN="https://elsewhere.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert client.post("/api/categories").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get("/admin/login/")


def _exhaust_search_limit(client, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    settings.API_SEARCH_PER_MINUTE = 3
    sync.apply_pending()
    codes = [client.get("/api/search", {"q": "新闻"}, REMOTE_ADDR="10.0.0.7").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/search", {"q": "新闻"}, REMOTE_ADDR="10.0.0.7")
    assert limited.json()["code"] == "rate-limited" and 1 <= int(limited["Retry-After"]) <= 61
    assert client.get("/api/search", {"q": "新闻"}, REMOTE_ADDR="10.0.0.8").status_code == 200, "per address"


def test_search_is_rate_limited_per_address(client, five, settings, tmp_path):
    from django.core.cache import cache

    cache.clear()
    _exhaust_search_limit(client, settings, tmp_path)


def test_rate_limit_is_shared_through_redis(client, five, settings, tmp_path):
    url = os.environ.get("KUAIZHAO_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("KUAIZHAO_TEST_REDIS_URL is not set in CI")
        pytest.skip("KUAIZHAO_TEST_REDIS_URL is not set (a Redis to share rate-limit counts through)")
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    caches["default"].clear()
    _exhaust_search_limit(client, settings, tmp_path)
    # another process (here: another connection) sees the same count
    import redis

    keys = redis.Redis.from_url(url).keys("*kz:rl:search:10.0.0.7:*")
    assert keys, "the count lives in Redis"
    caches["default"].clear()
