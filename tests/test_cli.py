"""The `kuaizhao` command: clear messages on bad input, extract on saved pages."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from click.testing import CliRunner

from kuaizhao.cli import main
from kuaizhao.demo.outlets.huaxia import Huaxia
from kuaizhao.demo.site import SHANGHAI, DemoSite


def saved_page(tmp_path):
    site = DemoSite(articles=60, seed=5, anchor=datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI))
    outlet = Huaxia(site, "http://hx.example.cn", {})
    i = site.ids("huaxia")[0]
    url = outlet.url(i)
    path = tmp_path / "page.html"
    path.write_bytes(outlet.route(url.removeprefix("http://hx.example.cn"), {}).body)
    return path, url, site.article(i)


def test_extract_prints_the_article(tmp_path):
    path, url, article = saved_page(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(path), "--url", url])
    assert result.exit_code == 0, result.output
    assert f"title:          {article.story.title}" in result.output
    assert "source:         华夏日报" in result.output
    assert article.story.paragraphs[1] in result.output


def test_extract_json_from_stdin(tmp_path):
    path, url, article = saved_page(tmp_path)
    result = CliRunner().invoke(main, ["extract", "-", "--json", "--url", url,
                                       "--captured", "2026-11-20T10:00:00+08:00"], input=path.read_bytes())
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("title", "published", "updated", "time_source", "source", "reposted_from", "author", "editor",
                "category", "text", "html", "charset"):
        assert key in data, key
    assert data["published"] == article.published.isoformat() and data["time_source"] == "text"
    assert data["charset"] == "gb18030"


def test_extract_says_when_there_is_no_article(tmp_path):
    (tmp_path / "x.html").write_text("<html><body><a href=/>首页</a></body></html>")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "no article found" in result.output
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "x.html"), "--captured", "2026-01-01 08:00"])
    assert result.exit_code == 2 and "offset" in result.output


def gold_directory(tmp_path, page, record):
    """A one-page gold set laid out like ../shared/data/zh-news-pages."""
    gold = tmp_path / "gold"
    (gold / "pages").mkdir(parents=True)
    (gold / "pages" / "p1.html").write_bytes(page.read_bytes())
    (gold / "gold.jsonl").write_text(json.dumps({"id": "p1", **record}, ensure_ascii=False) + "\n", encoding="utf-8")
    return gold


def test_extract_eval_scores_a_gold_directory(tmp_path):
    path, url, article = saved_page(tmp_path)
    gold = gold_directory(tmp_path, path, {
        "url": url, "title": article.story.title, "published": article.published.strftime("%Y-%m-%d %H:%M"),
        "author": " ".join(article.authors), "source": "华夏日报",
        "text": "\n".join([f"本报讯（记者 {' '.join(article.authors)}）" + article.story.paragraphs[0],
                           *article.story.paragraphs[1:]]),
    })
    result = CliRunner().invoke(main, ["extract", "--eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["title"] == 1.0 and figures["time"] == 1.0 and figures["author"] == 1.0 and figures["source"] == 1.0
    assert figures["body_f1"] == 1.0 and figures["pages"] == 1


def test_extract_eval_pages_shows_what_fails(tmp_path):
    path, url, article = saved_page(tmp_path)
    gold = gold_directory(tmp_path, path, {
        "url": url, "captured": "2026-11-20T10:00:00+08:00", "title": article.story.title,
        "published": article.published.strftime("%Y-%m-%d"), "source": "江东晚报", "text": article.story.paragraphs[1],
    })
    result = CliRunner().invoke(main, ["extract", "--eval", str(gold), "--pages"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("p1 "))
    assert f"✓ {article.published:%Y-%m-%d}" in row
    assert "✗ 华夏日报 → 江东晚报" in row and row.rstrip().endswith("/ ·")  # author: not in the gold, not scored
    result = CliRunner().invoke(main, ["extract", "--eval", str(gold), "--pages", "--json"])
    assert json.loads(result.output)["rows"][0]["source_gold"] == "江东晚报"


def run(tmp_path, *args):
    env = {"KUAIZHAO_DATA_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "kuaizhao", *args], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


def test_crawl_without_a_sources_file_says_what_to_do(tmp_path):
    done = run(tmp_path, "crawl")
    assert done.returncode == 1
    assert "sources.toml: file not found (copy sources.example.toml to start)" in done.stderr


def test_crawl_with_a_malformed_sources_file_names_the_line(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "x"\nhomepage = "http://x.cn/"\nfeeds = "http://x.cn/rss"\n')
    done = run(tmp_path, "crawl")
    assert done.returncode == 1
    assert "sources.toml:4: source 1 (x).feeds: Input should be a valid list" in done.stderr
    assert "Traceback" not in done.stderr


def test_crawl_of_an_unknown_source_lists_the_known_ones(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "x"\nhomepage = "http://x.cn/"\nfeeds = ["http://x.cn/rss"]\n')
    done = run(tmp_path, "crawl", "--source", "y")
    assert done.returncode == 1 and "no such source: y (known: x)" in done.stderr


def test_status_on_an_empty_archive(tmp_path):
    done = run(tmp_path, "status")
    assert done.returncode == 0, done.stderr
    assert "snapshots: 0 (0 public)" in done.stdout
