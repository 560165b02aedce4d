"""Reprint clustering on the 110k-article corpus: speed, and whether the buckets find the copies.

    .venv/bin/python bench/stories.py [--limit N] [--sample 3000]

Prints, for Kuaizhao's fingerprints (archive/fingerprints.py) and for datasketch's MinHash + MinHashLSH
at the same threshold and signature size, measured in the same run:

- fingerprints per second (shingling and signatures, one core);
- recall against exact search: for a random sample of articles, every other article published
  within the time window is compared by exact Jaccard; of the pairs at or above the threshold,
  the share whose signatures share a bucket (the LSH's one job: proposing them as candidates);
- candidate pairs per article that the exact check then has to reject.

Needs ../shared/data and `pip install -e '.[bench]'` (zstandard, datasketch).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kuaizhao.archive import fingerprints  # noqa: E402


def load(path: Path, limit: int | None) -> list[dict]:
    import zstandard

    docs = []
    with open(path, "rb") as raw:
        for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8"):
            docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def when(doc: dict) -> float:
    return datetime.fromisoformat(doc["published"][:10]).timestamp()


def exact_pairs(docs, shingles, sample, window: float) -> set[tuple[int, int]]:
    """Pairs (sample article, other) within the window whose exact Jaccard reaches the threshold."""
    order = sorted(range(len(docs)), key=lambda i: when(docs[i]))
    times = [when(docs[i]) for i in order]
    pairs = set()
    for i in sample:
        t = when(docs[i])
        for j in order[bisect_left(times, t - window) : bisect_right(times, t + window)]:
            if j != i and fingerprints.jaccard(shingles[i], shingles[j]) >= fingerprints.THRESHOLD:
                pairs.add((i, j))
    return pairs


def candidates(bucket_sets, sample, docs, window: float) -> dict[int, set[int]]:
    index: dict[object, list[int]] = defaultdict(list)
    for i, keys in enumerate(bucket_sets):
        for key in keys:
            index[key].append(i)
    out = {}
    for i in sample:
        found = {j for key in bucket_sets[i] for j in index[key] if j != i}
        out[i] = {j for j in found if abs(when(docs[j]) - when(docs[i])) <= window}
    return out


def datasketch_buckets(docs) -> tuple[list[list[bytes]], float]:
    """datasketch as its documentation uses it: the same 5-character shingles of the same folded
    word characters, as UTF-8 strings, hashed by its default hash; MinHashLSH's own banding."""
    from datasketch import MinHash, MinHashLSH

    from kuaizhao import fold

    lsh = MinHashLSH(threshold=fingerprints.THRESHOLD, num_perm=fingerprints.BANDS * fingerprints.ROWS,
                     params=(fingerprints.BANDS, fingerprints.ROWS))
    start = time.perf_counter()
    out = []
    for doc in docs:
        chars = fold.word_codes(doc["text"]).tobytes().decode("utf-32-le")
        grams = {chars[k : k + fingerprints.SHINGLE].encode() for k in range(len(chars) - fingerprints.SHINGLE + 1)}
        if not grams:
            out.append([])
            continue
        m = MinHash(num_perm=fingerprints.BANDS * fingerprints.ROWS)
        m.update_batch(list(grams))
        out.append([lsh._H(m.hashvalues[a:b]) for a, b in lsh.hashranges])
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="articles to read (default: all)")
    parser.add_argument("--sample", type=int, default=3000, help="articles checked against exact search")
    args = parser.parse_args()

    corpus = args.data / "zh-news-corpus" / "corpus.jsonl.zst"
    if not corpus.exists():
        raise SystemExit(f"no corpus at {corpus}")
    docs = load(corpus, args.limit)
    print(f"{len(docs):,} articles; threshold {fingerprints.THRESHOLD}, window {fingerprints.WINDOW.days} days, "
          f"{fingerprints.BANDS} bands × {fingerprints.ROWS} rows", flush=True)

    start = time.perf_counter()
    fps = [fingerprints.fingerprint(d["text"]) for d in docs]
    ours_s = time.perf_counter() - start
    shingles = [fp.shingles for fp in fps]
    window = fingerprints.WINDOW.total_seconds()
    sample = random.Random(3).sample(range(len(docs)), min(args.sample, len(docs)))
    print("exact search around the sample …", flush=True)
    truth = exact_pairs(docs, shingles, sample, window)
    rows = [("kuaizhao", ours_s, candidates([fp.buckets for fp in fps], sample, docs, window))]
    try:
        theirs, theirs_s = datasketch_buckets(docs)
        rows.append(("datasketch", theirs_s, candidates(theirs, sample, docs, window)))
    except ImportError:
        print("(datasketch not installed: pip install -e '.[bench]' to compare)")

    print(f"\nexact: {len(truth)} pairs at Jaccard ≥ {fingerprints.THRESHOLD} around {len(sample)} sampled articles\n")
    print(f"{'system':<12} {'fingerprints/s':>15} {'recall':>8} {'candidates/article':>19}")
    summary = {}
    for name, seconds, found in rows:
        hit = sum(1 for i, j in truth if j in found[i])
        recall = hit / len(truth) if truth else 1.0
        per = sum(len(v) for v in found.values()) / len(sample)
        print(f"{name:<12} {len(docs) / seconds:>15,.0f} {recall:>8.3f} {per:>19.1f}")
        summary[name] = (len(docs) / seconds, recall)
    ours = summary["kuaizhao"]
    print(f"\nsummary: fingerprints_per_s={ours[0]:.0f} recall={ours[1]:.3f} exact_pairs={len(truth)}")


if __name__ == "__main__":
    main()
