"""Second opinions on the body: asked only when ours is doubtful, and the majority wins."""

from __future__ import annotations

import pytest

from kuaizhao.extract import candidates, content, extract, lines, locate

PROSE = "".join(f"<p>第{n}段：这是文章的正文，记者在现场采访了多位居民，了解了想法。</p>" for n in range(6))
OTHER = "".join(f"<p>第{n}条：网友评论说这件事情很有意思，值得大家关注和讨论。</p>" for n in range(6))


PAGE = content.lxml_html.document_fromstring("<html><body><p>页面</p></body></html>")


def body_of(html: str) -> lines.Body:
    root = content.lxml_html.fragment_fromstring(html, create_parent="div")
    return lines.assemble(content.blocks(root, "http://x.cn/a.html"), "标题")


def test_agreement():
    assert candidates.agreement("今天天气很好，我们去公园。", "今天天气很好，我们去公园。") == 1.0
    assert candidates.agreement("今天天气很好", "明年经济增长") == 0.0
    assert 0.3 < candidates.agreement("今天天气很好，我们去公园散步。", "今天天气很好。") < 1.0


def test_a_long_clean_extraction_is_not_doubted():
    root = content.lxml_html.fragment_fromstring(f"<div class='article'>{PROSE}</div>")
    assert not candidates.doubtful(body_of(PROSE), root)


@pytest.fixture
def opinions(monkeypatch):
    def set_opinions(readability: str | None, trafilatura: str | None):
        monkeypatch.setitem(candidates.ASK, "readability", lambda tree: readability)
        monkeypatch.setitem(candidates.ASK, "trafilatura", lambda tree: trafilatura)
    return set_opinions


def test_ours_kept_when_readability_agrees(opinions):
    opinions(PROSE, None)
    choice = candidates.choose(body_of(PROSE), PAGE, "http://x.cn/a.html", "标题")
    assert choice.method == "dom" and choice.agreement == 1.0


def test_majority_wins_when_ours_disagrees(opinions):
    opinions(PROSE, PROSE)  # readability and trafilatura agree with each other, not with us
    choice = candidates.choose(body_of(OTHER), PAGE, "http://x.cn/a.html", "标题")
    assert choice.method in ("readability", "trafilatura")
    assert "记者在现场采访" in choice.body.text


def test_ours_agreeing_with_nothing_never_beats_readability(opinions):
    # trafilatura shares a little with ours and less with readability: the sums would keep ours
    opinions(PROSE, OTHER[:60] + "<p>另有一段完全不同的文字，讲的是天气和交通。</p>")
    choice = candidates.choose(body_of(OTHER), PAGE, "http://x.cn/a.html", "标题")
    assert choice.method == "readability"


def test_two_that_disagree_readability_wins(opinions):
    opinions(PROSE, None)
    assert candidates.choose(body_of(OTHER), PAGE, "http://x.cn/a.html", "标题").method == "readability"


def test_contested_is_doubted_and_settled_is_not():
    root = content.lxml_html.fragment_fromstring(f"<div class='article'>{PROSE}</div>")
    assert candidates.doubtful(body_of(PROSE), root, locate.Found(root, contested=True))
    short = body_of("<p>短讯一则。</p>")
    assert not candidates.doubtful(short, root, locate.Found(root, contested=False, settled=True))


def test_ours_kept_when_the_others_fail(opinions):
    opinions(None, None)
    assert candidates.choose(body_of(PROSE), PAGE, "http://x.cn/a.html", "标题").method == "dom"


def test_extract_records_which_method_found_the_body():
    page = f"<html><head><title>标题测试新闻</title></head><body><h1>标题测试新闻</h1><div>{PROSE}</div></body></html>"
    assert extract(page.encode(), "http://x.cn/a.html", {}).body_method == "dom"


def test_a_short_item_under_its_headline_is_not_doubted():
    root = content.lxml_html.fragment_fromstring("<div><p>短讯一则，内容不长。</p></div>")
    short = body_of("<p>短讯一则，内容不长。</p>")
    assert candidates.doubtful(short, root, locate.Found(root, contested=False))
    assert not candidates.doubtful(short, root, locate.Found(root, contested=False, introduced=True))
