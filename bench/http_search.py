#!/usr/bin/env python
"""The /search page under concurrent clients: gunicorn serving the demo archive, load from wrk.

    .venv/bin/python bench/http_search.py [--articles 2000] [--clients 8] [--seconds 15] [--workers N]

Crawls a fresh demo site of --articles articles into a temporary data directory (as `kuaizhao
demo` does), serves it with `kuaizhao serve` (gunicorn, sync workers), and drives it with wrk
(Debian package `wrk`; C, two threads, so the load generator takes little of the 2 cores) from
--clients concurrent connections, each request a different URL from a query mix drawn from the
archive's own titles:

    40% one word · 20% two words · 20% a quoted 4–6 character phrase · 10% with category: ·
    10% sort=time; one in five asks for page 2

Rows, all measured in the same run against the same server:
  /search           the HTML search page (parse, search, collapse reprints, facets, excerpts, template)
  /api/search       the same searches as JSON
  /category/<c>/    a page without search: what Django + the database cost per page here
  /static/site.css  whitenoise through gunicorn: the ceiling of this HTTP stack on this machine

Every response must be 200; any other status fails the run. Target (issue #4): /search p50 ≤ 25 ms
and ≥ 300 requests/s with 8 clients.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
KUAIZHAO = [sys.executable, "-m", "kuaizhao"]

from kuaizhao.demo.server import free_port, free_ports  # noqa: E402

# wrk's Lua hooks: rotate through the URL file, count non-200 answers, print one JSON line at the end.
WRK_SCRIPT = textwrap.dedent("""
    local paths = {}
    for line in io.lines(os.getenv("KZ_PATHS")) do paths[#paths + 1] = line end
    local counter = 0
    bad = 0  -- global: done() reads it from each thread with thread:get
    local threads = {}
    setup = function(thread)
        thread:set("id", #threads)
        threads[#threads + 1] = thread
    end
    init = function(args) counter = id * 7919 end
    request = function()
        counter = counter + 1
        return wrk.format("GET", paths[(counter % #paths) + 1])
    end
    response = function(status, headers, body)
        if status ~= 200 then bad = bad + 1 end
    end
    done = function(summary, latency, requests)
        local errors = 0
        for _, t in ipairs(threads) do errors = errors + t:get("bad") end
        local s = summary.errors
        io.write(string.format(
            'KZJSON {"requests": %d, "seconds": %f, "p50": %f, "p90": %f, "p99": %f, "bad_status": %d, '
            .. '"socket_errors": %d}\\n',
            summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
            latency:percentile(99) / 1e3, errors, s.connect + s.read + s.write + s.timeout))
    end
""")


def build_archive(data: Path, articles: int) -> Path:
    env = {**os.environ, "KUAIZHAO_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    cmd = [*KUAIZHAO, "demo", "--no-serve", "--articles", str(articles), "--site-port", str(free_ports(3))]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"kuaizhao demo failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    print(f"demo archive: {articles} articles crawled and indexed in {time.perf_counter() - started:.0f} s", flush=True)
    return data / "demo"


def query_mix(archive: Path, n: int, seed: int = 4) -> list[str]:
    """Search URLs drawn from the archive's own titles, so every class finds something."""
    import rjieba

    db = sqlite3.connect(archive / "kuaizhao.sqlite3")
    titles = [t for (t,) in db.execute("SELECT title FROM archive_snapshot")]
    categories = [c for (c,) in db.execute("SELECT DISTINCT c.name FROM archive_category c "
                                           "JOIN archive_snapshot s ON s.category_id = c.id")]
    db.close()
    hanzi = re.compile(r"[\u4e00-\u9fff]{2,}")
    words = sorted({w for t in titles for w in rjieba.cut(t) if hanzi.fullmatch(w)})
    rng = random.Random(seed)
    urls = []
    for i in range(n):
        roll = rng.random()
        params: dict[str, str] = {}
        if roll < 0.4:
            q = rng.choice(words)
        elif roll < 0.6:
            q = f"{rng.choice(words)} {rng.choice(words)}"
        elif roll < 0.8:
            title = rng.choice(titles)
            size = rng.randint(4, 6)
            start = rng.randrange(max(1, len(title) - size))
            q = f'"{title[start:start + size]}"'
        elif roll < 0.9:
            q = f"{rng.choice(words)} category:{rng.choice(categories)}"
        else:
            q = rng.choice(words)
            params["sort"] = "time"
        if i % 5 == 4:
            params["page"] = "2"
        urls.append(urlencode({"q": q, **params}, quote_via=quote))
    return urls


class Server:
    def __init__(self, archive: Path, workers: int | None) -> None:
        self.port = free_port()
        # One client address sends every request: the per-address search limit would answer 429.
        env = {**os.environ, "KUAIZHAO_DATA_DIR": str(archive), "KUAIZHAO_API_SEARCH_PER_MINUTE": "0"}
        env.pop("DATABASE_URL", None)
        cmd = [*KUAIZHAO, "serve", "--port", str(self.port)] + (["--workers", str(workers)] if workers else [])
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self) -> None:
        for _ in range(200):
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"kuaizhao serve exited:\n{self.proc.stderr.read()}") from None  # type: ignore[union-attr]
                time.sleep(0.1)
        raise SystemExit("kuaizhao serve did not answer in 20 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_wrk(base: str, paths: list[str], clients: int, seconds: int, work: Path) -> dict[str, float]:
    script, listing = work / "rotate.lua", work / f"paths-{time.monotonic_ns()}.txt"
    script.write_text(WRK_SCRIPT)
    listing.write_text("\n".join(paths) + "\n")
    cmd = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script), base]
    done = subprocess.run(cmd, env={**os.environ, "KZ_PATHS": str(listing)}, capture_output=True, text=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("KZJSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line[len("KZJSON "):])
    if figures["bad_status"] or figures["socket_errors"]:
        raise SystemExit(f"{paths[0]}…: {figures['bad_status']} non-200 answers, "
                         f"{figures['socket_errors']} socket errors — the figures would mean nothing")
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="size of the demo site (default 2000)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent connections (default 8)")
    ap.add_argument("--seconds", type=int, default=15, help="duration of each row (default 15)")
    ap.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: kuaizhao serve's)")
    ap.add_argument("--keep", type=Path, help="build the archive here and keep it (reused when present)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    work = Path(tempfile.mkdtemp(prefix="kz-http-"))
    try:
        data = args.keep or work / "data"
        archive = data / "demo"
        if not (archive / "kuaizhao.sqlite3").exists():
            archive = build_archive(data, args.articles)
        searches = query_mix(archive, 2000)
        db = sqlite3.connect(archive / "kuaizhao.sqlite3")
        slugs = [s for (s,) in db.execute("SELECT slug FROM archive_category ORDER BY id")]
        db.close()
        rows = [
            ("/search", "HTML page, query mix", [f"/search?{q}" for q in searches]),
            ("/api/search", "JSON, same queries", [f"/api/search?{q}" for q in searches]),
            ("/category/<c>/", "no search: Django + DB", [f"/category/{s}/" for s in slugs]),
            ("/static/site.css", "whitenoise: stack ceiling", ["/static/kuaizhao/site.css"]),
        ]
        server = Server(archive, args.workers)
        try:
            server.wait()
            for _, _, paths in rows:  # warm every worker: imports, index readers, template cache
                run_wrk(server.base, paths, args.clients, 2, work)
            print(f"{args.clients} clients, {args.seconds} s per row, gunicorn at {server.base}\n", flush=True)
            print(f"{'endpoint':<18} {'what':<26} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} "
                  f"{'requests':>9}")
            results = {}
            for name, what, paths in rows:
                r = run_wrk(server.base, paths, args.clients, args.seconds, work)
                results[name] = r
                print(f"{name:<18} {what:<26} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p90']:>7.1f} {r['p99']:>7.1f} "
                      f"{r['requests']:>9}", flush=True)
        finally:
            server.stop()
        s = results["/search"]
        print(f"\nsummary: search_p50_ms={s['p50']:.1f} search_p99_ms={s['p99']:.1f} search_rps={s['rps']:.0f} "
              f"ceiling_rps={results['/static/site.css']['rps']:.0f} clients={args.clients} "
              f"targets: search_p50_ms<=25 search_rps>=300")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
