"""The text diff (archive/diff.py) and the comparison of two versions (archive/compare.py): pure,
no database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kuaizhao.archive.compare import Part, Version, compare, is_correction
from kuaizhao.archive.diff import apply, char_spans, diff, sentences

# Text of the kind articles are made of: Chinese, ASCII, full-width forms, quotes, delimiters,
# spacing and line breaks, drawn so that sentences repeat (a diff's hard case).
_ALPHABET = st.sampled_from([*"今天北京会议主持报道记者新华社的了在是一不人有", *"。！？；，、：“”「」‘’\"'（）",
                             *"abcAB12!? ", "\n", "\u3000", "ａ", "１", "，", "⁉", "…", "①"])
TEXTS = st.text(_ALPHABET, max_size=120)
SENTENCES = st.lists(st.sampled_from(["北京今天举行会议。", "会议由张三主持。\n", "记者 李四 报道！", "“好。”他说。",
                                      "没有结尾", "\n", "有分号；", "天气晴。"]), max_size=12).map("".join)


@given(TEXTS, TEXTS, st.booleans())
@settings(max_examples=500, deadline=None)
def test_the_diff_applied_to_the_old_text_gives_the_new_one(old, new, normalise):
    d = diff(old, new, normalise=normalise)
    assert apply(old, d) == new
    assert 0.0 <= d.significance <= 1.0
    if not normalise and "".join(old.split()) != "".join(new.split()):
        assert d.changed and d.changed_chars > 0


# Noise: each character may be swapped for a variant that only differs in width, quote style or
# spacing, and spacing may be added after it.
_VARIANTS = {"，": ",", "：": ":", "“": "「", "”": "」", "‘": "『", "a": "ａ", "A": "Ａ", "1": "１", "!": "！",
             "?": "？"}


@st.composite
def noisy_pairs(draw):
    text = draw(TEXTS)
    out = []
    for c in text:
        out.append(_VARIANTS.get(c, c) if draw(st.booleans()) else c)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from([" ", "\u3000", "\n", "  "])))
    return text, "".join(out)


@given(noisy_pairs())
@settings(max_examples=300, deadline=None)
def test_noise_alone_is_an_empty_diff_when_normalised(pair):
    old, new = pair
    d = diff(old, new, normalise=True)
    assert apply(old, d) == new
    assert d.changed_chars == 0 and not any(b.substantive for b in d.blocks)


@given(SENTENCES, SENTENCES, st.booleans())
@settings(max_examples=400, deadline=None)
def test_apply_holds_for_recombined_sentences_in_both_modes(old, new, normalise):
    d = diff(old, new, normalise=normalise)
    assert apply(old, d) == new
    assert 0.0 <= d.significance <= 1.0


@given(TEXTS, st.booleans())
@settings(max_examples=200, deadline=None)
def test_a_text_against_itself_is_no_change(text, normalise):
    d = diff(text, text, normalise=normalise)
    assert not d.changed and d.changed_chars == 0 and d.significance == 0.0
    assert all(b.op == "equal" for b in d.blocks)


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_sentences_give_the_text_back(text):
    assert "".join(sentences(text)) == text


def test_sentences_keep_their_delimiter_and_closing_quote():
    assert sentences("他说：“今天天气很好。”然后走了！\n第二段；有分号。没有结尾") == [
        "他说：“今天天气很好。”", "然后走了！\n", "第二段；", "有分号。", "没有结尾"]
    assert sentences("真的吗？！”\n\n下一段") == ["真的吗？！”\n\n", "下一段"]
    assert sentences("一行\n  \n二行") == ["一行\n  \n", "二行"], "a blank line is never a sentence"


def test_a_small_edit_is_one_changed_sentence_diffed_by_character():
    old = "今天上午，北京举行会议。会议由张三主持。\n第二段没有改。"
    new = "今天下午，北京举行重要会议。会议由张三主持。\n第二段没有改。"
    d = diff(old, new)
    assert [b.op for b in d.blocks] == ["change", "equal"]
    spans = [(s.op, s.old or s.new) for s in d.blocks[0].spans]
    assert spans == [("equal", "今天"), ("delete", "上"), ("insert", "下"), ("equal", "午，北京举行"),
                     ("insert", "重要"), ("equal", "会议。")]
    assert d.changed_chars == 4 and d.counts() == {"changed": 1, "deleted": 0, "inserted": 0}


def test_unrelated_sentences_are_a_deletion_and_an_insertion():
    d = diff("甲。今天天气很好。乙。", "甲。股市全面上涨。乙。")
    assert [b.op for b in d.blocks] == ["equal", "delete", "insert", "equal"]


def test_pairing_keeps_order_and_finds_the_edited_sentence_among_new_ones():
    old = "开头。省政府今天发布了新的产业政策。结尾。"
    new = "开头。这是新加的一句话。省政府今天发布了新的产业扶持政策。又一句新话。结尾。"
    ops = [b.op for b in diff(old, new).blocks]
    assert ops == ["equal", "insert", "change", "insert", "equal"]


def test_short_coincidences_inside_a_rewrite_are_folded_into_it():
    spans = char_spans("经济增长百分之五", "国内生产总值上升五个百分点")
    assert not [s for s in spans if s.op == "equal" and len(s.old) == 1 and spans.index(s) not in (0, len(spans) - 1)]
    assert "".join(s.old for s in spans) == "经济增长百分之五"


def test_noise_alone_is_no_change_when_normalised():
    old = "“你好”，世界。  ABC 增长5%。\n第二段。"
    new = "「你好」,世界。ＡＢＣ增长５％。第二段。"
    assert diff(old, new).changed
    d = diff(old, new, normalise=True)
    assert not d.changed and d.changed_chars == 0 and apply(old, d) == new


def test_a_real_edit_among_noise_shows_only_the_edit():
    d = diff("会议 于“周一”举行。", "会议于「周二」举行。", normalise=True)
    (block,) = d.blocks
    assert [(s.op, s.old or s.new) for s in block.spans if s.op != "equal"] == [("delete", "一"), ("insert", "二")]


def test_a_long_rewrite_is_paired_greedily_and_still_applies():
    old = "".join(f"第{i}条消息说经济运行总体平稳。" for i in range(120))
    new = "".join(f"第{i}条消息称经济运行总体平稳向好。" for i in range(120))
    d = diff(old, new)
    assert apply(old, d) == new
    assert sum(b.op == "change" for b in d.blocks) == 120


ART = "今天上午，北京举行会议。会议由张三主持。\n会议决定了三件事。\n第三段。"


def test_headline_lead_body_and_byline_are_told_apart():
    base = Version("北京举行会议", ART, (("作者", "张三"), ("来源", "新华社")))
    assert compare(base, base).kinds == ()
    headline = compare(base, Version("北京举行重要会议", ART, base.byline))
    assert headline.kinds == (Part.HEADLINE,) and [s.new for s in headline.title if s.op == "insert"] == ["重要"]
    lead = compare(base, Version(base.title, ART.replace("上午", "下午"), base.byline))
    assert lead.kinds == (Part.LEAD,)
    body = compare(base, Version(base.title, ART.replace("三件事", "四件事"), base.byline))
    assert body.kinds == (Part.BODY,)
    byline = compare(base, Version(base.title, ART, (("作者", "张三、李四"), ("来源", "新华社"))))
    assert byline.kinds == (Part.BYLINE,) and byline.byline[0].new == "张三、李四"
    assert 0 < lead.significance < 0.1 and byline.significance == 0.0


def test_an_added_correction_note_is_a_correction_not_a_body_edit():
    base = Version("题", ART)
    note = compare(base, Version("题", ART + "\n【更正】本报昨日报道中的日期有误，特此更正。"))
    assert note.kinds == (Part.CORRECTION,)
    editor = compare(base, Version("题", "编者按：本文作者为一线记者。\n" + ART))
    assert editor.kinds == (Part.CORRECTION,)
    assert is_correction("（更正说明）原文中……") and not is_correction("他纠正了自己的说法。")


def test_noise_only_is_called_noise():
    base = Version("北京举行会议", ART, (("来源", "新华社"),))
    noisy = Version("北京举行会议 ", ART.replace("，", ",").replace("\n", "\n\u3000\u3000"), (("来源", "新华社 "),))
    result = compare(base, noisy)
    assert result.kinds == (Part.NOISE,) and result.significance == 0.0
    quiet = compare(base, noisy, normalise=True)
    assert not quiet.body.changed and quiet.kinds == (Part.NOISE,)
    assert compare(base, Version("北京举行会议 ", ART, base.byline), normalise=True).kinds == (Part.NOISE,)
