"""Folding and the two token streams: one analysis for documents and queries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kuaizhao import fold
from kuaizhao.search import tokenize


def test_fold_maps_traditional_fullwidth_and_case_character_for_character():
    assert fold.fold("泰國總理英拉：不辭職") == "泰国总理英拉:不辞职"
    assert fold.fold("ＡＢＣ公司２０２４年") == "abc公司2024年"
    assert fold.fold("iPhone") == "iphone"
    # Characters whose NFKC form is longer keep their place (offsets stay those of the original).
    assert fold.fold("…㎡⑩") == "…㎡⑩"


@given(st.text())
def test_fold_keeps_length(text):
    assert len(fold.fold(text)) == len(text)


@given(st.text())
def test_one_bigram_token_per_word_character(text):
    folded = fold.fold(text)
    words = sum(len(r) for r in fold.word_runs(folded))
    assert len(tokenize.bigrams(folded).split()) == words


def test_bigram_stream_pairs_within_runs_and_ends_runs_alone():
    assert tokenize.bigrams(fold.fold("中国经济，好")).split() == ["中国", "国经", "经济", "济", "好"]


def test_phrase_tokens_cover_every_adjacent_pair_and_run_ends():
    def tokens(phrase):
        return [(t.position, t.text, t.prefix) for t in tokenize.phrase_tokens(fold.fold(phrase))]

    assert tokens("中国经济") == [(0, "中国", False), (1, "国经", False), (2, "经济", False)]
    assert tokens("中国，美国") == [(0, "中国", False), (1, "国", False), (2, "美国", False)]
    assert tokens("猫") == [(0, "猫", True)]
    assert tokens("国 经") == [(0, "国", False), (1, "经", True)]


def test_batch_analysis_equals_one_by_one():
    texts = ["泰國總理英拉", "", "abc\x01def", "中国，经济"]
    batch = tokenize.analyse_batch(texts)
    for text, analysed in zip(texts, batch, strict=True):
        folded = fold.fold(text.replace("\x01", " "))
        assert analysed.bigrams.split() == tokenize.bigrams(folded).split()
        assert analysed.words.split() == tokenize.words(folded).split()
        assert analysed.key == fold.content_key(folded)


def test_content_key_ignores_spacing_punctuation_and_script():
    assert fold.content_key(fold.fold("泰國總理，英拉")) == fold.content_key(fold.fold("泰国总理 英拉"))
    assert fold.content_key("泰国总理英拉") != fold.content_key("泰国总理巴育")


def test_tagged_words_put_split_names_back_together():
    def names(text: str) -> list[str]:
        return [w.text for w in tokenize.tagged_words(text) if w.glued]

    assert names("美国国务卿布林肯和沙利文会谈") == ["布林肯"]  # rjieba: 布 · 林肯 (Lincoln)
    assert names("记者宋峥嵘报道") == ["宋峥嵘"]
    assert names("萨金塔耶夫总理表示") == ["萨金塔耶夫"]
    # A surname before a common noun or a verb is no name to rebuild; names the dictionary knows stay as they are.
    assert names("池先生表示") == names("王说") == names("李强在福建调研") == []
    text = "布林肯表示，宋峥嵘报道。"
    assert "".join(w.text for w in tokenize.tagged_words(text)) == text
