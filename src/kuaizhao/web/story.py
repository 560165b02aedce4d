"""Story lineage: every copy of one story (/story/<id>/), and the line that sums it up elsewhere.

A story is an article and its reprints (archive/services/stories.py). Its page lists each public,
current copy, earliest first: the outlet, the title, the time the page states, when we first
captured it, whom it credits (来源 / 本文转自) and what became of it since (edits, deletion). The
snapshot page and search hits sum it up in one line: 首发 X · 转载 N 家 · 最早 hh:mm.

A copy's time is its page's earliest public version (an edit of a page without a stated time
would otherwise move the copy later); at the same time, a copy that credits another outlet comes
after one that does not, as search ranks a story's first copy. Every read goes through `public()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..archive.models import ChangeKind, PageChange, PageStatus, Snapshot
from ..search.service import credits_elsewhere
from .jinja import page_time

# What a copy's line shows; the summary needs only the outlet and the times.
_SUMMARY_FIELDS = ("sort_time", "published_at", "published_precision", "source_name", "reposted_from",
                   "story", "page", "page__host", "source__name")
_COPY_FIELDS = (*_SUMMARY_FIELDS, "title", "captured_at", "page__url", "page__status", "page__removed_at",
                "page__removal_reason", "source")


@dataclass(frozen=True)
class Copy:
    snapshot: Snapshot  # the page's latest public version
    first_time: datetime  # the earliest time of the page's public versions (sort_time: stated, else captured)
    first_captured: datetime  # when we first captured a public version of the page
    edits: int = 0  # edits seen, each to a version readers may see
    last_edit: datetime | None = None

    @property
    def removed(self) -> bool:
        return self.snapshot.page.status == PageStatus.REMOVED

    @property
    def first_precision(self) -> str:
        """How precise `first_time` is: the page's stated precision when it is the stated time."""
        s = self.snapshot
        return s.published_precision if s.published_at == self.first_time and s.published_precision else "minute"


@dataclass(frozen=True)
class Lineage:
    story_id: int
    copies: list[Copy]  # earliest first; never empty

    @property
    def first(self) -> Copy:
        return self.copies[0]

    @property
    def reprints(self) -> int:
        return len(self.copies) - 1

    @property
    def earliest(self) -> datetime:
        return self.first.first_time

    def earliest_label(self, beside: datetime | None = None) -> str:
        """The earliest time, as short as is clear beside `beside` (the time of the copy being read):
        hh:mm on the same day, the month and day within its year, else the whole date; a stated
        date without a time stays a date."""
        precision = self.first.first_precision
        if precision in ("year", "month", "day"):
            return page_time(self.earliest, precision)
        if beside is None:
            return page_time(self.earliest, "minute")
        at, near = timezone.localtime(self.earliest), timezone.localtime(beside)
        if at.date() == near.date():
            return f"{at:%H:%M}"
        return f"{at:%m-%d %H:%M}" if at.year == near.year else f"{at:%Y-%m-%d %H:%M}"


def lineage(story_id: int, *, full: bool = True) -> Lineage | None:
    """The story's public current copies, earliest first; None when it has none. `full` loads what
    the story page shows (titles, credits, edits); without it, what the summary line needs."""
    rows = list(Snapshot.objects.public().current().filter(story=story_id).select_related("page", "source")
                .only(*(_COPY_FIELDS if full else _SUMMARY_FIELDS)))
    if not rows:
        return None
    pages = [s.page_id for s in rows]
    firsts = {page: (time, captured) for page, time, captured in
              Snapshot.objects.public().filter(page__in=pages).order_by().values_list("page")
              .annotate(Min("sort_time"), Min("captured_at"))}
    edits = _edits(pages) if full else {}
    copies = [Copy(s, *firsts.get(s.page_id, (s.sort_time, s.captured_at)), *edits.get(s.page_id, (0, None)))
              for s in rows]
    copies.sort(key=lambda c: (c.first_time, credits_elsewhere(c.snapshot), c.snapshot.pk))
    return Lineage(story_id, copies)


def _edits(pages: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """How many times each page was seen edited, and when last, counting only the edits that made
    a version readers may see (a taken-down version's edit is not told)."""
    shown = Snapshot.objects.public().filter(pk=OuterRef("after"))
    rows = (PageChange.objects.filter(page__in=pages, kind=ChangeKind.EDITED).filter(Exists(shown))
            .order_by().values_list("page").annotate(Count("pk"), Max("seen_at")))
    return {page: (n, last) for page, n, last in rows}


def summary(snap: Snapshot) -> Lineage | None:
    """The story of a snapshot, for its one-line summary: None unless it has more than one copy."""
    if snap.story_id is None:
        return None
    found = lineage(snap.story_id, full=False)
    return found if found is not None and found.reprints else None


@require_safe
def story(request: HttpRequest, pk: int) -> HttpResponse:
    found = lineage(pk)
    if found is None:
        raise Http404("没有这篇报道，或它的网页都已下架")
    return render(request, "story.html", {"story": found, "first": found.first.snapshot})
