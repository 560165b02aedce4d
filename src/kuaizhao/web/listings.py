"""Listings (home, category, source, feeds, 更多关于…): each story once, newest first, with its reprints.

A story (an article and its reprints, archive/services/stories.py) appears once in a list, by its
newest copy, as it does in search sorted by time; "N 家转载" says how many other sites carry it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ..archive.models import Snapshot

# What a listing row shows (_item.html): the title, the lead, the site, the 来源, the time and how
# many reprinted it. Loading only these halves a category page's query: no sanitised HTML, and none
# of the JSON columns (authors, the source's config) decoded for every row.
LISTED = ("title", "text", "sort_time", "source_name", "source__name", "story")


def stories(**within: object) -> QuerySet[Snapshot]:
    """Public, current snapshots within a category or a source (or all), each story once, newest first."""
    return Snapshot.objects.public().current().filter(**within).one_per_story(**within).newest_first()


def rows(**within: object) -> QuerySet[Snapshot]:
    """`stories()` loading only what a listing row shows."""
    return stories(**within).select_related("source").only(*LISTED)


def with_reprints(snapshots: list[Snapshot]) -> list[Snapshot]:
    """Give each snapshot `reprints`: its story's other current, public copies ("N 家转载")."""
    sizes = Snapshot.objects.public().current().story_sizes(s.story_id for s in snapshots)
    for s in snapshots:
        s.reprints = sizes.get(s.story_id, 1) - 1 if s.story_id else 0  # type: ignore[attr-defined]  # not a field
    return snapshots
