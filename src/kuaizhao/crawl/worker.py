"""The store worker: extraction and database writes for a crawl, in a process of their own.

Scrapy runs on one core. Extraction and database writes are half of the work per page, so by
default they run in a second process (`sink.WorkerSink`) fed through a bounded queue. `process`
is the work itself, the same in this process or in the crawler's (`sink.InlineSink`).

Imports nothing of Django before `django.setup()`: a spawned child unpickles its target by
importing this module first.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..archive.ingest import PendingCapture

@dataclass(frozen=True)
class Unreachable:
    """A fetch that got no HTTP answer (timeout, refused, DNS)."""

    page_url: str
    when: datetime
    source: str | None


Job = list["PendingCapture"] | Unreachable
# (source name or None, outcome value) of one capture: the crawl counts both crawl-wide and per source.
Outcome = tuple[str | None, str]


def process(job: Job) -> list[Outcome]:
    """Extract and store one job; returns each capture's source and outcome (for the crawl's counters)."""
    from ..archive import ingest, services

    if isinstance(job, Unreachable):
        services.record_unreachable(job.page_url, job.when, job.source)
        return []  # the spider counted it when the fetch failed
    outcomes = [(p.capture.source, o.value) for p, o in zip(job, ingest.store(job), strict=True)]
    update_index(final=False)
    return outcomes


def sources_of(job: Job) -> list[str | None]:
    """The source of each capture of a job (a job that could not be stored is counted per source)."""
    return [job.source] if isinstance(job, Unreachable) else [p.capture.source for p in job]


def update_index(final: bool) -> None:
    """Bring the search index up to date: every few seconds during a crawl, and at its end."""
    from ..search import sync

    sync.catch_up(wait=30.0, only_if_due=not final)


def main(jobs: Any, done: Any, parent: int) -> None:
    """The worker process: store each job from `jobs`, report outcomes to `done`, until None."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuaizhao.settings")
    import django

    django.setup()
    busy = threading.Event()
    threading.Thread(target=_watch_parent, args=(parent, busy), name="parent-watch", daemon=True).start()
    while True:
        try:
            job = jobs.get(timeout=1.0)
        except queue.Empty:
            continue
        if job is None:
            update_index(final=True)
            return
        busy.set()
        try:
            done.put(process(job))
        except Exception:  # noqa: BLE001 — reported to the crawler, which stops on it
            done.put(("error", traceback.format_exc(), sources_of(job)))
            return
        finally:
            busy.clear()


def _watch_parent(parent: int, busy: threading.Event) -> None:
    """Exit once the crawler is gone and no batch is being stored.

    Checked from a thread because the main thread can be stuck for good in `jobs.get()`: a crawler
    killed while writing a batch leaves half a message in the pipe, and the pipe never reports
    end-of-file since this process holds a copy of its write end too. Batches fully received are
    stored first (their WARC records are already on disk).
    """
    while True:
        time.sleep(0.5)
        if os.getppid() != parent and not busy.is_set():
            os._exit(0)
