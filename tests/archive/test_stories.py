"""Reprint clustering, the pure part: what counts as a copy, and that copies meet in a bucket."""

from __future__ import annotations

import random

import numpy as np

from kuaizhao.archive import fingerprints

ARTICLE = (
    "本报讯（记者 钱涛）海关总署11月25日发布数据显示，前4个月外贸进出口同比增长2.1%，增速比上月加快2.1个百分点。\n"
    "从调研情况看，外贸进出口仍存在一些短板，需要强化部门协同联动。\n"
    "“市场信心正在逐步恢复，但仍需关注外部不确定性。”首席经济学家黄志强在接受采访时说。\n"
    "据悉，相关工作将在年内全面铺开，海关总署有关负责人介绍，目前已形成10项可复制推广的经验做法。"
)
# The reprint the demo's 南风资讯 makes: the lead's 本报讯 dropped, an editor's line added.
REPRINT = ARTICLE.replace("本报讯（记者 钱涛）", "") + "\n（责任编辑：万艳）"
# Another day's item cut from the same template: different figures, a different story.
TEMPLATED = ARTICLE.replace("11月25日", "11月26日").replace("前4个月", "前5个月").replace("2.1%", "3.4%").replace(
    "2.1个", "0.8个").replace("黄志强", "赵玥").replace("10项", "12项").replace("年内", "明年")


def test_an_edited_reprint_is_a_copy_and_shares_buckets():
    a, b = fingerprints.fingerprint(ARTICLE), fingerprints.fingerprint(REPRINT)
    assert fingerprints.jaccard(a.shingles, b.shingles) > 0.85
    assert fingerprints.jaccard(a.shingles, b.shingles) >= fingerprints.THRESHOLD
    assert set(a.buckets) & set(b.buckets)


def test_a_traditional_script_copy_with_other_punctuation_is_the_same_text():
    traditional = (ARTICLE.replace("海关总署", "海關總署").replace("进出口", "進出口")
                   .replace("，", ", ").replace("。", ". "))
    a, b = fingerprints.fingerprint(ARTICLE), fingerprints.fingerprint(traditional)
    assert fingerprints.jaccard(a.shingles, b.shingles) == 1.0 and a.buckets == b.buckets


def test_an_item_from_the_same_template_is_another_story():
    a, b = fingerprints.fingerprint(ARTICLE), fingerprints.fingerprint(TEMPLATED)
    assert 0.2 < fingerprints.jaccard(a.shingles, b.shingles) < fingerprints.THRESHOLD


def test_bodies_too_short_to_shingle_have_no_buckets():
    empty = fingerprints.fingerprint("图片")
    assert not len(empty.shingles) and empty.buckets == ()
    assert fingerprints.jaccard(empty.shingles, fingerprints.fingerprint(ARTICLE).shingles) == 0.0


def test_jaccard_is_exact_on_shingle_sets():
    rng = random.Random(5)
    for _ in range(50):
        a = np.unique(np.array(rng.sample(range(1000), rng.randint(1, 200)), dtype=np.uint64))
        b = np.unique(np.array(rng.sample(range(1000), rng.randint(1, 200)), dtype=np.uint64))
        expected = len(set(a.tolist()) & set(b.tolist())) / len(set(a.tolist()) | set(b.tolist()))
        assert fingerprints.jaccard(a, b) == expected


def test_candidates_follow_the_banding_curve():
    """Over many pairs of a known similarity, the share that meets in a bucket is what
    1 - (1 - J^ROWS)^BANDS predicts: the LSH finds the copies it claims to find."""
    rng = random.Random(11)
    pool = list("的一是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产")
    for target, trials in ((0.8, 60), (0.5, 200), (0.3, 200)):
        met, expected = 0, 0.0
        for _ in range(trials):
            base = "".join(rng.choice(pool) for _ in range(400))
            # Change a share of the characters so that the 5-gram Jaccard lands near `target`.
            chars = list(base)
            for i in rng.sample(range(len(chars)), int(len(chars) * (1 - target ** 0.2) / 2)):
                chars[i] = rng.choice("零壹贰叁肆伍陆柒捌玖拾佰仟")
            a, b = fingerprints.fingerprint(base), fingerprints.fingerprint("".join(chars))
            j = fingerprints.jaccard(a.shingles, b.shingles)
            met += bool(set(a.buckets) & set(b.buckets))
            expected += (1 - (1 - j**fingerprints.ROWS) ** fingerprints.BANDS) / trials
        assert abs(met / trials - expected) < 0.1, (target, met / trials, expected)
