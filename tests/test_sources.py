"""sources.toml: the shipped example parses, and a malformed file names file, line and problem."""

from pathlib import Path

import pytest

from kuaizhao.exceptions import SourcesError
from kuaizhao.sources import load_sources, parse_duration, parse_sources

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
[[source]]
name = "东方新闻网"
homepage = "https://news.example.cn/"
feeds = ["https://news.example.cn/rss/china.xml"]
sitemaps = ["https://news.example.cn/sitemap.xml"]
listings = [
  "https://news.example.cn/gn/",
  { url = "https://news.example.cn/gj/", pattern = "/gj/\\\\d{8}/", category = "国际" },
]
category = "国内"
encoding = "gbk"
recrawl = "6h"
delay = 2.5
rules = { body = "div.article-content", category = "财经" }
"""


def test_example_file_parses():
    sources = load_sources(ROOT / "sources.example.toml")
    assert len(sources) >= 5
    assert all(s.feeds or s.sitemaps or s.listings for s in sources)


def test_full_entry():
    (source,) = parse_sources(GOOD)
    assert source.recrawl.total_seconds() == 6 * 3600
    assert source.listings[0].url == "https://news.example.cn/gn/" and source.listings[0].pattern is None
    assert source.listings[1].category == "国际"
    assert source.site_rules.body == "div.article-content" and source.site_rules.encoding == "gbk"
    assert source.site_rules.category == "财经", "rules.category forces the category"
    assert source.host == "news.example.cn"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('feeds = ["https://news.example.cn/rss/china.xml"]', 'feeds = ["ftp://x"]'), 4, "not an http(s) URL"),
        (('recrawl = "6h"', 'recrawl = "soon"'), 12, "not a duration"),
        (('delay = 2.5', 'delay = -1'), 13, "delay"),
        (('encoding = "gbk"', 'encoding = "klingon"'), 11, "unknown encoding"),
        (('category = "国内"', 'category = "国内"\nfeed = []'), 11, "unknown key 'feed'"),
        (('pattern = "/gj/\\\\d{8}/"', 'pattern = "(["'), 6, "not a valid regular expression"),
        (('rules = { body = "div.article-content", category = "财经" }', 'rules = { body = "div[" }'), 14,
         "not a CSS selector"),
        (('recrawl = "6h"', 'recrawl = '), 12, "not valid TOML"),
        (('name = "东方新闻网"\n', ''), 1, "'name' is required"),
    ],
)
def test_malformed_file_names_file_line_and_problem(tmp_path, change, line, message):
    path = tmp_path / "sources.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(SourcesError) as err:
        load_sources(path)
    assert str(err.value).startswith(f"{path}:{line}: "), str(err.value)
    assert message in str(err.value)


def test_duplicate_names_and_empty_sources(tmp_path):
    with pytest.raises(SourcesError, match=r"sources.toml:17: source 2: name '东方新闻网' is used twice"):
        parse_sources(GOOD + "\n[[source]]\nname = \"东方新闻网\"\nhomepage = \"http://a.cn/\"\nfeeds = [\"http://a.cn/f\"]\n")
    with pytest.raises(SourcesError, match="needs at least one of feeds, sitemaps or listings"):
        parse_sources('[[source]]\nname = "x"\nhomepage = "http://x.cn/"\n')
    with pytest.raises(SourcesError, match="file not found"):
        load_sources(tmp_path / "nope.toml")


def test_durations():
    assert parse_duration("1h30m").total_seconds() == 5400
    assert parse_duration("1d").total_seconds() == 86400
    assert parse_duration(90).total_seconds() == 90
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("tomorrow")
