"""A crawl killed with SIGKILL leaves no corrupt WARC and no half-written rows; the next one resumes."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from datetime import datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from kuaizhao.archive.models import Capture, Page, Snapshot
from kuaizhao.archive.warc import WarcPointer, WarcStore
from kuaizhao.demo import DemoServer, DemoSite, demo_sources_toml
from kuaizhao.demo.site import SHANGHAI


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            found += [int(c) for c in f.read().split()]
    return found


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(line for line in f if line.startswith("State:")).lower()
    except (FileNotFoundError, StopIteration):
        return "gone zombie"


def check_consistent(warc_dir) -> None:
    """Every row points at a complete record with the digest it claims; no row is half-written."""
    store = WarcStore(warc_dir)
    for capture in Capture.objects.exclude(warc_file=""):
        stored = store.read(WarcPointer(capture.warc_file, capture.warc_offset, capture.warc_length))
        assert hashlib.sha256(stored.raw_body).hexdigest() == capture.payload_sha256
        assert stored.target_uri == capture.url
    for snapshot in Snapshot.objects.select_related("capture", "page"):
        assert snapshot.capture.page_id == snapshot.page_id
    # a page with snapshots points at its newest one
    for page in Page.objects.filter(snapshots__isnull=False).distinct():
        assert page.latest_snapshot_id == page.snapshots.order_by("-captured_at", "-pk").first().pk


@pytest.mark.slow
def test_killed_crawl_leaves_consistent_state_and_resumes(kuaizhao, tmp_path):
    site = DemoSite(articles=1500, seed=11, anchor=datetime.now(SHANGHAI).replace(second=0, microsecond=0))
    with DemoServer(site) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(demo_sources_toml(server.urls, delay=0))
        proc = kuaizhao.start("crawl", "--sources", str(sources), "--no-politeness",
                              KUAIZHAO_STORE_BATCH="20", KUAIZHAO_LISTING_MAX_PAGES="500")
        deadline = time.monotonic() + 60
        while Capture.objects.count() < 300:
            assert proc.poll() is None, f"crawl ended before it could be killed:\n{proc.stdout.read()}"
            assert time.monotonic() < deadline, "crawl made no progress"
            time.sleep(0.05)
        workers = children(proc.pid)
        assert workers, "the crawl runs its store worker in a child process"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # The store worker finishes what it was handed and exits; wait until rows stop changing.
        last, stable = -1, 0
        while stable < 15:
            now = Capture.objects.count()
            stable = stable + 1 if now == last else 0
            last = now
            time.sleep(0.2)

        for pid in workers:  # the orphaned store worker notices and exits
            deadline = time.monotonic() + 15
            while "zombie" not in _state(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "zombie" in _state(pid), f"store worker {pid} outlived the crawl"

        stored_before = Snapshot.objects.count()
        assert 0 < stored_before < 1498, "killed part-way"
        assert list(kuaizhao.warc_dir.glob("*.warc.gz.open")), "the killed crawl's WARC file was left open"
        check_consistent(kuaizhao.warc_dir)

        done = kuaizhao.crawl(sources, KUAIZHAO_LISTING_MAX_PAGES="500")
        assert "WARC files recovered from an interrupted crawl: 1" in done.stdout
        assert not list(kuaizhao.warc_dir.glob("*.open"))
        check_consistent(kuaizhao.warc_dir)
        # every article archived exactly once (the two noarchive ones never)
        assert Snapshot.objects.count() == 1498
        assert Snapshot.objects.values("page").distinct().count() == 1498
        # and every WARC file reads to its end without error
        for path in kuaizhao.warc_dir.glob("*.warc.gz"):
            with open(path, "rb") as f:
                for record in ArchiveIterator(f):
                    record.content_stream().read()
