"""The search index's change log, written in the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import IndexChange


def log_index_changes(snapshot_ids: Iterable[int]) -> None:
    """Tell the search index to look at these snapshots again (in the caller's transaction)."""
    IndexChange.objects.bulk_create([IndexChange(snapshot_id=i) for i in dict.fromkeys(snapshot_ids)])

