#!/usr/bin/env python
"""Rechecks against a full re-crawl on the demo news site, both measured in the same run.

    .venv/bin/python bench/recheck.py [--articles 20000] [--version-pages 200]

Setup (reported, not compared): the demo site (edition 0) is crawled once into a scratch data
directory with `kuaizhao crawl --no-politeness`; then every page is made due for its recheck with
one SQL UPDATE of `archive_page.next_check` (what the passing of time does), and the data
directory is copied four times, so that every run below starts from the same archive:

  unchanged site   (edition 0 still served)
    kuaizhao recheck             the due pages only, conditional requests (ETag → 304, no extraction)
    kuaizhao crawl --recrawl-all discovery, then every article fetched and extracted again
  second edition   (the site restarted with --edition 1: about 5 % of the articles edited, 3 % removed)
    kuaizhao recheck
    kuaizhao crawl --recrawl-all

Each row is one command, wall time including start-up. Extraction calls are counted from the
Capture rows the run added: an extraction happens for every 2xx capture that is kept (written to
WARC); a 304 (outcome not-modified), an HTTP error or a refused page costs none (archive/ingest.py).
pages/s counts article fetches (Capture rows), not the feeds, sitemaps and listings of discovery.

Then the diff figure (bench/diff.py, two 10,000-character versions) and the version pages' p50
(the snapshot page with its version list, /api/pages/<id>/versions, /page/<id>/diff/) through
Django's test client, on the pages that have more than one version after the second-edition
recheck. The issue asks for them on the 110k-article archive; this bench measures them on the
demo archive of --articles articles, which has real edits.

Targets (issue #19): ≥ 5× fewer extraction calls and ≥ 3× faster than re-crawling everything;
diff of two 10,000-character versions ≤ 20 ms; version list and diff pages p50 ≤ 30 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kuaizhao.demo.launch import DemoSiteProcess, DemoState  # noqa: E402
from kuaizhao.demo.server import demo_sources_toml  # noqa: E402
from kuaizhao.demo.site import SHANGHAI, DemoSite  # noqa: E402

KUAIZHAO = [sys.executable, "-m", "kuaizhao"]
PAST = "2000-01-01 00:00:00"  # stored times are UTC, as Django writes them to SQLite


@dataclass
class Run:
    scenario: str
    command: str
    seconds: float
    pages: int  # article fetches: Capture rows added
    extractions: int  # 2xx captures kept: each one was extracted
    outcomes: dict[str, int]
    log: str

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def env_for(data: Path) -> dict[str, str]:
    env = {**os.environ, "KUAIZHAO_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "kuaizhao.settings",
           "KUAIZHAO_LISTING_MAX_PAGES": "10000", "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    return env


@contextmanager
def db(data: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(data / "kuaizhao.sqlite3")
    try:
        with con:  # commits
            yield con
    finally:
        con.close()


def last_capture_id(data: Path) -> int:
    if not (data / "kuaizhao.sqlite3").exists():
        return 0
    with db(data) as con:
        return con.execute("SELECT COALESCE(MAX(id), 0) FROM archive_capture").fetchone()[0]


def run(scenario: str, args: list[str], data: Path) -> Run:
    """One kuaizhao command on this data directory: wall time and what its captures say."""
    before = last_capture_id(data)
    started = time.perf_counter()
    done = subprocess.run([*KUAIZHAO, *args], env=env_for(data), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kuaizhao {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    with db(data) as con:
        outcomes = dict(con.execute("SELECT outcome, COUNT(*) FROM archive_capture WHERE id > ? GROUP BY outcome",
                                    (before,)).fetchall())
        extractions = con.execute("SELECT COUNT(*) FROM archive_capture WHERE id > ? AND http_status BETWEEN 200 "
                                  "AND 299 AND warc_file != ''", (before,)).fetchone()[0]
    command = "kuaizhao " + " ".join(a for a in args if not a.startswith("/") and a != "--sources")
    return Run(scenario, command, seconds, sum(outcomes.values()), extractions, outcomes, done.stdout)


def make_all_due(data: Path) -> tuple[int, int]:
    """Every page due now, with one UPDATE; (pages, pages whose schedule had ended)."""
    with db(data) as con:
        ended = con.execute("SELECT COUNT(*) FROM archive_page WHERE next_check IS NULL").fetchone()[0]
        pages = con.execute("UPDATE archive_page SET next_check = ?", (PAST,)).rowcount
    return pages, ended


VERSION_PAGES = textwrap.dedent("""
    import json, statistics, sys, time
    import django
    django.setup()
    from django.test import Client
    from kuaizhao.archive.models import Page, Snapshot
    from django.db.models import Count

    limit, rounds = int(sys.argv[1]), int(sys.argv[2])
    pages = list(Page.objects.annotate(n=Count("snapshots")).filter(n__gt=1, latest_snapshot__isnull=False)
                 .order_by("id").values_list("id", "latest_snapshot_id")[:limit])
    client = Client()
    urls = {"snapshot page (version list)": [f"/snapshot/{s}/" for _, s in pages],
            "api versions": [f"/api/pages/{p}/versions" for p, _ in pages],
            "diff page": [f"/page/{p}/diff/" for p, _ in pages]}
    for group in urls.values():  # warm up: templates, caches, the search index
        for url in group[:5]:
            client.get(url)
    out = {"pages": len(pages)}
    for name, group in urls.items():
        times, bad = [], 0
        for _ in range(rounds):
            for url in group:
                start = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                bad += r.status_code != 200
        times.sort()
        out[name] = {"p50": statistics.median(times), "p90": times[int(0.9 * (len(times) - 1))],
                     "p99": times[int(0.99 * (len(times) - 1))], "n": len(times), "non200": bad}
    print(json.dumps(out))
""")


def version_pages(data: Path, limit: int, rounds: int) -> dict:
    env = {**env_for(data), "KUAIZHAO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    done = subprocess.run([sys.executable, "-c", VERSION_PAGES, str(limit), str(rounds)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"version pages failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def diff_figure(data: Path) -> tuple[float | None, str]:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "diff.py"), "--data", str(data)],
                          capture_output=True, text=True, env=env_for(Path(tempfile.gettempdir())))
    summary = next((line for line in done.stdout.splitlines() if line.startswith("summary:")), "")
    fields = dict(f.split("=", 1) for f in summary.split()[1:] if "=" in f)
    value = fields.get("diff_10k_ms")
    return (float(value) if value else None), done.stdout + done.stderr[-2000:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--port", type=int, default=18401)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--version-pages", type=int, default=200, help="edited pages whose version pages are timed")
    parser.add_argument("--rounds", type=int, default=3, help="times each version page is requested")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kuaizhao-bench-recheck-"))
    anchor = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    state = DemoState(args.articles, 1, anchor.isoformat(), args.port)
    site_proc = DemoSiteProcess(state, work / "demo-site.log")
    urls = site_proc.start(timeout=120)
    try:
        sources = work / "sources.toml"
        sources.write_text(demo_sources_toml(urls, delay=0))
        site = DemoSite(args.articles, 1, anchor)
        meta = site._meta  # who is edited or removed in edition 1: cheap, without building the texts
        edited = sum(m.edited_in is not None for m in meta)
        removed = sum(m.removed_in is not None for m in meta)
        print(f"demo news site: {args.articles} articles on {', '.join(urls.values())} "
              f"(edition 1: {edited} edited, {removed} removed); work dir {work}")
        print(f"machine: {os.cpu_count()} cores; each row is one command, wall time including start-up\n", flush=True)
        crawl = ["crawl", "--sources", str(sources), "--no-politeness"]
        recheck = ["recheck", "--sources", str(sources), "--no-politeness"]

        base = work / "base"
        setup = run("setup", crawl, base)
        due, ended = make_all_due(base)
        print(f"setup: edition 0 crawled in {setup.seconds:.1f} s ({setup.pages} captures, {setup.rate:.1f} pages/s, "
              f"{setup.extractions} extractions); {due} pages made due with one UPDATE "
              f"({ended} had an ended schedule)", flush=True)
        copies = {}
        for name in ("unchanged-recheck", "unchanged-recrawl", "edition1-recheck", "edition1-recrawl"):
            copies[name] = work / name
            shutil.copytree(base, copies[name])

        runs = [run("unchanged", recheck, copies["unchanged-recheck"]),
                run("unchanged", [*crawl, "--recrawl-all"], copies["unchanged-recrawl"])]
        site_proc.stop()
        time.sleep(1)
        state.edition = 1
        site_proc = DemoSiteProcess(state, work / "demo-site.log")
        site_proc.start(timeout=120)
        runs += [run("edition 1", recheck, copies["edition1-recheck"]),
                 run("edition 1", [*crawl, "--recrawl-all"], copies["edition1-recrawl"])]
        site_proc.stop()

        print(f"{'scenario':<11} {'command':<45} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'extractions':>11}  "
              "outcomes (Capture rows)")
        for r in runs:
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items(), key=lambda kv: -kv[1]))
            print(f"{r.scenario:<11} {r.command:<45} {r.pages:>6} {r.seconds:>8.1f} {r.rate:>8.1f} "
                  f"{r.extractions:>11}  {outcomes}")
        ratios = {}
        print()
        for scenario in ("unchanged", "edition 1"):
            rc, rr = (r for r in runs if r.scenario == scenario)
            speedup = rr.seconds / rc.seconds
            calls = rr.extractions / rc.extractions if rc.extractions else float("inf")
            ratios[scenario] = (speedup, calls)
            print(f"{scenario:<11} re-crawl ÷ recheck: time {speedup:.2f}×, extraction calls {calls:.1f}× "
                  f"({rr.extractions} ÷ {rc.extractions})")
        for r in runs:
            finished = next((line for line in r.log.splitlines() if line.startswith("crawl finished")), "")
            print(f"  {r.scenario} / {r.command.split()[1]}: {finished}")
        print(flush=True)

        diff_ms, diff_out = diff_figure(args.data)
        print("bench/diff.py:\n" + textwrap.indent(diff_out.rstrip(), "  ") + "\n", flush=True)

        archive = copies["edition1-recheck"]
        vp = version_pages(archive, args.version_pages, args.rounds)
        print(f"version pages on the {args.articles}-article demo archive after the edition-1 recheck "
              f"(NOT the issue's 110k-article archive): {vp['pages']} pages with more than one version, "
              f"{args.rounds} requests each, Django test client, one process")
        print(f"  {'page':<30} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-200':>8}")
        for name in ("snapshot page (version list)", "api versions", "diff page"):
            t = vp[name]
            print(f"  {name:<30} {t['p50']:>8.2f} {t['p90']:>8.2f} {t['p99']:>8.2f} {t['non200']:>8}")
        page_p50 = max(vp["snapshot page (version list)"]["p50"], vp["diff page"]["p50"])
        print("  version_page_p50_ms below: the slower of the snapshot page (version list) and the diff page\n")

        speedup, calls = ratios["unchanged"]
        print("recheck_speedup and extraction_calls_ratio below: the unchanged-site scenario "
              f"(edition 1: {ratios['edition 1'][0]:.2f}× and {ratios['edition 1'][1]:.1f}×)")
        diff_text = f"{diff_ms:.2f}" if diff_ms is not None else "n/a"
        print(f"summary: recheck_speedup={speedup:.2f} extraction_calls_ratio={calls:.1f} "
              f"diff_10k_ms={diff_text} version_page_p50_ms={page_p50:.2f} "
              f"targets: recheck_speedup>=3 extraction_calls_ratio>=5 diff_10k_ms<=20 version_page_p50_ms<=30")
    finally:
        site_proc.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
