"""A search that finds nothing says which part failed and offers edits that find something."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kuaizhao.search import parse as p
from kuaizhao.search.query import Query
from kuaizhao.search.relax import Hints, edited, hints
from kuaizhao.search.schema import IndexDoc

from .conftest import T0, make_engine

DOCS = [
    ("熊猫基地迎来新生幼崽", "成都大熊猫繁育研究基地今天迎来两只新生熊猫幼崽。", "国内", 0),
    ("熊猫幼崽首次亮相", "两只熊猫幼崽今天首次与游客见面，吸引了大批游客。", "国内", 1),
    ("火锅节在重庆开幕", "第十届火锅美食节今天在重庆开幕，游客品尝各地火锅。", "财经", 2),
    ("旅游市场持续复苏", "今年以来旅游市场持续复苏，游客人数明显增加。", "财经", 40),
]
CATEGORIES = {"国内": "国内", "财经": "财经", "体育": "体育"}


@pytest.fixture(scope="module")
def eng(tmp_path_factory):
    docs = [IndexDoc(i, title, text, T0 + timedelta(days=d), T0 + timedelta(days=d), category, "新华社", "www.news.cn")
            for i, (title, text, category, d) in enumerate(DOCS, start=1)]
    return make_engine(tmp_path_factory.mktemp("relax"), docs)


def parse(text: str) -> Query:
    return p.parse(text, CATEGORIES)


def run(eng, text: str) -> Hints:
    query = parse(text)
    assert eng.count(query) == 0, "only a search that finds nothing is explained"
    found = hints(query, eng.count, parse)
    # Every figure shown is what following the link finds.
    for s in found.parts + found.instead:
        assert eng.count(parse(s.query)) == s.total
        assert eng.search(parse(s.query)).total == s.total
    return found


def test_a_word_no_article_has_is_named_and_the_rest_offered(eng):
    found = run(eng, "熊猫 宇宙飞船")
    assert [(s.label, s.total) for s in found.parts] == [("熊猫", 2), ("宇宙飞船", 0)]
    assert [(s.label, s.query, s.total) for s in found.instead] == [("去掉“宇宙飞船”", "熊猫", 2)]


def test_words_that_never_meet_are_counted_each_alone(eng):
    found = run(eng, "熊猫 火锅")
    assert [(s.query, s.total) for s in found.parts] == [("熊猫", 2), ("火锅", 1)]
    assert found.instead == []  # each finds something alone: nothing to drop


def test_when_every_word_finds_something_alone_the_query_less_one_is_offered(eng):
    found = run(eng, "熊猫 游客 火锅")
    assert [s.total for s in found.parts] == [2, 3, 1]
    assert [(s.label, s.query) for s in found.instead] == [("去掉“熊猫”", "游客 火锅"), ("去掉“火锅”", "熊猫 游客")]


def test_one_word_that_segmentation_split_is_explained_by_its_pieces(eng):
    found = run(eng, "熊猫火锅")  # → 熊猫 · 火锅, both required
    assert [(s.query, s.total) for s in found.parts] == [("熊猫", 2), ("火锅", 1)]
    found = run(eng, "熊猫宇宙飞船 category:国内")
    assert [(s.label, s.query) for s in found.instead] == [("去掉“宇宙飞船”", "熊猫 category:国内")]


def test_a_quoted_phrase_is_offered_unquoted(eng):
    found = run(eng, '"熊猫游客"')
    assert [(s.label, s.query, s.total) for s in found.instead] == [("“熊猫游客”不加引号", "熊猫游客", 1)]


def test_filters_and_dates_are_left_out_one_at_a_time(eng):
    found = run(eng, "熊猫 category:财经 after:2024-03-01")
    assert [(s.label, s.query) for s in found.instead] == [("不限类别", "熊猫 after:2024-03-01")]
    found = run(eng, "复苏 category:国内 before:2024-03-10")
    # Neither limit alone is enough; both together are.
    assert [(s.label, s.query) for s in found.instead] == [("不限类别、时间", "复苏")]


def test_with_no_help_from_the_limits_the_words_are_explained_without_them(eng):
    found = run(eng, "熊猫 宇宙飞船 category:财经")
    assert [s.total for s in found.parts] == [0, 0]  # the category stays when parts are counted
    assert [(s.label, s.query) for s in found.instead] == [("不限类别，去掉“宇宙飞船”", "熊猫")]


def test_exclusions_are_offered_away(eng):
    found = run(eng, "熊猫 -幼崽")
    assert [(s.label, s.query, s.total) for s in found.instead] == [("不排除“幼崽”", "熊猫", 2)]


def test_nothing_to_offer_when_nothing_finds_anything(eng):
    found = run(eng, "宇宙飞船 火星")
    assert [s.total for s in found.parts] == [0, 0] and found.instead == []  # the parts still explain


def test_edits_keep_the_rest_of_the_query_as_typed():
    text = '熊猫  "大 熊猫" OR 火锅 -游客 来源：新华社 after:2024'
    query = parse(text)
    words, any_of = query.required[:2]
    assert edited(query.text, [(words.span, "")]) == '"大 熊猫" OR 火锅 -游客 来源：新华社 after:2024'
    assert edited(query.text, [(any_of.span, ""), (query.date_spans[0], "")]) == "熊猫 -游客 来源：新华社"
    assert edited(query.text, [(query.excluded[0].span, "")]) == '熊猫 "大 熊猫" OR 火锅 来源：新华社 after:2024'
