"""The query language: what each operator parses to, and clear messages for malformed queries."""

from __future__ import annotations

from datetime import datetime

import pytest

from kuaizhao.exceptions import QueryError
from kuaizhao.search.parse import CHINA, parse
from kuaizhao.search.query import AnyOf, Filter, Phrase, Words

CATEGORIES = {"国内": "国内", "china": "国内", "国际": "国际", "world": "国际"}


def test_words_are_segmented_and_all_required():
    q = parse("泰国总理 英拉")
    assert [type(c) for c in q.required] == [Words, Words]
    assert q.required[0].pieces == ("泰国", "总理")
    assert q.explain() == "泰国 · 总理；英拉"


def test_quoted_phrases_ascii_and_chinese_quotes():
    for text in ('"解散國會"', "“解散國會”", "「解散國會」"):
        (clause,) = parse(text).required
        assert clause == Phrase("解散國會", "解散国会")


def test_or_negation_and_filters():
    q = parse('英拉 OR "巴育" -示威 site:https://www.news.cn/world/ 来源：新华社 category:world '
              "after:2023 before:2023-02-15", CATEGORIES)
    assert isinstance(q.required[0], AnyOf) and len(q.required[0].options) == 2
    assert q.excluded == (Words("示威", ("示威",)),)
    filters = {c.kind: c.key for c in q.required if isinstance(c, Filter)}
    assert filters == {"site": "news.cn", "source": "新华社", "category": "国际"}
    assert q.after == datetime(2023, 1, 1, tzinfo=CHINA) and q.before == datetime(2023, 2, 15, tzinfo=CHINA)


def test_title_and_negated_filters():
    q = parse('title:总理 -title:"辞职" -来源:人民网')
    assert q.required == (Phrase("总理", "总理", title_only=True),)
    assert q.excluded[0] == Phrase("辞职", "辞职", title_only=True)
    assert q.excluded[1].kind == "source"


def test_function_words_are_dropped_unless_alone():
    q = parse("美国的经济")
    assert q.required[0].pieces == ("美国", "经济")
    assert q.notes and "的" in q.notes[0]
    assert parse("的").required[0].pieces == ("的",)


def test_a_word_that_segments_into_characters_is_matched_as_typed():
    """中美 → 中 · 美 would match any text with the words 中 and 美 anywhere: it is matched whole."""
    (clause,) = parse("中美").required
    assert clause.exact == "中美" and clause.pieces == ("中", "美")
    assert parse("中美 贸易").explain() == "中美；贸易"
    assert parse("中美").highlight_terms() == ["中美"]
    assert parse("-中美").excluded[0].exact == "中美"
    # Words that segment into words are not: they must all appear, anywhere.
    assert parse("泰国总理").required[0].exact == ""


def test_filters_alone_are_a_query():
    q = parse("category:国内", CATEGORIES)
    assert not q.has_text and not q.is_empty


@pytest.mark.parametrize(("text", "message"), [
    ('"解散国会', "引号没有配对"),
    ("site:", "缺少内容"),
    ("site:localhost", "需要一个域名"),
    ("after:2023-13-01", "没有这一天"),
    ("after:yesterday", "看不懂"),
    ("after:2024 before:2023", "要早于"),
    ("OR 英拉", "OR 的两边"),
    ("英拉 OR", "OR 的两边"),
    ("英拉 OR OR 巴育", "OR 的两边"),
    ("英拉 OR site:a.cn", "OR 只能连接"),
    ("category:财经新闻", "没有“财经新闻”这个类别"),
    ('"，。"', "没有可检索的文字"),
    ("-", "没有可检索的文字"),
    ("", "请输入检索词"),
    ("-after:2023", "不能用“-”排除"),
    (" ".join(f"词{i}" for i in range(40)), "检索词太多"),
])
def test_malformed_queries_say_what_to_change(text, message):
    with pytest.raises(QueryError) as e:
        parse(text, CATEGORIES)
    assert message in e.value.message
