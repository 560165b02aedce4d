"""Related coverage: which articles a key phrase finds, and in what order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kuaizhao.search.related import KeyPhrase, key_phrases, related_ids
from kuaizhao.search.schema import IndexDoc

from .conftest import make_engine

WHEN = datetime(2024, 5, 1, 12, tzinfo=UTC)


def _doc(i: int, title: str, text: str, days: float = 0) -> IndexDoc:
    when = WHEN + timedelta(days=days)
    return IndexDoc(i, title, text, when, when)


def _related(eng, phrases: list[KeyPhrase], exclude: int = 0, limit: int = 8) -> list[int]:
    return [i for i, _ in related_ids(eng.searcher(), eng.schema, phrases, exclude, 0, int(WHEN.timestamp()), limit)]


def test_a_key_word_finds_the_word_not_the_characters_inside_other_words(tmp_path):
    eng = make_engine(tmp_path, [
        _doc(1, "北大教授海闻谈退休", "北大教授海闻表示，可以设置弹性退休制度。"),
        _doc(2, "弹性退休再引讨论", "经济学家海闻认为，弹性退休有助于提高劳动参与率。"),
        _doc(3, "小吃节开幕", "上海闻名全国的小吃今天在节上亮相。"),
    ])
    word = KeyPhrase("海闻", 1.0, 2, word=True)
    assert _related(eng, [word], exclude=1) == [2]
    # The same characters as a run of words are an exact substring: 上海闻名 contains them.
    assert set(_related(eng, [KeyPhrase("海闻", 1.0, 3)], exclude=1)) == {2, 3}


def test_key_phrases_are_words_or_runs_and_say_which(tmp_path):
    text = "产业工人队伍建设改革是重点。推进产业工人队伍建设改革，劳模代表说。劳模精神要弘扬。"
    eng = make_engine(tmp_path, [
        _doc(1, "深化产业工人队伍建设改革", text),
        _doc(2, "劳模调研", "劳模代表今天调研产业工人队伍建设改革。"),
        *(_doc(10 + i, f"新闻{i}", "今天天气晴朗，气温适宜。") for i in range(20)),
    ])
    found = {p.text: p.word for p in key_phrases(eng.searcher(), eng.schema, "深化产业工人队伍建设改革", text)}
    assert found.get("产业工人队伍建设改革") is False, found
    assert found.get("劳模") is True, found


def test_key_phrases_name_things_not_what_was_said_or_done(tmp_path):
    # Runs recurring as often as the topic does, in articles of their own too: 专家 · 表示 ("the
    # experts said") and 签署 · 国务院令 ("signs a State Council decree") say what happened, not
    # what the article is about; 国家公园 (national parks) is.
    text = ("专家表示，国家公园建设取得积极成效。李克强签署国务院令。专家表示，国家公园体制试点顺利。"
            "李克强签署国务院令，国家公园管理条例施行。")
    eng = make_engine(tmp_path, [
        _doc(1, "国家公园建设取得积极成效", text),
        _doc(2, "国家公园新增两处", "国家公园新增两处，专家表示欢迎。"),
        _doc(3, "抗震条例公布", "李克强签署国务院令，公布抗震管理条例。专家表示条例及时。"),
        *(_doc(10 + i, f"新闻{i}", "今天天气晴朗，气温适宜。") for i in range(20)),
    ])
    found = [p.text for p in key_phrases(eng.searcher(), eng.schema, "国家公园建设取得积极成效", text, limit=5)]
    assert any("国家公园" in p for p in found), found
    assert not any(p.endswith(("表示", "国务院令", "成效")) and len(p) > 4 for p in found), found
    assert not any(p.startswith(("签署", "表示")) for p in found), found


def test_a_name_the_segmenter_splits_is_a_key_phrase_whole_and_finds_no_other_name(tmp_path):
    # rjieba cuts 布林肯 (Blinken) into 布 · 林肯 (Lincoln): as a key word, 林肯 would relate him to Lincoln.
    text = "美国国务卿布林肯今天抵达北京。布林肯表示，美方愿意沟通。"
    eng = make_engine(tmp_path, [
        _doc(1, "布林肯抵达北京", text),
        _doc(2, "布林肯结束访问", "布林肯今天结束访问。"),
        _doc(3, "林肯纪念堂", "游客参观林肯纪念堂，缅怀林肯总统。"),
        _doc(4, "林肯诞辰", "今天是林肯诞辰纪念日。"),
        *(_doc(10 + i, f"新闻{i}", "今天天气晴朗，气温适宜。") for i in range(20)),
    ])
    phrases = key_phrases(eng.searcher(), eng.schema, "布林肯抵达北京", text)
    found = {p.text: p.word for p in phrases}
    assert found.get("布林肯") is False and "林肯" not in found, found
    assert _related(eng, [p for p in phrases if p.text == "布林肯"], exclude=1) == [2]


def test_an_article_naming_the_phrase_in_its_title_comes_before_a_passing_mention(tmp_path):
    eng = make_engine(tmp_path, [
        _doc(1, "国内联播快讯", "今天有多条消息。云南野生亚洲象种群数量增长。另有其他消息。", days=1),
        _doc(2, "野生亚洲象北移", "一群野生亚洲象一路向北，今天抵达昆明。", days=200),
    ])
    assert _related(eng, [KeyPhrase("亚洲象", 1.0, 2, word=True)]) == [2, 1]


def test_equal_scores_go_to_the_articles_nearest_in_time_even_among_many(tmp_path):
    # Forty far-off articles come first in the index; with three wanted, the pool of the whole
    # archive holds only far ones, and the near ones must still be found and put first.
    # (Each body differs: equal bodies would be one story, shown once.)
    far = [_doc(100 + i, f"旧闻{i}", f"脱欧谈判第{i}轮。", days=-3000 + i) for i in range(40)]
    near = [_doc(1, "后续一", "脱欧谈判下周继续。", days=-20), _doc(2, "后续二", "脱欧谈判今天继续。", days=3)]
    eng = make_engine(tmp_path, far + near)
    found = _related(eng, [KeyPhrase("脱欧", 1.0, 42, word=True)], limit=3)
    assert found[:2] == [2, 1] and found[2] >= 100, found
