"""Listings (home, category, source, feeds, 更多关于…): each story once, newest first, with its reprints.

A story (an article and its reprints, archive/services/stories.py) appears once in a list, by its
newest copy, as it does in search sorted by time; "N 家转载" says how many other sites carry it.

Read newest first, a story's first row is its newest copy, so the listing keeps each story's first
row as it reads. (Asking the database for "no newer copy exists" instead, a NOT EXISTS per row,
runs in 0.1 ms but made Django compile a query three times the size on every request: a category
page took 6–12 ms instead of 4.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import overload

from django.db.models import Count, Q, QuerySet

from ..archive.models import Snapshot

# What a listing row shows (_item.html): the title, the lead, the site, the 来源, the time and how
# many reprinted it. Loading only these halves a category page's query: no sanitised HTML, and none
# of the JSON columns (authors, the source's config) decoded for every row.
LISTED = ("title", "text", "sort_time", "source_name", "source__name", "story")


def candidates(**within: object) -> QuerySet[Snapshot]:
    """Public, current snapshots within a category or a source (or all), newest first, copies and all."""
    return Snapshot.objects.public().current().filter(**within).newest_first()


class Stories:
    """Each story of a newest-first query once, by its first (newest) row: `first(n)`, or sliced
    and counted by a Paginator."""

    ordered = True  # for Paginator: the order is the query's

    def __init__(self, rows: QuerySet[Snapshot]) -> None:
        self.rows = rows

    def first(self, n: int) -> list[Snapshot]:
        out: list[Snapshot] = []
        seen: set[int] = set()
        start, size = 0, n + n // 4 + 2  # a few more rows than stories: copies are a minority
        while len(out) < n:
            chunk = list(self.rows[start : start + size])
            for snap in chunk:
                if snap.story_id is None or snap.story_id not in seen:
                    if snap.story_id is not None:
                        seen.add(snap.story_id)
                    out.append(snap)
                    if len(out) == n:
                        break
            if len(chunk) < size:
                break
            start, size = start + size, size * 4
        return out

    def __iter__(self) -> Iterator[Snapshot]:
        """Every story (all of them: a listing reads `first(n)` or a slice instead)."""
        seen: set[int] = set()
        for snap in self.rows.iterator(chunk_size=2000):
            if snap.story_id is None or snap.story_id not in seen:
                if snap.story_id is not None:
                    seen.add(snap.story_id)
                yield snap

    def _heads(self) -> Iterator[int]:
        """Ids of each story's first row, in order (only ids and story ids are read)."""
        seen: set[int] = set()
        for pk, story in self.rows.values_list("pk", "story_id").iterator(chunk_size=2000):
            if story is None or story not in seen:
                if story is not None:
                    seen.add(story)
                yield pk

    @overload
    def __getitem__(self, index: int) -> Snapshot: ...
    @overload
    def __getitem__(self, index: slice) -> list[Snapshot]: ...
    def __getitem__(self, index: int | slice) -> Snapshot | list[Snapshot]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            raise ValueError("a listing is read a page at a time: give the slice an end")
        if start == 0:
            return self.first(stop)
        ids = []
        for n, pk in enumerate(self._heads()):
            if n >= stop:
                break
            if n >= start:
                ids.append(pk)
        found = {s.pk: s for s in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def count(self) -> int:
        """How many stories (a snapshot without a story counts as one)."""
        totals = self.rows.order_by().aggregate(
            n=Count("story", distinct=True) + Count("pk", filter=Q(story__isnull=True)))
        return int(totals["n"] or 0)

    def __len__(self) -> int:
        return self.count()


def rows(**within: object) -> Stories:
    """The stories within a category or a source (or all), loading only what a listing row shows."""
    return Stories(candidates(**within).select_related("source").only(*LISTED))


def with_reprints(snapshots: list[Snapshot]) -> list[Snapshot]:
    """Give each snapshot `reprints`: its story's other current, public copies ("N 家转载")."""
    sizes = Snapshot.objects.current_story_sizes(s.story_id for s in snapshots)
    for s in snapshots:
        s.reprints = sizes.get(s.story_id, 1) - 1 if s.story_id else 0  # type: ignore[attr-defined]  # not a field
    return snapshots
