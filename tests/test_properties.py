"""Property tests of what strangers and operators feed the archive: whatever the input, the answer
is a result or a clear refusal (a 4xx, a ConfigError, a counted unreadable record), never a crash,
and nothing stored before is lost. Example counts are in each test's `settings`."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kuaizhao.exceptions import QueryError, SourcesError
from kuaizhao.search.parse import parse
from kuaizhao.sources import parse_sources

# Text the way people type it into a Chinese news search box or a config file: letters, CJK,
# operators, quotes of both widths, colons, brackets, control characters and astral planes.
ALPHABET = st.characters(codec="utf-8") | st.sampled_from(list('"“”()（）:：-+|*~^ \t\n\\[]{}=#<>&;,.site:类别来源'))
TEXT = st.text(ALPHABET, max_size=120)


@examples(max_examples=1500, deadline=None)
@given(TEXT)
def test_the_query_language_parses_or_says_why(text):
    refused = _refusal(lambda: parse(text), QueryError)
    assert refused is None or str(refused).strip(), "a refusal says what is wrong"


def _refusal(call, error: type[Exception]) -> Exception | None:
    """The `error` a call raised (None if it returned); any other exception fails the test."""
    try:
        call()
    except error as exc:
        return exc
    return None


@pytest.mark.django_db
@examples(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_the_search_page_and_api_answer_any_query_without_a_500(client, settings, text):
    settings.API_SEARCH_PER_MINUTE = 0  # the engine is under test here, not the rate limit
    for path in ("/search", "/api/search"):
        assert client.get(path, {"q": text}).status_code in (200, 400, 503), (path, text)


SOURCE_PARTS = st.lists(st.sampled_from([
    "[[source]]", 'name = "华夏日报"', 'name = ""', 'homepage = "http://hx.example.cn/"', 'homepage = "ftp://x"',
    'feeds = ["http://hx.example.cn/rss"]', "feeds = []", 'feeds = "http://a.cn/"', 'delay = -1', "delay = 1e400",
    'recheck = "15m<3h"', 'recheck = "bogus"', 'listings = [{ url = "http://a.cn/gn/", pattern = "(" }]',
    "category = 3", '[[source]] name = 1', "= =", "\x00", '"unterminated', "[source]", "sitemaps = [1, 2]",
]) | TEXT, max_size=12)


@examples(max_examples=1500, deadline=None)
@given(SOURCE_PARTS)
def test_sources_toml_loads_or_names_the_problem(lines):
    refused = _refusal(lambda: parse_sources("\n".join(lines)), SourcesError)
    assert refused is None or "sources.toml" in str(refused), "a refusal names the file (and the line)"


@pytest.mark.django_db
@examples(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.data())
def test_the_takedown_form_answers_any_input_with_a_4xx_or_a_receipt(client, data):
    from django.core.cache import cache

    from kuaizhao.archive.access import TakedownRequest

    cache.clear()
    before = TakedownRequest.objects.count()
    fields = {name: data.draw(st.one_of(TEXT, st.just("")), label=name) for name in (
        "name", "organisation", "email", "address", "urls", "statement", "evidence")}
    fields.update({
        "email": data.draw(st.sampled_from(["a@b.cn", "", "不是邮箱", fields["email"]]), label="email"),
        "urls": data.draw(st.sampled_from(["http://a.cn/1.htm", "a.cn", fields["urls"], "http://[::1/"]), label="urls"),
        "scope": data.draw(st.sampled_from(["url", "prefix", "host", "", "bogus"]), label="scope"),
        "relationship": data.draw(st.sampled_from(["owner", "agent", "x"]), label="relationship"),
        "basis": data.draw(st.sampled_from(["copyright", "privacy", "", "revenge"]), label="basis"),
        "sworn": data.draw(st.sampled_from(["on", ""]), label="sworn"), "website": "",
    })
    answer = client.post("/takedown/", fields)
    assert answer.status_code in (302, 400, 413, 429), (answer.status_code, fields)
    assert TakedownRequest.objects.count() == before + (answer.status_code == 302)


@pytest.fixture
def warc_bytes(tmp_path) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n in range(4):
        body = (f"<html><head><title>标题{n}</title></head><body><h1>新闻标题{n}</h1>"
                + "".join(f"<p>第{k}段：这是一篇用于测试导入的新闻正文，内容足够长，标点齐全。</p>" for k in range(6))
                + "</body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://prop.example.cn/a/{n}.html", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


@pytest.mark.django_db
@examples(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_a_damaged_warc_file_imports_what_it_can_and_loses_nothing(warc_bytes, settings_dir, seed, cuts):
    from kuaizhao.archive.models import Snapshot
    from kuaizhao.archive.warc import WarcStore
    from kuaizhao.transfer.importer import import_files

    rng = random.Random(seed)
    damaged = bytearray(warc_bytes)
    for _ in range(cuts):  # flip, drop or duplicate bytes anywhere
        at = rng.randrange(len(damaged))
        kind = rng.random()
        if kind < 0.5:
            damaged[at] = rng.randrange(256)
        elif kind < 0.8:
            del damaged[at:at + rng.randrange(1, 40)]
        else:
            damaged[at:at] = damaged[at:at + rng.randrange(1, 40)]
    before = set(Snapshot.objects.values_list("pk", "content_hash"))
    path = settings_dir / f"damaged-{seed}.warc.gz"
    path.write_bytes(bytes(damaged))
    summary = import_files([path], WarcStore(settings_dir / "warc", prefix="KUAIZHAO-IMPORT"))
    after = set(Snapshot.objects.values_list("pk", "content_hash"))
    assert before <= after, "nothing stored before is lost"
    assert summary.stored["new"] == len(after - before), "what it says it stored is what it stored"


@pytest.fixture
def settings_dir(settings, tmp_path):
    settings.WARC_DIR = tmp_path / "warc"
    settings.INDEX_DIR = tmp_path / "index"
    return tmp_path
