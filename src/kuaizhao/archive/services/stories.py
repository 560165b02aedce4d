"""Stories: every new snapshot joins the story of its page, of its closest copy, or a new one.

What "copy" means (shingles, MinHash bands, the Jaccard threshold, the time window) is the pure
part, in `archive/fingerprints.py`; this module finds candidates in the database and writes the
assignment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db import connection, transaction
from django.db.models import Field

from ..models import Snapshot, Story, StoryBucket
from .changes import log_index_changes

if TYPE_CHECKING:
    from .. import fingerprints


_CANDIDATES = 5  # stored snapshots checked by exact Jaccard per new one: the most buckets shared


def assign_stories(snapshots: Sequence[Snapshot]) -> Callable[[], None]:
    """Give each snapshot its story: its page's, else that of its closest copy (stored, or earlier
    in this batch) if near enough, else a new one. Returns what stores the snapshots' buckets once
    they have ids."""
    # Not at import: it loads numpy and the fold tables, which the crawl process never needs.
    from .. import fingerprints

    fps = [fingerprints.fingerprint(s.text) for s in snapshots]
    _hold_story_lock()
    # Labels: a stored story's id, or -(n + 1) for the n-th story this batch starts.
    page_label = dict(
        Snapshot.objects.filter(page_id__in={s.page_id for s in snapshots}, story__isnull=False)
        .exclude(pk__in=[s.pk for s in snapshots if s.pk]).order_by("-sort_time").values_list("page_id", "story_id")
    )  # newest first, so that the earliest version's story is the one the dict keeps
    stored = _stored_candidates(snapshots, fps)
    known = {pk: (fingerprints.shingles(text), story_id) for pk, text, story_id in Snapshot.objects.filter(
        pk__in={pk for ids in stored for pk in ids}, story__isnull=False).values_list("pk", "text", "story_id")}
    seen: dict[int, list[int]] = defaultdict(list)  # bucket key → indexes earlier in this batch
    labels: list[int] = []
    started = 0
    for i, (snap, fp) in enumerate(zip(snapshots, fps, strict=True)):
        label = page_label.get(snap.page_id)
        if label is None:
            in_batch = Counter(j for key in fp.buckets for j in seen[key]
                               if abs(snapshots[j].sort_time - snap.sort_time) <= fingerprints.WINDOW)
            options = [(fingerprints.jaccard(fp.shingles, known[pk][0]), known[pk][1])
                       for pk in stored[i] if pk in known]
            options += [(fingerprints.jaccard(fp.shingles, fps[j].shingles), labels[j])
                        for j, _ in in_batch.most_common(_CANDIDATES)]
            near = [option for option in options if option[0] >= fingerprints.THRESHOLD]
            label = max(near)[1] if near else None
        if label is None:
            started += 1
            label = -started
        labels.append(label)
        page_label.setdefault(snap.page_id, label)
        for key in fp.buckets:
            seen[key].append(i)
    created = Story.objects.bulk_create([Story() for _ in range(started)])
    for snap, label in zip(snapshots, labels, strict=True):
        snap.story_id = label if label > 0 else created[-label - 1].pk

    def buckets() -> None:
        _insert_buckets([(snap.pk, snap.sort_time, fp.buckets) for snap, fp in zip(snapshots, fps, strict=True)])

    return buckets


# pg_advisory_xact_lock key ("kzst"): one story assignment at a time across store workers.
STORY_LOCK = 0x6B7A7374


def _hold_story_lock() -> None:
    """Wait until no other transaction is assigning stories, and hold that until this one ends.

    Two store workers (one per machine, sharing PostgreSQL) storing copies of one article at the
    same moment would otherwise each miss the other's uncommitted buckets and start two stories.
    The lock is held from here to commit, which serialises only this tail of store transactions.
    SQLite needs nothing: its transactions begin IMMEDIATE (settings), one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STORY_LOCK])


def _insert_buckets(rows: Sequence[tuple[int, datetime, tuple[int, ...]]]) -> None:
    """One executemany INSERT: twenty rows a snapshot made as model instances and bulk_create cost
    1.2 ms a snapshot, more than finding its story."""
    table = connection.ops.quote_name(StoryBucket._meta.db_table)
    # Plain columns of StoryBucket: the casts drop what the stubs allow for other fields (a reverse
    # relation from get_field, a column of None for a relation without one of its own).
    fields = [cast("Field[Any, Any]", StoryBucket._meta.get_field(f)) for f in ("key", "time", "snapshot")]
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    time_field = fields[1]
    prepared: list[tuple[int, Any, int]] = []
    for pk, when, keys in rows:
        db_time = time_field.get_db_prep_save(when, connection)  # once a snapshot: 10 µs a call
        prepared.extend((key, db_time, pk) for key in keys)
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)", prepared)  # noqa: S608 (names quoted)


def _stored_candidates(snapshots: Sequence[Snapshot], fps: Sequence[fingerprints.Fingerprint]) -> list[list[int]]:
    """Per snapshot, the stored snapshots near in time that share the most buckets with it."""
    from .. import fingerprints

    keys = sorted({key for fp in fps for key in fp.buckets})
    if not keys:
        return [[] for _ in snapshots]
    low = min(s.sort_time for s in snapshots) - fingerprints.WINDOW
    high = max(s.sort_time for s in snapshots) + fingerprints.WINDOW
    own = {s.pk for s in snapshots if s.pk}
    found: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for start in range(0, len(keys), 500):  # SQLite's bound on query parameters
        rows = StoryBucket.objects.filter(key__in=keys[start : start + 500], time__range=(low, high))
        for key, when, pk in rows.values_list("key", "time", "snapshot_id"):
            if pk not in own:
                found[key].append((when, pk))
    out = []
    for snap, fp in zip(snapshots, fps, strict=True):
        shared = Counter(pk for key in fp.buckets for when, pk in found.get(key, ())
                         if abs(when - snap.sort_time) <= fingerprints.WINDOW)
        out.append([pk for pk, _ in shared.most_common(_CANDIDATES)])
    return out


def cluster_unassigned(batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Assign a story to every snapshot without one (stored before stories existed), oldest first.

    Each batch is one transaction and tells the search index to look at its snapshots again, so
    search collapses the new clusters without a rebuild. Returns how many were assigned.
    """
    total = Snapshot.objects.filter(story__isnull=True).count()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(Snapshot.objects.filter(story__isnull=True).order_by("sort_time", "pk")
                         .only("pk", "page_id", "text", "sort_time")[:batch_size])
            if not batch:
                break
            store_buckets = assign_stories(batch)
            Snapshot.objects.bulk_update(batch, ["story"], batch_size=1000)
            store_buckets()
            log_index_changes(s.pk for s in batch)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return done

