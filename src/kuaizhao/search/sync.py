"""Keeping the search index in step with the database: the change log, and full rebuilds.

The database is the truth; the index is a view of `Snapshot.objects.public().current()`. Two ways
keep it so:

- `apply_pending()` reads the change log (`IndexChange`) past the live generation's mark and
  re-reads those snapshots: public and current → (re)indexed, otherwise → removed. The crawl calls
  it every `KUAIZHAO_INDEX_COMMIT_SECONDS` and at its end; a takedown calls it at once.
- `reindex()` builds a whole new generation from the database on every core, catches up with the
  changes made meanwhile, and swaps it in atomically (see index.py).
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from ..archive.models import IndexChange, Snapshot
from ..exceptions import KuaizhaoError
from .index import Generation, IndexHome, IndexMissing, IndexOutdated, Writer, WriterBusy, batched, bulk_add
from .schema import IndexDoc

log = logging.getLogger(__name__)

INCREMENTAL_HEAP = 50_000_000  # bytes: a crawl's batches are small
APPLY_CHUNK = 2000  # changes read and applied per commit
PRUNE_AFTER = timedelta(days=1)  # change-log entries older than this and applied are deleted
_FIELDS = ("pk", "title", "text", "sort_time", "captured_at", "category__name", "source_name", "source__name",
           "page__host", "story_id")


def home() -> IndexHome:
    return IndexHome(settings.INDEX_DIR)


def indexable():
    """What search shows: the public, current version of each page."""
    return Snapshot.objects.public().current()


def _docs(queryset) -> Iterator[IndexDoc]:
    for pk, title, text, sort_time, captured, category, credited, site_name, host, story in (
        queryset.order_by().values_list(*_FIELDS).iterator(chunk_size=2000)
    ):
        yield IndexDoc(pk, title, text, sort_time, captured, category or "", credited or site_name or "", host or "",
                       story)


def last_change() -> int:
    return IndexChange.objects.aggregate(m=Max("pk"))["m"] or 0


# --- the change log -------------------------------------------------------------------------------


def apply_pending(wait: float = 0.0) -> int:
    """Apply the change log to the live generation; returns how many entries were applied.

    Creates an empty generation first when there is none, so that a first crawl fills the index
    as it goes. Gives up quietly (returning 0) when another process is writing the index and
    `wait` seconds pass: that process applies the same log.
    """
    index_home = home()
    try:
        generation = index_home.open_current()
    except IndexMissing:
        try:
            generation = _create_empty(index_home)
        except RebuildRunning:
            return 0  # the rebuild catches up with the log before it goes live
    except IndexOutdated as e:
        log.warning("%s", e)
        return 0
    writer = _writer(generation, wait)
    if writer is None:
        return 0
    applied = 0
    with writer:
        while True:
            mark = generation.applied_change  # read under the writer lock: nobody else moves it now
            changes = list(IndexChange.objects.filter(pk__gt=mark).order_by("pk")
                           .values_list("pk", "snapshot_id")[:APPLY_CHUNK])
            if not changes:
                break
            _apply(writer, {snapshot_id for _, snapshot_id in changes})
            writer.commit(applied_change=changes[-1][0])
            applied += len(changes)
    _prune(generation.applied_change)
    return applied


def _apply(writer: Writer, snapshot_ids: set[int]) -> None:
    docs = list(_docs(indexable().filter(pk__in=snapshot_ids)))
    writer.delete(snapshot_ids - {d.id for d in docs})
    if docs:
        writer.add(docs, replace=True)


def _writer(generation: Generation, wait: float) -> Writer | None:
    deadline = time.monotonic() + wait
    while True:
        try:
            return Writer(generation, heap_bytes=INCREMENTAL_HEAP, threads=1)
        except WriterBusy:
            if time.monotonic() >= deadline:
                log.info("search index busy; its writer applies the pending changes")
                return None
            time.sleep(0.1)


def _create_empty(index_home: IndexHome) -> Generation:
    with _rebuild_lock(index_home):
        try:
            return index_home.open_current()  # someone else made one meanwhile
        except IndexMissing:
            generation = index_home.create()
            with Writer(generation, heap_bytes=INCREMENTAL_HEAP, threads=1) as writer:
                writer.commit()
            index_home.publish(generation)
            return generation


def _prune(mark: int) -> None:
    IndexChange.objects.filter(pk__lte=mark, created_at__lt=timezone.now() - PRUNE_AFTER).delete()


_last_apply = 0.0


def catch_up(wait: float = 30.0, only_if_due: bool = False) -> int:
    """`apply_pending()` for writers whose own work must go on whatever the index does: a crawl,
    an import. The index is derived (`kuaizhao reindex` rebuilds it), so a failure is logged, not
    raised. `only_if_due`: at most once per KUAIZHAO_INDEX_COMMIT_SECONDS (a crawl's batched
    commits), without waiting for another writer.
    """
    global _last_apply
    if only_if_due:
        now = time.monotonic()
        if now - _last_apply < settings.INDEX_COMMIT_SECONDS:
            return 0
        _last_apply, wait = now, 0.0
    try:
        return apply_pending(wait=wait)
    except Exception:  # noqa: BLE001 — see the docstring
        log.exception("could not update the search index; `kuaizhao reindex --pending` retries")
        return 0


# --- rebuilding ------------------------------------------------------------------------------------


class RebuildRunning(KuaizhaoError):
    """Another `kuaizhao reindex` is running on this index directory."""


@contextmanager
def _rebuild_lock(index_home: IndexHome) -> Iterator[None]:
    index_home.path.mkdir(parents=True, exist_ok=True)
    with open(index_home.path / "rebuild.lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildRunning(f"another `kuaizhao reindex` is running on {index_home.path}") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


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
    with _rebuild_lock(index_home):
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
            count = bulk_add(writer, batched(_docs(indexable()), 500), threads=threads, progress=step)
            writer.commit(applied_change=mark)
        caught_up = _catch_up(generation)
        index_home.publish(generation)
        removed += index_home.remove_stale()
    _prune(generation.applied_change)
    return RebuildReport(count, time.perf_counter() - started, generation.name, _size(generation.path), removed,
                         caught_up)


def _catch_up(generation: Generation) -> int:
    """Apply what changed while the generation was being built (before it goes live)."""
    applied = 0
    with Writer(generation, heap_bytes=INCREMENTAL_HEAP, threads=1) as writer:
        while True:
            changes = list(IndexChange.objects.filter(pk__gt=generation.applied_change).order_by("pk")
                           .values_list("pk", "snapshot_id")[:APPLY_CHUNK])
            if not changes:
                return applied
            _apply(writer, {snapshot_id for _, snapshot_id in changes})
            writer.commit(applied_change=changes[-1][0])
            applied += len(changes)


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


@dataclass(frozen=True)
class IndexStatus:
    generation: str | None
    documents: int
    indexable: int
    pending: int  # change-log entries not applied yet
    size_bytes: int
    problem: str = ""


def status() -> IndexStatus:
    """What `kuaizhao status` reports about the index."""
    index_home = home()
    try:
        generation = index_home.open_current()
    except (IndexMissing, IndexOutdated) as e:
        return IndexStatus(None, 0, indexable().count(), 0, 0, str(e))
    searcher = generation.index.searcher()
    return IndexStatus(generation.name, searcher.num_docs, indexable().count(),
                       IndexChange.objects.filter(pk__gt=generation.applied_change).count(), _size(generation.path))
