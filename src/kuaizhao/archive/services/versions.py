"""Versions: how each fetch moves a page's state, its recheck clock and its history.

A fetch of a known page is one of: the same content (or a 304 to our conditional request), a new
version (an edit), the article gone (404 / 410 / 451, a redirect to the home or a section page, a
page saying 该内容已被删除, a login wall, an empty page), a publisher's noarchive, or a 200 page
read as far less text than before. That last one is more often our extraction failing than the
article shrinking, so it is fetched again before anything is believed (`suspect_since`), and if it
persists it is recorded as an extraction problem, never as an edit.

Every change seen is a PageChange row (edited, removed, restored, withdrawn, extraction), written
in the batch's transaction by `captures.store_captures`, so the 已删除 / 已修改 lists, the feed of
changes and the version list read one table. The next recheck is set from the source's schedule
(schedule.py) by the article's age.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models.functions import Length

from ...schedule import Schedule
from .. import volatile
from ..compare import compare
from ..comparisons import as_version
from ..models import CaptureOutcome, ChangeKind, Page, PageChange, PageStatus, RemovalReason, Snapshot, Source
from .captured import CapturedPage

SHRINK = 0.5  # a new reading with under half the previous text is suspect
RETRY_SUSPECT = timedelta(minutes=10)  # how soon a suspect reading is fetched again
_HTTP_GONE = {404: RemovalReason.HTTP_404, 410: RemovalReason.HTTP_410, 451: RemovalReason.HTTP_451}
_GONE = {r.value: r for r in RemovalReason}
_LIVE = (CaptureOutcome.NEW_SNAPSHOT, CaptureOutcome.UNCHANGED, CaptureOutcome.NOT_MODIFIED,
         CaptureOutcome.SAME_ARTICLE)


@dataclass(frozen=True)
class Latest:
    """What the page's current version is, for deciding what a new fetch means."""

    snapshot_id: int
    content_hash: str
    length: int  # characters of text
    published: datetime | None


@dataclass
class Seen:
    """A change found by one fetch, recorded once its snapshots exist."""

    page: Page
    kind: ChangeKind
    at: datetime
    reason: str = ""
    before: int | None = None  # snapshot ids
    after: int | None = None
    significance: float | None = None  # share of characters changed (edits)
    parts: tuple[str, ...] = ()  # headline / lead / body / byline / correction (edits)


def latest_versions(pages: Iterable[Page]) -> dict[int, Latest]:
    """Page id → its current version, in one query."""
    by_snapshot = {p.latest_snapshot_id: p.pk for p in pages if p.latest_snapshot_id}
    rows = (Snapshot.objects.filter(pk__in=list(by_snapshot))
            .values_list("pk", "content_hash", Length("text"), "published_at"))
    return {by_snapshot[pk]: Latest(pk, digest, length, published) for pk, digest, length, published in rows}


def footprints(page_urls: Iterable[str]) -> dict[str, str]:
    """Page URL → the footprint of its current article, for the pages that hold one (one query)."""
    return dict(Page.objects.filter(url__in=list(page_urls), latest_snapshot__isnull=False)
                .exclude(footprint="").exclude(status=PageStatus.EXCLUDED).values_list("url", "footprint"))


class Noise:
    """A batch's view of the volatile lines learned per source (archive/volatile.py): whether a
    new reading differs from the current version only by them, and what an edit teaches."""

    def __init__(self, items: Sequence[CapturedPage], pages: dict[str, Page], latest: dict[int, Latest]) -> None:
        differing = [latest[p.pk].snapshot_id for i in items if i.article is not None
                     and (p := pages[i.page_url]).pk in latest and latest[p.pk].content_hash != i.article.content_hash]
        self.old = {pk: (title, text) for pk, title, text in
                    Snapshot.objects.filter(pk__in=differing).values_list("pk", "title", "text")} if differing else {}
        self.dirty: dict[int, Source] = {}

    def only(self, item: CapturedPage, latest: Latest | None, source: Source | None) -> bool:
        old = self.old.get(latest.snapshot_id) if latest else None
        if old is None or item.article is None or source is None:
            return False
        return volatile.same_but_noise(*old, item.article.title, item.article.text, volatile.learned(source.volatile))

    def learn(self, item: CapturedPage, latest: Latest | None, source: Source | None, page: Page) -> None:
        old = self.old.get(latest.snapshot_id) if latest else None
        if old is None or item.article is None or source is None:
            return
        shapes = volatile.noise_shapes(*old, item.article.title, item.article.text)
        if shapes and volatile.observe(source.volatile, shapes, page.pk):
            self.dirty[source.pk] = source

    def save(self) -> None:
        if self.dirty:
            Source.objects.bulk_update(list(self.dirty.values()), ["volatile"])


def outcome(item: CapturedPage, latest: Latest | None, decided: str | None, noise: bool = False) -> CaptureOutcome:
    """What one fetch of a page is. `decided`: the content hash an earlier fetch in the batch set;
    `noise`: the reading differs from the current version only by the source's learned noise."""
    if item.skipped is not None:
        return item.skipped
    if item.http_status == 304:
        return CaptureOutcome.NOT_MODIFIED
    if item.http_status >= 400:
        return CaptureOutcome.HTTP_ERROR
    if item.same_article and latest is not None:
        return CaptureOutcome.SAME_ARTICLE
    if item.article is None:
        return CaptureOutcome.NOT_ARTICLE
    current = decided or (latest.content_hash if latest else None)
    if current == item.article.content_hash or (noise and decided is None):
        return CaptureOutcome.UNCHANGED
    if decided is None and latest is not None and len(item.article.text) < SHRINK * latest.length:
        return CaptureOutcome.SUSPECT
    return CaptureOutcome.NEW_SNAPSHOT


def advance(page: Page, item: CapturedPage, result: CaptureOutcome, latest: Latest | None,
            sources: dict[str, Source]) -> list[Seen]:
    """Move a page's status, clocks and recheck time forward for one fetch; returns what changed."""
    page.last_fetched = max(page.last_fetched, item.fetched_at)
    if page.source_id is None and item.source in sources:
        page.source = sources[item.source]
    had_article = page.latest_snapshot_id is not None
    was_removed = page.status == PageStatus.REMOVED
    seen: list[Seen] = []
    at = item.fetched_at
    if result == CaptureOutcome.NOARCHIVE:
        if had_article and page.status != PageStatus.EXCLUDED:
            seen.append(Seen(page, ChangeKind.WITHDRAWN, at))
        page.status = PageStatus.EXCLUDED
    elif result in _LIVE:
        if result == CaptureOutcome.NEW_SNAPSHOT and had_article:
            seen.append(Seen(page, ChangeKind.EDITED, at, before=page.latest_snapshot_id))
        if was_removed or page.status == PageStatus.EXCLUDED:
            seen.insert(0, Seen(page, ChangeKind.RESTORED, at))
        edited = result == CaptureOutcome.NEW_SNAPSHOT and had_article
        if edited or page.status == PageStatus.EDITED or (
                page.status not in (PageStatus.LIVE, PageStatus.EDITED)
                and Snapshot.objects.filter(page=page).count() > 1):
            page.status = PageStatus.EDITED
        else:
            page.status = PageStatus.LIVE
        page.last_seen, page.suspect_since = at, None
        if item.article is not None:
            page.footprint = item.article.footprint or ""
        page.removed_at, page.removal_reason = None, ""
    elif result == CaptureOutcome.HTTP_ERROR:
        if (reason := _HTTP_GONE.get(item.http_status)) is not None:
            seen += _removed(page, at, reason)
        elif not was_removed:
            page.status = PageStatus.UNREACHABLE
    elif result in (CaptureOutcome.NOT_ARTICLE, CaptureOutcome.SUSPECT) and had_article:
        if result == CaptureOutcome.NOT_ARTICLE and (gone := _GONE.get(item.gone)) is not None:
            seen += _removed(page, at, gone)
        elif page.suspect_since is None:
            page.suspect_since = at  # fetched again soon before anything is believed
        else:
            seen.append(Seen(page, ChangeKind.EXTRACTION, at))
            page.suspect_since = None
    page.next_check = _next_check(page, item, latest, sources)
    return seen


def _removed(page: Page, at: datetime, reason: RemovalReason) -> list[Seen]:
    first = page.status != PageStatus.REMOVED
    page.status, page.suspect_since = PageStatus.REMOVED, None
    if first:
        page.removed_at, page.removal_reason = at, reason.value
        return [Seen(page, ChangeKind.REMOVED, at, reason=reason.value, before=page.latest_snapshot_id)]
    return []


def _next_check(page: Page, item: CapturedPage, latest: Latest | None, sources: dict[str, Source]) -> datetime | None:
    if page.status == PageStatus.EXCLUDED or (page.latest_snapshot_id is None and item.article is None
                                              and item.http_status < 500):
        return None  # noarchive, or a page that never held an article: left alone until rediscovered
    if page.suspect_since is not None:
        return item.fetched_at + RETRY_SUSPECT
    published = item.article.published.value if item.article and item.article.published else None
    born = min(t for t in (page.first_seen, published or page.first_seen, latest.published if latest else None) if t)
    return schedule_of(_source_of(page, sources) or sources.get(item.source or "")).next_check(born, item.fetched_at)


def _source_of(page: Page, sources: dict[str, Source]) -> Source | None:
    """The page's source from the batch's sources when it is among them: `page.source` would be a
    query per page (half of a recheck's store time)."""
    if page.source_id is None:
        return None
    return next((s for s in sources.values() if s.pk == page.source_id), None) or page.source


def schedule_of(source: Source | None) -> Schedule:
    """The source's recheck schedule (sources.toml `recheck`), else the configured default."""
    spec = (source.config or {}).get("recheck") if source is not None else None
    return _parse(spec or settings.RECHECK)


_parse = lru_cache(maxsize=64)(Schedule.parse)  # parsed once per spec, not per page


def record(seen: Sequence[Seen], new: dict[int, Snapshot]) -> list[PageChange]:
    """Write the changes found in a batch (their snapshots exist by now); an edit is measured
    against the version it replaced (compare.py: which parts changed, how much)."""
    edits = [s for s in seen if s.kind == ChangeKind.EDITED and s.before and s.after in new]
    old = Snapshot.objects.in_bulk([s.before for s in edits])
    for s in edits:
        if (before := old.get(s.before or 0)) is not None:
            found = compare(as_version(before), as_version(new[s.after or 0]), normalise=True)
            s.significance, s.parts = round(found.significance, 4), tuple(p.value for p in found.kinds)
    return PageChange.objects.bulk_create([
        PageChange(page=s.page, kind=s.kind, seen_at=s.at, reason=s.reason, before_id=s.before, after_id=s.after,
                   significance=s.significance, parts=list(s.parts))
        for s in seen
    ])
