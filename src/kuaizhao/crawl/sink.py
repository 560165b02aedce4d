"""Where archived fetches go to be extracted and stored: in this process, or in a worker process.

Scrapy runs on one core. Extraction and database writes are half of the work per page, so by
default they run in a second process (worker.py) fed through a bounded queue (a full queue slows
the crawl down instead of filling memory). The crawler syncs the WARC file before it hands a batch
over, so a row never points at bytes that are not on disk; if the crawler is killed, the worker
still stores the batches it already has and then exits.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
from typing import Protocol

from . import worker
from .tally import STORE_ERROR
from .worker import Job, Outcome, process, update_index

log = logging.getLogger(__name__)


class StoreFailed(RuntimeError):
    """Captures can no longer be stored (the worker stopped); the crawl must stop."""


class Sink(Protocol):
    def submit(self, job: Job) -> None: ...
    def results(self) -> list[Outcome]: ...
    def close(self) -> list[Outcome]: ...


class InlineSink:
    """Extract and store in the calling process (tests, and KUAIZHAO_STORE_PROCESS=0)."""

    def __init__(self) -> None:
        self._done: list[Outcome] = []

    def submit(self, job: Job) -> None:
        self._done.extend(process(job))

    def results(self) -> list[Outcome]:
        done, self._done = self._done, []
        return done

    def close(self) -> list[Outcome]:
        update_index(final=True)
        return self.results()


class WorkerSink:
    """Extract and store in a child process (spawned: a fresh interpreter, no inherited reactor)."""

    def __init__(self, queue_batches: int = 8) -> None:
        ctx = mp.get_context("spawn")
        self._jobs: mp.Queue[Job | None] = ctx.Queue(maxsize=queue_batches)
        self._done: mp.Queue[list[Outcome] | tuple[str, str, list[str | None]]] = ctx.Queue()
        self._proc = ctx.Process(target=worker.main, args=(self._jobs, self._done, os.getpid()),
                                 name="kuaizhao-store", daemon=False)
        self._proc.start()
        self.failed: str | None = None
        self._pending: list[Outcome] = []

    def submit(self, job: Job) -> None:
        while True:
            if not self._proc.is_alive():
                self._pending.extend(self.results())  # picks up the worker's last words, if any
                raise StoreFailed(f"the store worker stopped: {self.failed or 'no error reported; see the crawl log'}")
            try:
                self._jobs.put(job, timeout=1.0)
                return
            except queue.Full:
                continue

    def results(self) -> list[Outcome]:
        out, self._pending = self._pending, []
        while True:
            try:
                item = self._done.get_nowait()
            except queue.Empty:
                return out
            if isinstance(item, tuple):  # ("error", traceback, the failed job's sources)
                self.failed = item[1]
                log.error("store worker: %s", item[1])
                out += [(source, STORE_ERROR) for source in item[2]]
            else:
                out.extend(item)

    def close(self) -> list[Outcome]:
        if self._proc.is_alive():
            self._jobs.put(None)
        out: list[Outcome] = []
        while self._proc.is_alive() or not self._done.empty():
            out.extend(self.results())
            self._proc.join(0.1)
        out.extend(self.results())
        if self.failed:
            self._pending = out  # still counted: the caller reads them with results()
            raise StoreFailed(f"the store worker stopped: {self.failed}")
        return out
