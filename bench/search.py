#!/usr/bin/env python
"""Search engine speed and size: Kuaizhao's tantivy index next to SQLite FTS5, in the same run.

    .venv/bin/python bench/search.py [--data ../shared/data] [--limit N] [--repeat 5]

Both engines index the same corpus (`zh-news-corpus`, 110,240 articles) from memory: Kuaizhao with
its own analysis (fold, rjieba search-mode words, character bigrams) on two threads into tantivy;
FTS5 with the same rjieba search-mode tokens (computed on two threads too), title and body
columns, `unicode61` over the space-separated tokens, `optimize` at the end. Reported per engine:
bulk index docs/s (analysis included), index size ÷ text size (UTF-8 bytes of titles and bodies),
and p50/p99 latency of a top-10 query per class, measured by calling each engine the way the
application does (Kuaizhao: parse → compile → search → ids; FTS5: tokenise the query → SELECT rowid
… ORDER BY bm25(f, 3.0, 1.0) LIMIT 10), `--repeat` times per query after one warm-up call.
A third column times Kuaizhao doing all that the /search page asks of it (match count, reprints
collapsed and counted, facets), and the index size is also broken down by part (postings,
positions, term dictionary, the rest).

Query classes, drawn reproducibly from the corpus itself:
  common   one of the 30 words found in the most documents
  rare     a word found in exactly one document of a 5,000-document sample
  two      two mid-frequency words that occur together in some article
  phrase   a 4–6 character phrase cut from an article at word boundaries (exact, quoted)
  category a mid-frequency word within 国内 or 国际 (the corpus's two categories)
  time     a common word, newest first instead of by relevance

Two floors are printed for context, each measured in the same run: rjieba search-mode segmentation
alone (the words field cannot be built faster) and tantivy indexing the positional bigram stream
alone with the streams prepared beforehand (the exact-substring field cannot be built faster, nor
kept in less space than that index takes). Beside that floor, the one alternative that fits under
the size target is built and queried too: positional character unigrams, with exact two-character
and 4–6 character matches timed on both (top 10), so the trade-off is measured, not argued.

Targets (issue #4): ≥ 10,000 docs/s, size ≤ 1.0× text, p50 ≤ 1 ms and p99 ≤ 10 ms per class,
common-word p50 ≥ 30× faster than FTS5. The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import rjieba  # noqa: E402
import tantivy  # noqa: E402

from kuaizhao import fold  # noqa: E402
from kuaizhao.search import index as ix  # noqa: E402
from kuaizhao.search import parse as q  # noqa: E402
from kuaizhao.search import schema, tokenize  # noqa: E402
from kuaizhao.search.engine import Engine  # noqa: E402

CLASSES = ("common", "rare", "two", "phrase", "category", "time")
PER_CLASS = 40


def load(path: Path, limit: int | None) -> list[dict]:
    try:
        import zstandard
    except ImportError:
        raise SystemExit("the corpus is zstd-compressed: pip install -e '.[bench]'") from None

    docs = []
    with open(path, "rb") as raw:
        stream = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
        for line in stream:
            docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def index_docs(records: list[dict]) -> list[schema.IndexDoc]:
    """The corpus as index documents. Stories are what the archive would have without clustering:
    copies with the same words (the index's own content key); `copied` marks the stories with more
    than one document, as the archive's change log keeps it (search/sync.py)."""
    keys = [schema.story_key(None, r["text"]) for r in records]
    shared = {key for key, n in Counter(keys).items() if n > 1}
    out = []
    for i, (r, key) in enumerate(zip(records, keys, strict=True), start=1):
        p = r["published"]
        when = datetime.fromisoformat(p if "T" in p else p + "T00:00:00+08:00")
        host = (urlsplit(r["url"]).hostname or "") if r.get("url") else ""
        out.append(schema.IndexDoc(i, r["title"], r["text"], when, when, r["category"] or "", r["source"], host,
                                   story=key, copied=key in shared))
    return out


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- Kuaizhao -------------------------------------------------------------------------------------


def build_kuaizhao(docs: list[schema.IndexDoc], where: Path) -> tuple[Engine, float, int]:
    home = ix.IndexHome(where)
    fold.tables()  # built once per process, not per document
    started = time.perf_counter()
    generation = home.create()
    with ix.Writer(generation, heap_bytes=1_000_000_000, threads=2) as writer:
        ix.bulk_add(writer, ix.batched(docs, 500), threads=2)
        writer.commit()
    home.publish(generation)
    elapsed = time.perf_counter() - started
    return Engine(home), elapsed, dir_size(generation.path)


# --- SQLite FTS5 ----------------------------------------------------------------------------------


def _fts_rows(batch: list[schema.IndexDoc]) -> list[tuple]:
    return [
        (d.id, " ".join(rjieba.cut_for_search(d.title)), " ".join(rjieba.cut_for_search(d.text)),
         d.category, int(d.time.timestamp()))
        for d in batch
    ]


def build_fts5(docs: list[schema.IndexDoc], path: Path) -> tuple[sqlite3.Connection, float, int]:
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(title, body, category UNINDEXED, published UNINDEXED, "
               "tokenize='unicode61')")
    started = time.perf_counter()
    batches = list(ix.batched(docs, 500))
    with ThreadPoolExecutor(max_workers=2) as pool, db:  # rjieba releases the GIL: two cores tokenise
        for rows in pool.map(_fts_rows, batches):
            db.executemany("INSERT INTO f(rowid, title, body, category, published) VALUES (?,?,?,?,?)", rows)
    db.execute("INSERT INTO f(f) VALUES('optimize')")
    db.commit()
    elapsed = time.perf_counter() - started
    return db, elapsed, path.stat().st_size


def _fts_phrase(text: str) -> str:
    return '"' + " ".join(w for w in rjieba.cut(text) if w.strip()) + '"'


def fts5_query(db: sqlite3.Connection, cls: str, query: dict) -> list[int]:
    words = query["words"]
    match = _fts_phrase(words[0]) if cls == "phrase" else " ".join(_fts_phrase(w) for w in words)
    if cls == "category":
        sql = "SELECT rowid FROM f WHERE f MATCH ? AND category = ? ORDER BY bm25(f, 3.0, 1.0) LIMIT 10"
        return [r[0] for r in db.execute(sql, (match, query["category"]))]
    if cls == "time":
        sql = "SELECT rowid FROM f WHERE f MATCH ? ORDER BY published DESC LIMIT 10"
        return [r[0] for r in db.execute(sql, (match,))]
    sql = "SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, 3.0, 1.0) LIMIT 10"
    return [r[0] for r in db.execute(sql, (match,))]


def kuaizhao_query(engine: Engine, cls: str, query: dict) -> list[int]:
    return engine.top_ids(q.parse(query["text"]), 10, sort="time" if cls == "time" else "relevance")


def kuaizhao_full(engine: Engine, cls: str, query: dict) -> list[int]:
    """What the /search page asks of the engine: also the match count, reprints collapsed with
    their counts, and the category, source and month facets (not the database or the excerpts)."""
    found = engine.search(q.parse(query["text"]), sort="time" if cls == "time" else "relevance")
    return [h.id for h in found.hits]


def size_by_kind(path: Path) -> dict[str, int]:
    """Bytes per tantivy file kind: postings (.idx), positions (.pos), term dictionary (.term), rest."""
    kinds = {".idx": "postings", ".pos": "positions", ".term": "terms"}
    out = dict.fromkeys([*kinds.values(), "rest"], 0)
    for f in path.rglob("*"):
        if f.is_file():
            out[kinds.get(f.suffix, "rest")] += f.stat().st_size
    return out


# --- query sets -----------------------------------------------------------------------------------


def query_sets(records: list[dict], seed: int = 4) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    sample = records[:5000]
    df: Counter[str] = Counter()
    doc_words = []
    for r in sample:
        words = {w for w in rjieba.cut(fold.fold(r["title"] + "\n" + r["text"]))
                 if len(w) >= 2 and all(fold.word_runs(c) for c in w) and not w.isdigit() and w.isalnum()}
        doc_words.append(words)
        df.update(words)
    ranked = [w for w, _ in df.most_common()]
    common = ranked[:PER_CLASS]
    mid = ranked[200:3000]
    mid_set = set(mid)
    rare = sorted(w for w, n in df.items() if n == 1 and len(w) >= 2 and not any(c.isdigit() for c in w))
    sets: dict[str, list[dict]] = {c: [] for c in CLASSES}
    sets["common"] = [{"text": w, "words": [w]} for w in common]
    sets["rare"] = [{"text": w, "words": [w]} for w in rng.sample(rare, PER_CLASS)]
    while len(sets["two"]) < PER_CLASS:
        words = sorted(doc_words[rng.randrange(len(doc_words))] & mid_set)
        if len(words) >= 2:
            a, b = rng.sample(words, 2)
            sets["two"].append({"text": f"{a} {b}", "words": [a, b]})
    while len(sets["phrase"]) < PER_CLASS:
        r = records[rng.randrange(len(records))]
        tokens = list(rjieba.cut(fold.fold(r["text"])))
        start = rng.randrange(max(1, len(tokens) - 3))
        phrase = ""
        for t in tokens[start:]:
            if not t.isalnum() or len(phrase + t) > 6:
                break
            phrase += t
        if 4 <= len(phrase) <= 6:
            sets["phrase"].append({"text": f'"{phrase}"', "words": [phrase]})
    categorised = [r for r in records[:20000] if r["category"]]
    while len(sets["category"]) < PER_CLASS:
        r = categorised[rng.randrange(len(categorised))]
        words = sorted({w for w in rjieba.cut(fold.fold(r["text"])) if w in mid_set})
        if words:
            w = rng.choice(words)
            sets["category"].append({"text": f"{w} category:{r['category']}", "words": [w], "category": r["category"]})
    sets["time"] = [{"text": w, "words": [w]} for w in common]
    return sets


# --- measuring ------------------------------------------------------------------------------------


def measure(run: Callable[[str, dict], list[int]], sets: dict[str, list[dict]], repeat: int) -> dict[str, dict]:
    out = {}
    for cls in sets:
        times = []
        hits = 0
        for query in sets[cls]:
            hits += len(run(cls, query))  # warm-up, and a check that the query finds something
            for _ in range(repeat):
                started = time.perf_counter()
                run(cls, query)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[cls] = {
            "p50": statistics.median(times),
            "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
            "hits": hits / len(sets[cls]),
        }
    return out


def rjieba_floor(docs: list[schema.IndexDoc]) -> float:
    """MB/s of rjieba search-mode segmentation alone on one thread (a floor under any word index)."""
    texts = [d.text for d in docs[:20000]]
    size = sum(len(t.encode()) for t in texts)
    started = time.perf_counter()
    for t in texts:
        rjieba.cut_for_search(t)
    return size / (time.perf_counter() - started) / 1e6


def bigram_floor(docs: list[schema.IndexDoc], where: Path) -> tuple[float, int, tantivy.Index]:
    """docs/s of tantivy indexing the positional bigram stream alone, on two threads, the bytes
    of that index, and the index (the exact-match comparison below queries it).

    The streams are built before the clock starts, so this is the index's own cost of exact
    substring matching: a ceiling on the speed of any build that keeps it, and a floor under its
    size, whatever else the index holds.
    """
    texts = [d.title + "\n" + d.text for d in docs]
    streams = [a.bigrams for i in range(0, len(texts), 1000) for a in tokenize.analyse_batch(texts[i : i + 1000])]
    return _index_stream(streams, where)


def _index_stream(streams: list[str], where: Path) -> tuple[float, int, tantivy.Index]:
    """Index whitespace-separated token streams into one positional field `f` on two threads."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("f", tokenizer_name=schema.WHITESPACE, index_option="position")
    index = tantivy.Index(builder.build(), path=str(where), reuse=False)
    schema.register(index)
    built = []
    for stream in streams:
        doc = tantivy.Document()
        doc.add_text("f", stream)
        built.append(doc)
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    started = time.perf_counter()
    for doc in built:
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    elapsed = time.perf_counter() - started
    index.reload()
    return len(streams) / elapsed, dir_size(where), index


# --- the alternative to positional bigrams ---------------------------------------------------------
#
# The one exact-substring field that fits under the size target: one token per word character (the
# character itself) plus one boundary token where a run of word characters ends, all with positions.
# Its vocabulary is a few thousand characters instead of millions of bigrams, so tantivy builds it
# fast and small; the price is paid at query time, where every exact match, two characters included,
# becomes a positional check over characters that nearly every article contains.

_BOUNDARY = "|"


def unigram_stream(text: str) -> str:
    return f" {_BOUNDARY} ".join(" ".join(run) for run in fold.word_runs(fold.fold(text)))


def exact_query(index: tantivy.Index, folded: str, unigrams: bool) -> tantivy.Query:
    """An exact match of a folded phrase of one run of word characters, on either alternative."""
    tokens = list(enumerate(folded)) if unigrams else [(t.position, t.text) for t in tokenize.phrase_tokens(folded)]
    if len(tokens) == 1:
        return tantivy.Query.term_query(index.schema, "f", tokens[0][1])
    return tantivy.Query.phrase_query(index.schema, "f", tokens)


def exact_sets(sets: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Exact matches of two characters (the pairs among the common and two-word queries' words: the
    commonest Chinese query) and the phrase class's 4–6 character phrases, folded."""
    pairs = [w for c in ("common", "two") for query in sets[c] for w in query["words"] if len(w) == 2]
    phrases = [query["words"][0] for query in sets["phrase"]]
    return {"pair": [{"folded": fold.fold(w)} for w in list(dict.fromkeys(pairs))[:PER_CLASS]],
            "phrase": [{"folded": fold.fold(w)} for w in phrases]}


def measure_exact(index: tantivy.Index, unigrams: bool, sets: dict[str, list[dict]], repeat: int) -> dict[str, dict]:
    searcher = index.searcher()
    return measure(lambda _, x: searcher.search(exact_query(index, x["folded"], unigrams), 10).hits, sets, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="index only the first N articles")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes here and keep them")
    args = parser.parse_args(argv)
    corpus = args.data / "zh-news-corpus" / "corpus.jsonl.zst"
    if not corpus.exists():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    print(f"loading {corpus} …", flush=True)
    records = load(corpus, args.limit)
    docs = index_docs(records)
    text_bytes = sum(len(d.title.encode()) + len(d.text.encode()) for d in docs)
    print(f"{len(docs):,} articles, {text_bytes / 1e6:.0f} MB of text; drawing queries …", flush=True)
    sets = query_sets(records)
    del records
    work = args.keep or Path(tempfile.mkdtemp(prefix="kz-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print("indexing with Kuaizhao (tantivy) …", flush=True)
        engine, kz_secs, kz_size = build_kuaizhao(docs, work / "kuaizhao")
        print(f"  {len(docs) / kz_secs:,.0f} docs/s, {kz_size / text_bytes:.2f}× text", flush=True)
        kinds = size_by_kind(work / "kuaizhao")
        print("indexing with SQLite FTS5 …", flush=True)
        db, fts_secs, fts_size = build_fts5(docs, work / "fts5.sqlite3")
        print(f"  {len(docs) / fts_secs:,.0f} docs/s, {fts_size / text_bytes:.2f}× text", flush=True)
        floor = rjieba_floor(docs)
        print("indexing the bigram stream alone …", flush=True)
        (work / "bigrams-only").mkdir()
        bigram_ceiling, bigram_size, bigram_index = bigram_floor(docs, work / "bigrams-only")
        print("indexing the unigram alternative alone …", flush=True)
        (work / "unigrams-only").mkdir()
        unigram_speed, unigram_size, unigram_index = _index_stream(
            [unigram_stream(d.title + "\n" + d.text) for d in docs], work / "unigrams-only")
        exact = exact_sets(sets)
        exact_bigram = measure_exact(bigram_index, False, exact, args.repeat)
        exact_unigram = measure_exact(unigram_index, True, exact, args.repeat)
        print("querying …", flush=True)
        kz = measure(lambda c, x: kuaizhao_query(engine, c, x), sets, args.repeat)
        kz_full = measure(lambda c, x: kuaizhao_full(engine, c, x), sets, args.repeat)
        fts = measure(lambda c, x: fts5_query(db, c, x), sets, args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'':24}{'Kuaizhao':>14}{'SQLite FTS5':>14}{'Kuaizhao full':>16}")
    print(f"{'bulk index docs/s':24}{len(docs) / kz_secs:>14,.0f}{len(docs) / fts_secs:>14,.0f}")
    print(f"{'index size ÷ text':24}{kz_size / text_bytes:>14.2f}{fts_size / text_bytes:>14.2f}")
    for cls in CLASSES:
        for stat in ("p50", "p99"):
            row = f"{kz[cls][stat]:>14.3f}{fts[cls][stat]:>14.3f}{kz_full[cls][stat]:>16.3f}"
            print(f"{cls + ' ' + stat + ' ms':24}{row}")
    print("(Kuaizhao full: the same queries as /search runs them, with the match count, reprints "
          "collapsed and counted, and facets)")
    print("Kuaizhao index by part, ÷ text: " + ", ".join(f"{k} {v / text_bytes:.2f}" for k, v in kinds.items()))
    print(f"{'mean hits (of 10)':24}" + "  ".join(f"{c}:{kz[c]['hits']:.1f}/{fts[c]['hits']:.1f}" for c in CLASSES))
    print(f"rjieba cut_for_search alone: {floor:.1f} MB/s on one thread → at most "
          f"{len(docs) / (text_bytes / 1e6 / floor / 2):,.0f} docs/s on two cores before any indexing")
    print(f"tantivy indexing the positional bigram stream alone (streams prepared beforehand): "
          f"{bigram_ceiling:,.0f} docs/s on two threads, {bigram_size / text_bytes:.2f}× the text in size")
    print(f"the alternative, positional character unigrams (streams prepared beforehand): {unigram_speed:,.0f} "
          f"docs/s on two threads, {unigram_size / text_bytes:.2f}× the text; exact matches, top 10, p50/p99 ms:")
    for cls, what in (("pair", "two characters"), ("phrase", "4–6 characters")):
        b, u = exact_bigram[cls], exact_unigram[cls]
        print(f"  {what:16} bigrams {b['p50']:7.3f} / {b['p99']:7.3f}    unigrams {u['p50']:7.3f} / {u['p99']:7.3f}")
    speedup = fts["common"]["p50"] / kz["common"]["p50"]
    p99_max = max(kz[c]["p99"] for c in CLASSES)
    print(
        f"summary: index_docs_per_s={len(docs) / kz_secs:.0f} index_size_ratio={kz_size / text_bytes:.3f} "
        f"common_p50_ms={kz['common']['p50']:.3f} common_p50_speedup_vs_fts5={speedup:.1f} p99_max_ms={p99_max:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
