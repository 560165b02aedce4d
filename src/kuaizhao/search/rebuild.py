"""Rebuilding the search index: a whole new generation from the database, swapped in atomically.

`reindex()` builds on every core (up to KUAIZHAO_INDEX_THREADS), catches up with the changes made
meanwhile through the change log (sync.py), and only then makes the new generation live; search
keeps answering from the old one until that moment, and a crash before it leaves it in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from .index import Generation, Writer, batched, bulk_add
from .sync import INCREMENTAL_HEAP, apply_log, documents, home, indexable, last_change, prune, shared_stories, size_of


@dataclass(frozen=True)
class RebuildReport:
    documents: int
    seconds: float
    generation: str
    size_bytes: int
    removed: list[str]
    caught_up: int  # change-log entries applied after the bulk build


def reindex(progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Build a new generation from the database and make it the live one.

    `progress(done, total)` is called as documents are added. Search keeps answering from the old
    generation until the swap; a crash before it leaves the old one live (the half-built
    generation is removed by the next rebuild).
    """
    index_home = home()
    started = time.perf_counter()
    with index_home.rebuild_lock():
        removed = index_home.remove_stale()
        mark = last_change()  # everything logged up to here is in what we read below
        generation = index_home.create()
        total = indexable().count()
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        if progress is not None:
            progress(0, total)
        threads = settings.INDEX_THREADS
        with Writer(generation, heap_bytes=settings.INDEX_HEAP_MB * 1_000_000, threads=threads) as writer:
            count = bulk_add(writer, batched(documents(indexable(), shared_stories()), 500), threads=threads,
                             progress=step)
            writer.commit(applied_change=mark)
        caught_up = _catch_up(generation)
        index_home.publish(generation)
        removed += index_home.remove_stale()
    prune(generation.applied_change)
    return RebuildReport(count, time.perf_counter() - started, generation.name, size_of(generation.path), removed,
                         caught_up)


def _catch_up(generation: Generation) -> int:
    """Apply what changed while the generation was being built (before it goes live)."""
    with Writer(generation, heap_bytes=INCREMENTAL_HEAP, threads=1) as writer:
        return apply_log(writer)
