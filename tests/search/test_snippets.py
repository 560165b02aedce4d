"""Keyword-in-context excerpts: cut from the original text, matches marked, never splitting a
character, a name, an HTML entity or a pair of brackets."""

from __future__ import annotations

import html
import json
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kuaizhao import fold
from kuaizhao.search import snippets, tokenize

from ..conftest import shared_data

TRUMP = ("央视网消息（新闻联播）：美国联邦巡回上诉法院29日批准特朗普政府的请求，暂时搁置美国国际贸易法院此前一天"
         "做出的禁止执行美国对多国加征关税措施的行政令的裁决。美国媒体称，当前涉及关税的司法裁决使得形势“乱上加乱”。")


def fragments(out: str) -> list[str]:
    """The excerpt's pieces as plain text."""
    plain = html.unescape(re.sub(r"</?mark>", "", out))
    return [f for f in plain.split(snippets.ELLIPSIS) if f]


def marked(out: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", out)]


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_fragments_around_each_term_with_ellipses():
    out = snippets.excerpt(TRUMP, ["特朗普", "乱上加乱"], width=60, fragments=2)
    assert marked(out) == ["特朗普", "乱上加乱"]
    assert len(fragments(out)) == 2 and out.startswith(snippets.ELLIPSIS)
    assert all(f in TRUMP for f in fragments(out))


def test_the_original_script_is_shown_for_a_folded_query():
    text = "泰國總理英拉今天發表講話，強調不會辭職也不會解散國會。"
    out = snippets.excerpt(text, ["解散国会"], width=12, fragments=1)
    assert marked(out) == ["解散國會"]


def test_a_phrase_with_a_space_matches_any_spaces_or_punctuation_there_and_only_there():
    text = "这里的中国和经济不连在一起：中国，经济。"
    assert marked(snippets.excerpt(text, ["中国 经济"], width=40)) == ["中国，经济"]
    assert marked(snippets.excerpt(text, ["中国经济"], width=40)) == []


def test_html_is_escaped_after_cutting_so_no_entity_is_split():
    text = "AT&T 与 <b>某公司</b> 今天宣布合作。" * 8
    out = snippets.excerpt(text, ["宣布"], width=30, fragments=3)
    assert "<b>" not in out and ("&lt;b&gt;" in out or "&amp;" in out)
    for entity in re.findall(r"&[^;\s]*;?", out):
        assert entity in ("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;"), entity


def test_a_window_does_not_start_inside_brackets_or_after_a_closing_quote():
    out = snippets.excerpt(TRUMP + TRUMP, ["关税"], width=60, fragments=1)
    first = fragments(out)[0]
    assert not first.startswith(("新闻联播）", "）")), first
    text = "他说：“我们会坚持。”海闻建议，要设置弹性退休制度，不必按年龄强制所有老年人都要退休。"
    quoted = snippets.excerpt(text, ["退休"], width=20, fragments=1)
    assert not fragments(quoted)[0].startswith("”"), quoted


def test_a_window_takes_in_a_near_closing_mark_rather_than_stop_inside():
    text = "其他内容。" * 10 + "据报道，国务院日前印发《关于口岸工作的批复》，要求各地落实。" + "其他内容。" * 10
    out = snippets.excerpt(text, ["国务院"], width=24, fragments=1)
    assert "《关于口岸工作的批复》" in fragments(out)[0], out


def test_no_match_gives_the_opening_cut_at_a_boundary():
    out = snippets.excerpt(TRUMP, ["火星"], width=30)
    assert out.endswith(snippets.ELLIPSIS) and TRUMP.startswith(fragments(out)[0])


NAMES = ["特朗普", "宋峥嵘", "普京", "英拉", "马朝旭", "戴琪"]
FILLER = ["今天", "发表", "讲话", "强调", "不会", "辞职", "也", "解散", "国会", "记者", "报道", "表示",
          "，", "。", "（", "）", "“", "”", "A&B", "<", ">", " "]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(NAMES + FILLER), min_size=1, max_size=120),
    term=st.sampled_from([*NAMES, "国会", "讲话"]),
    width=st.integers(10, 120),
    count=st.integers(1, 3),
)
def test_excerpts_are_pieces_of_the_text_with_every_match_marked_and_no_name_cut(words, term, width, count):
    # Names as news writes them: never two in a row without anything between.
    text = "".join(w + ("，" if w in NAMES and nxt in NAMES else "")
                   for w, nxt in zip(words, [*words[1:], ""], strict=True))
    assume(text.strip())
    out = snippets.excerpt(text, [term], width=width, fragments=count)
    flat = one_line(text)
    pieces = fragments(out)
    assert pieces, out
    for piece in pieces:
        piece = piece.strip()
        assert piece in flat, (piece, flat)
        # A name is never cut: where a piece starts or ends inside the text, no name straddles it.
        at = flat.find(piece)
        for name in NAMES:
            for m in re.finditer(re.escape(name), flat):
                inside_start = m.start() < at < m.end()
                inside_end = m.start() < at + len(piece) < m.end()
                assert not (inside_start or inside_end), (name, piece, flat)
    assert all(fold.fold(m) == fold.fold(term) for m in marked(out))
    if term in text:
        assert marked(out), out


PAIRS = {"）": "（", ")": "(", "”": "“", "》": "《", "】": "【"}


def closes_unopened(piece: str) -> bool:
    """Whether a fragment shows a closing mark before (or without) its opening one."""
    depth = dict.fromkeys(PAIRS, 0)
    for ch in piece:
        for close, opening in PAIRS.items():
            depth[close] += (ch == opening) - (ch == close)
            if depth[close] < 0:
                return True
    return False


def test_closes_unopened():
    assert closes_unopened("新闻联播）：美国") and closes_unopened("”海闻") and not closes_unopened("（新闻联播）：")


def test_real_news_excerpts_keep_brackets_whole():
    """On real articles, around the words of their own headlines: fragments almost never show a
    closing mark without its opening one (8.5% did before windows were balanced)."""
    path = shared_data("zh-news-corpus") / "sample-1k.jsonl"
    shown = broken = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            words = [w for w in tokenize.segment(fold.fold(article["title"])) if len(w) > 1][:2]
            for piece in fragments(snippets.excerpt(article["text"], words, width=140, fragments=3)):
                shown += 1
                broken += closes_unopened(piece)
    assert shown > 1000
    assert broken / shown < 0.02, f"{broken} of {shown} fragments show a closing mark without its opening one"
