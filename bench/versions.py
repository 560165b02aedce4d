#!/usr/bin/env python
"""The version pages on a 110k-article archive: the issue's target is p50 ≤ 30 ms.

    .venv/bin/python bench/versions.py [--limit N] [--edited 2000] [--archive DIR] [--rounds 3]

Builds an archive of the zh-news-corpus articles (../shared/data; 110,240 by default) through the
archive's own storage path (`store_captures`: Page, Capture and Snapshot rows, story grouping, the
change log), as a crawl would store them, without fetching or WARC records. Then `--edited`
articles get later versions through the same path, as rechecks would find them: a figure changed
in one sentence (every one), a correction note 更正 appended (one in five), the headline reworded
(one in ten), a third version (one in three); and one article in 20 of the rest is removed (404).
The search index is rebuilt (the snapshot page's related coverage reads it). `--archive DIR`
keeps the archive there and reuses it on the next run.

Then, through Django's test client in one process, `--rounds` requests of each page for the first
200 edited articles: the snapshot page of the latest version (with its fate banner, four clocks and
version list), /api/pages/<id>/versions, and /page/<id>/diff/ (the latest against the one before).
Beside them, as the baseline they are measured against, the snapshot page of 200 articles that
were never edited (the same page without a version history). Prints p50 / p90 / p99 and ends with
`summary: version_page_p50_ms=…` (the slower of the snapshot page and the diff page).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BATCH = 500
SHANGHAI = ZoneInfo("Asia/Shanghai")


def corpus(path: Path, limit: int | None) -> list[dict]:
    try:
        import zstandard
    except ImportError:
        raise SystemExit("the corpus is zstd-compressed: pip install -e '.[bench]'") from None
    docs = []
    with open(path, "rb") as raw:
        for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8"):
            doc = json.loads(line)
            doc["url"] = doc.get("url") or f"https://corpus.invalid/{doc['id']}"  # a few have none
            docs.append(doc)
            if limit and len(docs) >= limit:
                break
    return docs


def captured(record: dict, at: datetime, title: str | None = None, text: str | None = None, status: int = 200):
    from kuaizhao.archive.services import CapturedPage
    from kuaizhao.extract.article import Article, PageTime, Precision, TimeProvenance

    title, text = title or record["title"], text or record["text"]
    published = datetime.fromisoformat(record["published"])
    if published.tzinfo is None:
        published = published.replace(tzinfo=SHANGHAI)
    article = None
    if status == 200:
        html = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        article = Article(url=record["url"], title=title, text=text, html=html,
                          published=PageTime(published, Precision.SECOND, TimeProvenance.META, record["published"]),
                          captured=at, source=record.get("source"), category=record.get("category"))
    return CapturedPage(page_url=record["url"], url=record["url"], fetched_at=at, http_status=status,
                        headers=[("Content-Type", "text/html; charset=utf-8")], content_type="text/html",
                        payload_sha256="", payload_length=len(text.encode()), pointer=None, article=article)


def edit(record: dict, n: int, rng: random.Random) -> tuple[str, str]:
    """Version n (2, 3) of an article: a figure changed, sometimes a correction, a new headline."""
    lines = record["text"].split("\n")
    i = rng.randrange(len(lines))
    lines[i] = lines[i][: len(lines[i]) // 2] + f"（{n * 17 + rng.randrange(90)}）" + lines[i][len(lines[i]) // 2:]
    if rng.random() < 0.2:
        lines.append(f"更正：本文第{i + 1}段中的数字有误，已于今日更正。")
    title = record["title"] + ("（更新）" if rng.random() < 0.1 else "")
    return title, "\n".join(lines)


def build(records: list[dict], edited: int, seed: int) -> list[int]:
    from django.db import connection

    from kuaizhao.archive.models import Page
    from kuaizhao.archive.services import store_captures
    from kuaizhao.search import rebuild

    rng = random.Random(seed)
    start, first = time.perf_counter(), datetime(2026, 11, 1, 8, 0, tzinfo=SHANGHAI)
    for n in range(0, len(records), BATCH):
        store_captures([captured(r, first + timedelta(seconds=n + k)) for k, r in enumerate(records[n:n + BATCH])])
        if (n // BATCH) % 20 == 0:
            print(f"  stored {n + BATCH:>7} articles ({time.perf_counter() - start:.0f} s)", flush=True)
    chosen = rng.sample(range(len(records)), edited + edited * 5)
    edits, removed = chosen[:edited], [i for i in chosen[edited:] if rng.random() < 0.2]
    later = first + timedelta(days=2)
    for version in (2, 3):
        batch = [captured(records[i], later + timedelta(hours=version), *edit(records[i], version, rng))
                 for i in edits if version == 2 or i % 3 == 0]
        for n in range(0, len(batch), BATCH):
            store_captures(batch[n:n + BATCH])
    store_captures([captured(records[i], later + timedelta(hours=5), status=404) for i in removed])
    print(f"  stored {len(records)} articles, {len(edits)} edited, {len(removed)} removed in "
          f"{time.perf_counter() - start:.0f} s; rebuilding the search index", flush=True)
    report = rebuild.reindex()
    print(f"  indexed {report.documents} snapshots in {report.seconds:.0f} s", flush=True)
    if connection.vendor == "sqlite":  # fresh statistics for the planner, as a long-lived archive has
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return list(Page.objects.filter(url__in=[records[i]["url"] for i in edits]).values_list("pk", flat=True))


def timed(urls: list[str], rounds: int) -> dict:
    from django.test import Client

    client, times, bad = Client(), [], 0
    for url in urls[:5]:
        client.get(url)  # warm up: templates, caches, the search index
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            bad += client.get(url).status_code != 200
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p90": times[int(0.9 * (len(times) - 1))],
            "p99": times[int(0.99 * (len(times) - 1))], "non200": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="corpus articles to archive (default: all)")
    parser.add_argument("--edited", type=int, default=2000, help="articles given later versions")
    parser.add_argument("--pages", type=int, default=200, help="edited articles whose pages are timed")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--archive", type=Path, default=None, help="build (or reuse) the archive here")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()

    archive = args.archive or Path(tempfile.mkdtemp(prefix="kuaizhao-bench-versions-"))
    reuse = (archive / "kuaizhao.sqlite3").exists()
    os.environ.update({"KUAIZHAO_DATA_DIR": str(archive), "DJANGO_SETTINGS_MODULE": "kuaizhao.settings",
                       "KUAIZHAO_ALLOWED_HOSTS": "testserver"})
    os.environ.pop("DATABASE_URL", None)
    from kuaizhao.cli.startup import django_setup

    django_setup()
    from kuaizhao.archive.models import Page, PageChange, Snapshot

    if reuse:
        print(f"reusing the archive in {archive}")
        edited = list(PageChange.objects.filter(kind="edited").values_list("page_id", flat=True).distinct())
    else:
        records = corpus(args.data / "zh-news-corpus" / "corpus.jsonl.zst", args.limit)
        print(f"building an archive of {len(records)} corpus articles in {archive}", flush=True)
        edited = build(records, args.edited, args.seed)
    pages = sorted(edited)[: args.pages]
    latest = dict(Page.objects.filter(pk__in=pages).values_list("pk", "latest_snapshot_id"))
    plain = list(Page.objects.filter(status="live").exclude(pk__in=edited).order_by("pk")
                 .values_list("latest_snapshot_id", flat=True)[: args.pages])
    print(f"archive: {Snapshot.objects.count()} snapshots of {Page.objects.count()} pages, "
          f"{PageChange.objects.count()} changes; timing {len(pages)} edited pages, {args.rounds} requests each, "
          "Django test client, one process\n")
    groups = {"snapshot page, never edited (baseline)": [f"/snapshot/{s}/" for s in plain],
              "snapshot page (version list)": [f"/snapshot/{latest[p]}/" for p in pages],
              "api versions": [f"/api/pages/{p}/versions" for p in pages],
              "diff page": [f"/page/{p}/diff/" for p in pages]}
    results = {name: timed(urls, args.rounds) for name, urls in groups.items()}
    print(f"  {'page':<40} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-200':>8}")
    for name, t in results.items():
        print(f"  {name:<40} {t['p50']:>8.2f} {t['p90']:>8.2f} {t['p99']:>8.2f} {t['non200']:>8}")
    worst = max(results["snapshot page (version list)"]["p50"], results["diff page"]["p50"])
    print(f"\nsummary: version_page_p50_ms={worst:.2f} articles={Page.objects.count()} target: version_page_p50_ms<=30")
    if not args.archive:
        import shutil

        shutil.rmtree(archive, ignore_errors=True)


if __name__ == "__main__":
    main()
