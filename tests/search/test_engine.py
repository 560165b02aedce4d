"""The engine on a real index: exact phrases equal a brute-force scan, every operator, ranking,
time order, reprints collapsed, facets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kuaizhao import fold
from kuaizhao.search import counting
from kuaizhao.search import engine as engine_module
from kuaizhao.search.engine import Engine
from kuaizhao.search.parse import parse
from kuaizhao.search.schema import IndexDoc, story_key

from ..conftest import shared_data
from .conftest import load_sample, make_engine

QUOTES = set('"“”「」『』＂')


def normalised(text: str) -> str:
    """The brute-force view of a text: folded, word runs separated by one space."""
    return " ".join(fold.word_runs(fold.fold(text)))


def brute_force(docs: list[IndexDoc], phrase: str) -> set[int]:
    needle = normalised(phrase)
    return {d.id for d in docs if needle in normalised(d.title) + " " + normalised(d.text)}


def matching(engine: Engine, text: str, limit: int = 100_000, **kw) -> set[int]:
    return set(engine.top_ids(parse(text), limit, **kw))


def phrases(docs: list[IndexDoc]):
    """Substrings of the corpus (mostly found) and a few mutations of them (mostly not)."""
    def cut(draw_doc, start, length, mutate):
        doc = docs[draw_doc % len(docs)]
        text = doc.title + "\n" + doc.text
        start %= max(1, len(text))
        phrase = text[start : start + length]
        if mutate and phrase:
            phrase = phrase[:-1] + "国"
        return phrase

    return st.builds(cut, st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 9), st.booleans())


def check_phrase(engine: Engine, docs: list[IndexDoc], phrase: str) -> None:
    assume(phrase.strip() and not (QUOTES & set(phrase)) and fold.word_runs(fold.fold(phrase)))
    expected = brute_force(docs, phrase)
    found = matching(engine, f'"{phrase}"')
    assert found == expected, (phrase, sorted(found ^ expected)[:10])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_exact_phrase_equals_brute_force_substring_scan(engine, corpus_docs, data):
    check_phrase(engine, corpus_docs, data.draw(phrases(corpus_docs)))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    docs = load_sample(shared_data("zh-news-corpus") / "sample-1k.jsonl", 1000)
    return make_engine(tmp_path_factory.mktemp("sample-index"), docs), docs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_exact_phrase_equals_brute_force_on_real_news(sample, data):
    engine, docs = sample
    check_phrase(engine, docs, data.draw(phrases(docs)))


@pytest.mark.parametrize("phrase", ["中国", "国", "中国，经济", "中国 经济", "总理 英拉", "abc", "2024", "约翰逊", "·"])
def test_exact_phrase_examples(engine, corpus_docs, phrase):
    if not fold.word_runs(fold.fold(phrase)):
        with pytest.raises(Exception, match="没有可检索的文字"):
            parse(f'"{phrase}"')
        return
    assert matching(engine, f'"{phrase}"') == brute_force(corpus_docs, phrase)


def test_phrase_does_not_match_across_punctuation_or_title_and_body(engine):
    assert 2002 in matching(engine, '"中国，经济"')  # punctuation in the phrase matches punctuation
    assert 2002 not in matching(engine, '"国经"')  # …but the text never has 国 and 经 touching


def test_traditional_query_finds_simplified_and_back(engine):
    assert 2000 in matching(engine, "解散国会")  # the article is written in traditional characters
    assert 2000 in matching(engine, '"泰國總理"')
    assert 2001 in matching(engine, '"ABC公司"')  # full-width ＡＢＣ in the article


def test_words_must_all_match_and_or_widens(engine, corpus_docs):
    both = matching(engine, "英拉 辞职")
    assert both == {2000}
    either = matching(engine, "英拉 OR 约翰逊")
    assert either == {2000, 2003}


def test_negation_site_source_category_title(engine, corpus_docs):
    all_news = {d.id for d in corpus_docs if "news.cn" in d.host}
    assert matching(engine, "site:news.cn") == all_news
    assert matching(engine, "site:www.news.cn") == all_news
    assert matching(engine, "site:people.com.cn") == {d.id for d in corpus_docs if d.host.endswith("people.com.cn")}
    assert matching(engine, "来源:新华社") == {d.id for d in corpus_docs if d.source == "新华社"}
    assert matching(engine, "-来源:新华社 category:财经") == {
        d.id for d in corpus_docs if d.source != "新华社" and d.category == "财经"}
    titled = {d.id for d in corpus_docs if "国" in fold.fold(d.title)}
    assert matching(engine, 'title:"国"') == titled
    assert matching(engine, "category:国际 -约翰逊") == {d.id for d in corpus_docs if d.category == "国际"} - {2003}


def test_after_and_before_bound_the_publish_time(engine, corpus_docs):
    q = parse("after:2024-03-10 before:2024-03-20")
    expected = {d.id for d in corpus_docs if q.after <= d.time < q.before}
    assert expected and matching(engine, "after:2024-03-10 before:2024-03-20") == expected


def test_sort_by_time_is_newest_first(engine, corpus_docs):
    results = engine.search(parse("category:国内"), sort="time", per_page=20, collapse=False)
    times = {d.id: d.time for d in corpus_docs}
    shown = [times[h.id] for h in results.hits]
    assert shown == sorted(shown, reverse=True) and len(shown) == 20


def test_title_matches_rank_first(engine):
    results = engine.search(parse("约翰逊"), per_page=5)
    assert results.hits[0].id == 2003


def test_reprints_collapse_to_one_hit_with_a_count(engine, corpus_docs):
    original = corpus_docs[0]
    words = original.title.split("：")[-1][:4]
    collapsed = engine.search(parse(f'"{words}"'), per_page=50)
    flat = engine.search(parse(f'"{words}"'), per_page=50, collapse=False)
    copies = {original.id, 1000, 1001}
    assert copies <= {h.id for h in flat.hits}
    shown = [h for h in collapsed.hits if h.id in copies]
    assert len(shown) == 1 and shown[0].reprints == 2
    assert collapsed.total == flat.total - 2 == len(collapsed.hits)  # the count is of stories, as listed
    # The story's copies oldest first; and its first matching copies, unless the hit is the first.
    assert shown[0].copies == (original.id, 1000, 1001)
    assert shown[0].firsts == (() if shown[0].id == original.id else (original.id, 1000, 1001))


@pytest.mark.parametrize("sort", ["relevance", "time"])
def test_stories_too_big_to_read_at_once_are_read_one_by_one(engine, corpus_docs, monkeypatch, sort):
    """Reading every document of the shown stories in one search has a bound; past it, the answer
    is the same (sized by aggregation, each story read on its own)."""
    query = parse(" OR ".join(d.title.split("：")[-1][:4] for d in corpus_docs[:3]))
    at_once = engine.search(query, sort=sort, per_page=20)
    assert any(h.reprints for h in at_once.hits), "the page must show a story with copies"
    monkeypatch.setattr(engine_module, "STORY_READ", 2)
    assert engine.search(query, sort=sort, per_page=20).hits == at_once.hits


def test_facets_count_the_whole_result(engine, corpus_docs):
    results = engine.search(parse("site:news.cn"), per_page=1)
    mine = [d for d in corpus_docs if "news.cn" in d.host]
    categories = dict(results.facets["category"])
    assert sum(categories.values()) == len(mine)
    assert dict(results.facets["source"]) == {"新华社": len(mine)}
    months = dict(results.facets["month"])
    assert sum(months.values()) == len(mine) and all(len(m) == 7 for m in months)


def stories_of(docs: list[IndexDoc], ids: set[int]) -> set[int]:
    return {story_key(d.story, d.text) for d in docs if d.id in ids}


@pytest.mark.parametrize("text", ["site:news.cn", '"国际"', "国际 OR 财经 -site:news.cn", "category:体育",
                                  '"转载" OR 国际'])
@pytest.mark.parametrize("sort", ["relevance", "time"])
def test_the_total_is_the_number_of_matching_stories_with_or_without_facets(engine, corpus_docs, text, sort):
    # Every way of counting agrees with the matches themselves, whatever the order or the facets:
    # a story (an article and its reprints) counts once, as the list shows it once.
    expected = len(stories_of(corpus_docs, matching(engine, text)))
    assert expected > 0
    assert engine.search(parse(text), sort=sort).total == expected
    assert engine.search(parse(text), sort=sort, facets=False).total == expected
    assert engine.count(parse(text)) == expected
    assert engine.search(parse(text), sort=sort, collapse=False).total == len(matching(engine, text))


@pytest.mark.parametrize("sort", ["relevance", "time"])
def test_the_total_is_what_the_pages_list(engine, sort):
    query = parse('"转载" OR 国际')  # reprints (three stories, three copies each) among other stories
    first = engine.search(query, sort=sort, per_page=7)
    listed, page = [], 1
    while True:
        results = engine.search(query, sort=sort, page=page, per_page=7)
        listed += results.hits
        if not results.has_next:
            break
        page += 1
    assert any(h.reprints for h in listed)
    assert first.total == len(listed) == len({h.story for h in listed})
    facets = dict(first.facets["category"])
    assert sum(facets.values()) == first.total, "each story in one category: the facets add up to the total"


def test_large_results_are_estimated_and_say_so(engine, corpus_docs, monkeypatch):
    text = '"转载" OR 国际 OR 国内 OR 财经'
    exact = engine.search(parse(text))
    monkeypatch.setattr(counting, "EXACT_LIMIT", 2)
    estimated = engine.search(parse(text))
    assert exact.exact and not estimated.exact
    assert abs(estimated.total - exact.total) <= max(2, exact.total * 0.05)
    assert estimated.facets.keys() == exact.facets.keys()


def test_pages_do_not_repeat(engine):
    first = engine.search(parse("category:国内"), sort="time", page=1, per_page=10)
    second = engine.search(parse("category:国内"), sort="time", page=2, per_page=10)
    assert first.has_next and not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_a_word_breaking_into_characters_matches_those_characters_together(tmp_path):
    """中美 is 中 · 美 to the segmenter; a reader means the two characters, side by side."""
    when = datetime(2024, 5, 1, tzinfo=UTC)
    texts = {1: "中美两国元首举行会晤，讨论中美关系。", 2: "美中贸易全国委员会今天举行年会。",
             3: "美国总统在会上说，中国经济增长稳定。", 4: "中，美。两字之间隔着标点。"}
    eng = make_engine(tmp_path, [IndexDoc(i, f"第{i}条", t, when, when) for i, t in texts.items()])
    assert {h.id for h in eng.search(parse("中美"), collapse=False).hits} == {1}
    assert {h.id for h in eng.search(parse("举行 -中美"), collapse=False).hits} == {2}
