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
WARC) except one whose article parts hashed as before (outcome same-article: parsed, not
extracted; extract/footprint.py); a 304 (not-modified), an HTTP error or a refused page costs none
(archive/ingest.py). `--recrawl-all` extracts every page it fetches (no conditional requests, no
footprint shortcut): it is what re-crawling everything costs.
pages/s counts article fetches (Capture rows), not the feeds, sitemaps and listings of discovery.

Beside the recheck, Scrapy alone sending the same conditional requests (nothing written, stored or
extracted): the framework's ceiling for any recheck built on it.

Then the diff figure (bench/diff.py, two 10,000-character versions) and the version pages' p50
(bench/versions.py: the snapshot page with its version list and the diff page on an archive of
the 110k-article corpus with 2,000 edited articles; it builds that archive first, a few minutes,
or reuses it with --versions-archive).

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
                                  "AND 299 AND warc_file != '' AND outcome != 'same-article'", (before,)).fetchone()[0]
    command = "kuaizhao " + " ".join(a for a in args if not a.startswith("/") and a != "--sources")
    return Run(scenario, command, seconds, sum(outcomes.values()), extractions, outcomes, done.stdout)


# The framework's ceiling for a recheck: Scrapy alone sending the same conditional requests (the
# due pages with their last ETag), nothing written, stored or extracted. Same settings as
# bench/crawl.py's fetch-only peer.
SCRAPY_CONDITIONAL = textwrap.dedent("""
    import sys, scrapy
    from scrapy.crawler import CrawlerProcess

    class FetchOnly(scrapy.Spider):
        name = "conditional-fetch-only"
        async def start(self):
            for line in open(sys.argv[1]).read().splitlines():
                url, etag = line.split("\\t")
                yield scrapy.Request(url, dont_filter=True, headers={"If-None-Match": etag} if etag else {},
                                     meta={"handle_httpstatus_all": True})
        def parse(self, response):
            self.crawler.stats.inc_value(f"status/{response.status}")

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 96, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
                              "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True, "CONCURRENT_ITEMS": 4,
                              "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                              "WARN_ON_GENERATOR_RETURN_VALUE": False,
                              "TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor"})
    crawler = process.create_crawler(FetchOnly)
    process.crawl(crawler)
    process.start()
    print({k: v for k, v in crawler.stats.get_stats().items() if k.startswith("status/")})
""")


def conditional_peer(data: Path, work: Path) -> Run:
    """Scrapy fetch-only with the recheck's conditional requests: what the framework alone costs."""
    with db(data) as con:
        rows = con.execute("SELECT p.url, c.headers FROM archive_page p JOIN archive_snapshot s ON "
                           "s.id = p.latest_snapshot_id JOIN archive_capture c ON c.id = s.capture_id").fetchall()
    lines = []
    for url, headers in rows:
        etag = next((v for k, v in json.loads(headers) if k.lower() == "etag"), "")
        lines.append(f"{url}\t{etag}")
    (work / "due.tsv").write_text("\n".join(lines))
    (work / "conditional.py").write_text(SCRAPY_CONDITIONAL)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(work / "conditional.py"), str(work / "due.tsv")],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"conditional fetch-only failed:\n{done.stderr[-3000:]}")
    return Run("unchanged", "scrapy fetch-only, same conditional requests", seconds, len(lines), 0,
               {"statuses": 0}, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")


def make_all_due(data: Path) -> tuple[int, int]:
    """Every page due now, with one UPDATE; (pages, pages whose schedule had ended)."""
    with db(data) as con:
        ended = con.execute("SELECT COUNT(*) FROM archive_page WHERE next_check IS NULL").fetchone()[0]
        pages = con.execute("UPDATE archive_page SET next_check = ?", (PAST,)).rowcount
    return pages, ended


def versions_figure(data: Path, archive: Path | None) -> tuple[float | None, str]:
    """bench/versions.py: the version pages on the 110k-article corpus archive."""
    extra = ["--archive", str(archive)] if archive else []
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "versions.py"), "--data", str(data), *extra],
                          capture_output=True, text=True, env=env_for(Path(tempfile.gettempdir())))
    summary = next((line for line in done.stdout.splitlines() if line.startswith("summary:")), "")
    fields = dict(f.split("=", 1) for f in summary.split()[1:] if "=" in f)
    value = fields.get("version_page_p50_ms")
    return (float(value) if value else None), done.stdout + done.stderr[-2000:]


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
    parser.add_argument("--versions-archive", type=Path, default=None,
                        help="bench/versions.py's corpus archive: built there once, reused after")
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
        peer = conditional_peer(base, work)
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
        print(f"{'(peer)':<11} {peer.command:<45} {peer.pages:>6} {peer.seconds:>8.1f} {peer.rate:>8.1f} "
              f"{'-':>11}  answers {peer.log}")
        ratios = {}
        print()
        for scenario in ("unchanged", "edition 1"):
            rc, rr = (r for r in runs if r.scenario == scenario)
            speedup = rr.seconds / rc.seconds
            calls = rr.extractions / rc.extractions if rc.extractions else float("inf")
            ratios[scenario] = (speedup, calls)
            print(f"{scenario:<11} re-crawl ÷ recheck: time {speedup:.2f}×, extraction calls {calls:.1f}× "
                  f"({rr.extractions} ÷ {rc.extractions})")
        rc, rr = (r for r in runs if r.scenario == "unchanged")
        print(f"{'ceiling':<11} re-crawl ÷ Scrapy alone sending the recheck's requests: "
              f"{rr.seconds / peer.seconds:.2f}× "
              f"(the most any recheck built on Scrapy could reach here); the recheck runs at "
              f"{peer.seconds / rc.seconds:.0%} of that rate")
        for r in runs:
            finished = next((line for line in r.log.splitlines() if line.startswith("crawl finished")), "")
            print(f"  {r.scenario} / {r.command.split()[1]}: {finished}")
        print(flush=True)

        diff_ms, diff_out = diff_figure(args.data)
        print("bench/diff.py:\n" + textwrap.indent(diff_out.rstrip(), "  ") + "\n", flush=True)

        page_p50, versions_out = versions_figure(args.data, args.versions_archive)
        print("bench/versions.py:\n" + textwrap.indent(versions_out.rstrip(), "  ") + "\n", flush=True)

        speedup, calls = ratios["unchanged"]
        print("recheck_speedup and extraction_calls_ratio below: the unchanged-site scenario "
              f"(edition 1: {ratios['edition 1'][0]:.2f}× and {ratios['edition 1'][1]:.1f}×)")
        diff_text = f"{diff_ms:.2f}" if diff_ms is not None else "n/a"
        page_p50_text = f"{page_p50:.2f}" if page_p50 is not None else "n/a"
        print(f"summary: recheck_speedup={speedup:.2f} extraction_calls_ratio={calls:.1f} "
              f"diff_10k_ms={diff_text} version_page_p50_ms={page_p50_text} "
              f"targets: recheck_speedup>=3 extraction_calls_ratio>=5 diff_10k_ms<=20 version_page_p50_ms<=30")
    finally:
        site_proc.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
