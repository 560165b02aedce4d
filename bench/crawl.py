#!/usr/bin/env python
"""Crawl throughput on the demo news site: Kuaizhao next to its peers, measured in the same run.

    .venv/bin/python bench/crawl.py [--articles 20000]

Rows (each a separate process tree, wall time of the whole command, peak RSS summed over the tree):
  kuaizhao crawl      discovery (feeds, sitemaps, listings) + fetch + WARC + extract + store
  wget --warc-file    the web archives' capture tool: fetch + gzipped WARC, given the article URL list
  scrapy fetch-only   the framework's ceiling: fetch only, given the article URL list, same concurrency

The peers get the article list for free and do less per page; they bound what the fetch and
WARC steps cost on this machine. The demo site runs in its own process throughout.
Target (issue #2): kuaizhao ≥ 200 pages/s and peak RSS ≤ 500 MB on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kuaizhao.demo.launch import DemoSiteProcess, DemoState  # noqa: E402
from kuaizhao.demo.outlets import OUTLET_CLASSES  # noqa: E402
from kuaizhao.demo.server import demo_sources_toml  # noqa: E402
from kuaizhao.demo.site import SHANGHAI, DemoSite  # noqa: E402


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak tree RSS in KiB, output) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    out_lines: list[str] = []
    import threading

    reader = threading.Thread(target=lambda: out_lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.05)
    reader.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{''.join(out_lines)[-3000:]}")
    return seconds, peak, "".join(out_lines)


SCRAPY_FETCH_ONLY = textwrap.dedent("""
    import sys, scrapy
    from scrapy.crawler import CrawlerProcess

    class FetchOnly(scrapy.Spider):
        name = "fetch-only"
        async def start(self):
            for url in open(sys.argv[1]).read().split():
                yield scrapy.Request(url, dont_filter=True)
        def parse(self, response):
            return None

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 96, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
                              "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True, "CONCURRENT_ITEMS": 4,
                              "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                              "TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor"})
    process.crawl(FetchOnly)
    process.start()
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--port", type=int, default=18301)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kuaizhao-bench-"))
    anchor = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    state = DemoState(args.articles, 1, anchor.isoformat(), args.port)
    site_proc = DemoSiteProcess(state, work / "demo-site.log")
    urls = site_proc.start(timeout=120)
    try:
        sources = work / "sources.toml"
        sources.write_text(demo_sources_toml(urls, delay=0))
        site = DemoSite(args.articles, 1, anchor)
        article_urls = [cls(site, urls[cls.key], urls).url(i) for cls in OUTLET_CLASSES for i in site.ids(cls.key)]
        url_list = work / "urls.txt"
        url_list.write_text("\n".join(article_urls) + "\n")
        print(f"demo news site: {args.articles} articles on {', '.join(urls.values())}; work dir {work}")
        print(f"machine: {os.cpu_count()} cores; each row is one command, wall time including start-up\n")

        env = {**os.environ, "KUAIZHAO_DATA_DIR": str(work / "data"), "DJANGO_SETTINGS_MODULE": "kuaizhao.settings",
               "KUAIZHAO_LISTING_MAX_PAGES": "10000"}
        env.pop("DATABASE_URL", None)
        kz_bin = str(Path(sys.executable).with_name("kuaizhao"))
        seconds, peak, out = measure([kz_bin, "crawl", "--sources", str(sources), "--no-politeness"], env=env)
        fetched = int(next(line for line in out.splitlines() if line.startswith("crawl finished"))
                      .split(":", 1)[1].split("pages fetched")[0].split(")")[-1].strip())
        new = next(line for line in out.splitlines() if "new snapshots" in line and not line.startswith("fetched"))
        rows = [("kuaizhao crawl", fetched, seconds, peak, "discover + fetch + WARC + extract + store")]
        warc_bytes = sum(p.stat().st_size for p in (work / "data" / "warc").glob("*.warc.gz"))

        if not args.skip_peers:
            if shutil.which("wget"):
                wdir = work / "wget"
                wdir.mkdir()
                seconds_w, peak_w, _ = measure(["wget", "--quiet", "--input-file", str(url_list), "--warc-file",
                                                 str(wdir / "wget"), "-O", "/dev/null",
                                                 "--tries", "1"], cwd=wdir)
                rows.append(("wget --warc-file", len(article_urls), seconds_w, peak_w, "fetch + WARC (URL list given)"))
            script = work / "fetch_only.py"
            script.write_text(SCRAPY_FETCH_ONLY)
            seconds_s, peak_s, _ = measure([sys.executable, str(script), str(url_list)])
            rows.append(("scrapy fetch-only", len(article_urls), seconds_s, peak_s, "fetch (URL list given)"))

        print(f"{'system':<20} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'peak RSS':>9}  does")
        for name, pages, secs, rss, does in rows:
            print(f"{name:<20} {pages:>7} {secs:>8.1f} {pages / secs:>8.1f} {rss / 1024:>7.0f}MB  {does}")
        print(f"\nkuaizhao: {new.strip()}; WARC {warc_bytes / 1e6:.0f} MB")
        _, kz_pages, kz_secs, kz_rss, _ = rows[0]
        print(f"summary: pages_per_s={kz_pages / kz_secs:.1f} peak_rss_mb={kz_rss / 1024:.0f} "
              f"targets: pages_per_s>=200 peak_rss_mb<=500")
    finally:
        site_proc.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
