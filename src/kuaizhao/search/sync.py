"""Keeping the search index in step with the database: the change log.

The database is the truth; the index is a view of `Snapshot.objects.public().current()`.
`apply_pending()` reads the change log (`IndexChange`) past the live generation's mark and re-reads
those snapshots: public and current → (re)indexed, otherwise → removed. A crawl calls it through
`catch_up()` every `KUAIZHAO_INDEX_COMMIT_SECONDS` and at its end, an import at its end, a takedown
at once. Whole rebuilds are rebuild.py's.

Each document also says whether its story may have other documents in the index (`copied`, which
lets the engine count stories cheaply). A story that gains its second document is the one change
that touches a document nobody logged: its first copy, indexed as alone, is indexed again here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from ..archive.models import IndexChange, Snapshot
from .index import Generation, IndexHome, IndexMissing, IndexOutdated, RebuildRunning, Writer, WriterBusy
from .schema import IndexDoc

log = logging.getLogger(__name__)

INCREMENTAL_HEAP = 50_000_000  # bytes: a crawl's batches are small
APPLY_CHUNK = 2000  # changes read and applied per commit
PRUNE_AFTER = timedelta(days=1)  # change-log entries older than this and applied are deleted
_FIELDS = ("pk", "title", "text", "sort_time", "captured_at", "category__name", "source_name", "source__name",
           "page__host", "story_id", "page__status")


def home() -> IndexHome:
    return IndexHome(settings.INDEX_DIR)


def indexable() -> QuerySet[Snapshot]:
    """What search shows: the public, current version of each page."""
    return Snapshot.objects.public().current()


def shared_stories(story_ids: Collection[int] | None = None) -> set[int]:
    """The stories (of these, or all) with more than one indexable snapshot."""
    rows = indexable().filter(story__isnull=False)
    if story_ids is not None:
        rows = rows.filter(story_id__in=list(story_ids))
    return set(rows.order_by().values("story_id").annotate(n=Count("pk")).filter(n__gt=1)
               .values_list("story_id", flat=True))


def documents(queryset: QuerySet[Snapshot], shared: Collection[int]) -> Iterator[IndexDoc]:
    """The index documents of these snapshots; `shared`: stories with more than one of them indexed."""
    for pk, title, text, sort_time, captured, category, credited, site_name, host, story, status in (
        queryset.order_by().values_list(*_FIELDS).iterator(chunk_size=2000)
    ):
        yield IndexDoc(pk, title, text, sort_time, captured, category or "", credited or site_name or "", host or "",
                       story, status or "", copied=story is None or story in shared)


def last_change() -> int:
    return IndexChange.objects.aggregate(m=Max("pk"))["m"] or 0


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
    with writer:
        applied = apply_log(writer)
    prune(generation.applied_change)
    return applied


def apply_log(writer: Writer) -> int:
    """Apply the log past the writer's generation's mark, a chunk per commit; returns how many."""
    generation = writer.generation
    applied = 0
    while True:
        mark = generation.applied_change  # read under the writer lock: nobody else moves it now
        changes = list(IndexChange.objects.filter(pk__gt=mark).order_by("pk")
                       .values_list("pk", "snapshot_id")[:APPLY_CHUNK])
        if not changes:
            return applied
        _apply(writer, {snapshot_id for _, snapshot_id in changes})
        writer.commit(applied_change=changes[-1][0])
        applied += len(changes)


def _apply(writer: Writer, snapshot_ids: set[int]) -> None:
    stories = set(Snapshot.objects.filter(pk__in=snapshot_ids, story__isnull=False)
                  .values_list("story_id", flat=True))
    shared = shared_stories(stories)
    docs = list(documents(indexable().filter(pk__in=snapshot_ids), shared))
    # A story whose one other copy is older than this change may have had that copy indexed while
    # it was alone (copied = 0): index it again, or the story would be counted twice. Where two or
    # more others are indexed, each was marked copied when the second of them arrived.
    others = indexable().filter(story_id__in=shared).exclude(pk__in=snapshot_ids)
    grown = list(others.order_by().values("story_id").annotate(n=Count("pk")).filter(n=1)
                 .values_list("story_id", flat=True))
    if grown:
        docs += documents(others.filter(story_id__in=grown), shared)
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
    with index_home.rebuild_lock():
        try:
            return index_home.open_current()  # someone else made one meanwhile
        except IndexMissing:
            generation = index_home.create()
            with Writer(generation, heap_bytes=INCREMENTAL_HEAP, threads=1) as writer:
                writer.commit()
            index_home.publish(generation)
            return generation


def prune(mark: int) -> None:
    """Forget change-log entries every index copy has had a day to apply."""
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
    except Exception:  # see the docstring
        log.exception("could not update the search index; `kuaizhao reindex --pending` retries")
        return 0


def size_of(path: Path) -> int:
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
                       IndexChange.objects.filter(pk__gt=generation.applied_change).count(), size_of(generation.path))
