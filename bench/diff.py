"""Diff of two 10,000-character versions of an article: the issue's target is ≤ 20 ms.

    .venv/bin/python bench/diff.py [--runs 50] [--chars 10000] [--share 0.05] [--seed 19]

The old version is real Chinese news text (articles of ../shared/data/zh-news-corpus/sample-1k.jsonl
joined, one paragraph a line, cut to the length at a sentence end). The new version edits
`share` of its sentences, a third each: a few characters replaced or inserted inside the sentence
(a figure, a name, a word), a sentence deleted, a sentence from another article inserted. Times
are the median and the 99th percentile of `runs` diffs, one core, for:

- kuaizhao diff          archive/diff.py as the pages and the API run it (sentences, pairing, characters);
- kuaizhao normalised    the same, with noise (spacing, width, quotes) ignored;
- kuaizhao compare       both, plus headline, byline and classification (what /page/…/diff/ computes);
- difflib by character   the peer: SequenceMatcher over the two whole texts, character by character
                         (what a naive diff view would do; no sentences, no pairing).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kuaizhao.archive import diff as textdiff  # noqa: E402
from kuaizhao.archive.compare import Version, compare  # noqa: E402

FILLERS = "经济社会发展记者报道政府会议人民群众企业项目建设工作"


def versions(data: Path, chars: int, share: float, seed: int) -> tuple[str, str, dict[str, int]]:
    sample = data / "zh-news-corpus" / "sample-1k.jsonl"
    articles = [json.loads(line)["text"] for line in sample.open(encoding="utf-8")]
    rng = random.Random(seed)
    rng.shuffle(articles)
    pool = textdiff.sentences("\n".join(articles[200:260]))  # sentences the new version may gain
    old_sents: list[str] = []
    for text in articles:
        for s in textdiff.sentences(text.rstrip("\n") + "\n"):
            if sum(map(len, old_sents)) + len(s) > chars:
                break
            old_sents.append(s)
        else:
            continue
        break
    new_sents: list[str] = []
    counts = {"edited": 0, "deleted": 0, "inserted": 0}
    chosen = set(rng.sample(range(len(old_sents)), round(share * len(old_sents))))
    for k, s in enumerate(old_sents):
        if k not in chosen:
            new_sents.append(s)
            continue
        kind = rng.choice(list(counts))
        counts[kind] += 1
        if kind == "deleted":
            continue
        if kind == "inserted":
            new_sents += [s, rng.choice(pool).rstrip("\n") + ("\n" if s.endswith("\n") else "")]
            continue
        chars_ = list(s)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(max(1, len(chars_) - 1))
            chars_[at : at + rng.randint(0, 2)] = rng.sample(FILLERS, rng.randint(1, 3))
        new_sents.append("".join(chars_))
    return "".join(old_sents), "".join(new_sents), counts


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm up (regex compilation, first allocations)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    old, new, counts = versions(args.data, args.chars, args.share, args.seed)
    d = textdiff.diff(old, new)
    assert textdiff.apply(old, d) == new
    print(f"old {len(old)} characters, {len(textdiff.sentences(old))} sentences; new {len(new)} characters; "
          f"sentences edited {counts['edited']}, deleted {counts['deleted']}, inserted {counts['inserted']}")
    print(f"diff: {sum(b.op == 'change' for b in d.blocks)} changed sentences, "
          f"{sum(len(b.old) for b in d.blocks if b.op == 'delete')} deleted, "
          f"{sum(len(b.new) for b in d.blocks if b.op == 'insert')} inserted; significance {d.significance:.3f}\n")
    a, b = Version("标题", old, (("来源", "新华社"),)), Version("新标题", new, (("来源", "新华社"),))
    rows = [
        ("kuaizhao diff", lambda: textdiff.diff(old, new)),
        ("kuaizhao normalised", lambda: textdiff.diff(old, new, normalise=True)),
        ("kuaizhao compare", lambda: compare(a, b)),
        ("difflib by character", lambda: SequenceMatcher(None, old, new, autojunk=False).get_opcodes()),
    ]
    print(f"{'system':24} {'p50 ms':>8} {'p99 ms':>8}")
    results = {}
    for name, fn in rows:
        p50, p99 = timed(fn, args.runs)
        results[name] = (p50, p99)
        print(f"{name:24} {p50:8.2f} {p99:8.2f}")
    p50, p99 = results["kuaizhao diff"]
    print(f"\nsummary: diff_10k_ms={p50:.2f} diff_10k_p99_ms={p99:.2f} "
          f"compare_10k_ms={results['kuaizhao compare'][0]:.2f} targets: diff_10k_ms<=20")


if __name__ == "__main__":
    main()
