"""Takedowns: hiding snapshots from every public read, and showing them again.

The hiding itself is `Snapshot.objects.public()` (querysets.py), which every public read starts
from, so a snapshot taken down here is out of every page, feed and API answer at once. The search
index hears of it through the change log written in the same transaction; the caller (the admin
action, `kuaizhao takedown`) then applies the log so that search totals and facets follow at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from ..models import ChangeKind, Snapshot, TakedownState
from .changes import log_index_changes
from .versions import Seen


def take_down(snapshot_ids: Iterable[int]) -> list[int]:
    """Hide these snapshots from every public read; returns the ids that were public until now."""
    return _set(snapshot_ids, TakedownState.TAKEN_DOWN)


def restore(snapshot_ids: Iterable[int]) -> list[int]:
    """Show taken-down snapshots again; returns the ids that were hidden until now."""
    return _set(snapshot_ids, TakedownState.NONE)


def _set(snapshot_ids: Iterable[int], state: TakedownState) -> list[int]:
    with transaction.atomic():
        ids = list(Snapshot.objects.filter(pk__in=list(snapshot_ids)).exclude(takedown=state)
                   .order_by("pk").values_list("pk", flat=True))
        Snapshot.objects.filter(pk__in=ids).update(takedown=state)
        log_index_changes(ids)
    return ids


# A publisher's noarchive, said after we captured the page: its snapshots leave public view,
# recorded (a PageChange) and reversible — withdrawn through the gate, not deleted, and back if a
# later fetch no longer says noarchive. An operator's takedown is another state, never undone here.
def apply_noarchive(seen: Sequence[Seen]) -> list[int]:
    """Withdraw or bring back the snapshots of pages whose noarchive changed; returns their ids."""
    withdraw = [s.page.pk for s in seen if s.kind == ChangeKind.WITHDRAWN]
    back = [s.page.pk for s in seen if s.kind == ChangeKind.RESTORED]
    changed: list[int] = []
    for pages, old, new in ((withdraw, TakedownState.NONE, TakedownState.WITHDRAWN),
                            (back, TakedownState.WITHDRAWN, TakedownState.NONE)):
        if pages:
            ids = list(Snapshot.objects.filter(page__in=pages, takedown=old).values_list("pk", flat=True))
            Snapshot.objects.filter(pk__in=ids).update(takedown=new)
            changed += ids
    return changed
