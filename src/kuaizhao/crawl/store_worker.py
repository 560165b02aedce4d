"""The store worker's entry point. Imports nothing of Django before `django.setup()`: a spawned
child unpickles its target by importing this module first."""

from __future__ import annotations

import os
import queue
import threading
import time
import traceback
from typing import Any


def main(jobs: Any, done: Any, parent: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuaizhao.settings")
    import django

    django.setup()
    from .store import process, update_index

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
            done.put(("error", traceback.format_exc()))
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
