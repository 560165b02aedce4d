"""Query sets; `SnapshotQuerySet.public()` is the one gate every public read goes through."""

from __future__ import annotations

from django.db import models


class SnapshotQuerySet(models.QuerySet):
    def public(self) -> SnapshotQuerySet:
        """Snapshots a reader may see: not taken down.

        Every public read (pages, lists, feeds, search hits, API, sitemaps) starts here, so that a
        takedown decided once is honoured everywhere. Nothing else filters on takedown state.
        """
        from .models import TakedownState

        return self.filter(takedown=TakedownState.NONE)

    def current(self) -> SnapshotQuerySet:
        """The latest snapshot of each page (older versions stay reachable from the snapshot page)."""
        return self.filter(page__latest_snapshot=models.F("pk"))

    def newest_first(self) -> SnapshotQuerySet:
        return self.order_by("-sort_time", "-pk")
