"""Storing captures: a batch of fetches becomes Capture rows, new Snapshots and page states.

Captures are stored a batch at a time in one transaction (a handful of bulk queries per batch),
which is what lets a crawl keep up with hundreds of pages a second on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field

from ..models import Capture, CaptureOutcome, Category, ChangeKind, Page, PageStatus, Snapshot, Source
from ..urlkeys import urlkey
from . import access, versions
from .captured import CapturedPage
from .changes import log_index_changes
from .sources import category_map
from .stories import assign_stories
from .takedowns import apply_noarchive


def store_captures(items: Sequence[CapturedPage]) -> list[CaptureOutcome]:
    """Store a batch of captures; returns the outcome of each, in order."""
    if not items:
        return []
    with transaction.atomic():
        sources = {s.name: s for s in Source.objects.filter(name__in={i.source for i in items if i.source})}
        categories = category_map()
        pages = _pages_for(items, sources)
        latest = versions.latest_versions(pages.values())
        noise = versions.Noise(items, pages, latest)
        seen: list[versions.Seen] = []
        outcomes: list[CaptureOutcome] = []
        captures: list[Capture] = []
        pending: list[tuple[CapturedPage, Page, Capture]] = []  # new content waiting for a snapshot
        new_hashes: dict[int, str] = {}  # page id → content hash decided in this batch
        was = {p.pk: p.status for p in pages.values()}  # a changed state reaches the index (status:)
        for item in items:
            page = pages[item.page_url]
            current, source = latest.get(page.pk), sources.get(item.source or "")
            outcome = versions.outcome(item, current, new_hashes.get(page.pk), noise.only(item, current, source))
            outcomes.append(outcome)
            capture = Capture(
                page=page, url=item.url[:2000], fetched_at=item.fetched_at, http_status=item.http_status,
                headers=[list(h) for h in item.headers], content_type=item.content_type[:200],
                payload_sha256=item.payload_sha256, payload_length=item.payload_length,
                warc_file=item.pointer.file if item.pointer else "",
                warc_offset=item.pointer.offset if item.pointer else None,
                warc_length=item.pointer.length if item.pointer else None,
                outcome=outcome, reason=item.reason[:300],
            )
            captures.append(capture)
            seen += versions.advance(page, item, outcome, latest.get(page.pk), sources)
            if outcome == CaptureOutcome.NEW_SNAPSHOT:
                noise.learn(item, current, source, page)
                assert item.article is not None
                new_hashes[page.pk] = item.article.content_hash
                pending.append((item, page, capture))
        Capture.objects.bulk_create(captures)
        if pending:
            access.lock_rules(shared=True)  # no rule changes between reading the rules and committing
        rules = access.rules_in_force() if pending else []
        snapshots = [_snapshot(item, page, capture, sources, categories) for item, page, capture in pending]
        access.stamp_new(((s, page.urlkey) for s, (_, page, _) in zip(snapshots, pending, strict=True)), rules)
        store_buckets = assign_stories(snapshots)
        Snapshot.objects.bulk_create(snapshots)
        store_buckets()
        changed = []
        edits = {s.page.pk: s for s in seen if s.kind == ChangeKind.EDITED}
        for (_, page, _), snapshot in zip(pending, snapshots, strict=True):
            if page.latest_snapshot_id:
                changed.append(page.latest_snapshot_id)  # superseded: no longer the current version
            if page.pk in edits:
                edits[page.pk].after = snapshot.pk
            page.latest_snapshot = snapshot
            changed.append(snapshot.pk)
        _update_pages({p.pk: p for p in pages.values()}.values())
        changed += [p.latest_snapshot_id for p in pages.values()
                    if p.latest_snapshot_id and p.status != was[p.pk] and p.latest_snapshot_id not in changed]
        versions.record(seen, {snapshot.pk: snapshot for snapshot in snapshots})
        noise.save()
        changed += apply_noarchive(seen)
        log_index_changes(changed)
    return outcomes



_PAGE_STATE = ("status", "last_fetched", "last_seen", "latest_snapshot", "source", "next_check", "removed_at",
               "removal_reason", "suspect_since", "footprint")


def _update_pages(pages: Iterable[Page]) -> None:
    """One executemany UPDATE: Django's bulk_update builds a CASE per field per row, several times
    slower for the batch sizes a crawl writes."""
    # Plain columns of Page: the casts drop what the stubs allow for other fields (a reverse
    # relation from get_field, a column of None for a relation without one of its own).
    fields = [cast("Field[Any, Any]", Page._meta.get_field(name)) for name in _PAGE_STATE]
    sets = ", ".join(f"{connection.ops.quote_name(cast(str, f.column))} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(Page._meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608 (names quoted)
    rows = [[f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk] for p in pages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)



def record_unreachable(page_url: str, when: datetime, source: str | None) -> None:
    """A fetch that got no HTTP answer (timeout, refused, DNS): the page is unreachable for now,
    and is tried again on its schedule."""
    with transaction.atomic():
        sources = {s.name: s for s in Source.objects.filter(name=source)}
        page = _pages_for([_Stub(page_url, when, source)], sources)[page_url]
        if page.status != PageStatus.REMOVED:
            page.status = PageStatus.UNREACHABLE
        page.last_fetched = when
        page.next_check = versions.schedule_of(page.source or sources.get(source or "")).next_check(
            page.first_seen, when)
        page.save(update_fields=["status", "last_fetched", "next_check"])


@dataclass(frozen=True)
class _Stub:
    page_url: str
    fetched_at: datetime
    source: str | None


def _pages_for(items: Sequence[CapturedPage | _Stub], sources: dict[str, Source]) -> dict[str, Page]:
    urls = {i.page_url for i in items}
    pages = {p.url: p for p in Page.objects.filter(url__in=urls)}
    missing: list[Page] = []
    for item in items:
        if item.page_url not in pages and item.page_url not in {m.url for m in missing}:
            host = item.page_url.split("/")[2] if item.page_url.count("/") >= 2 else ""
            missing.append(Page(url=item.page_url, urlkey=urlkey(item.page_url), host=host,
                                source=sources.get(item.source or ""),
                                first_seen=item.fetched_at, last_fetched=item.fetched_at))
    if missing:
        # ignore_conflicts: another crawler may insert the same URL at the same moment.
        Page.objects.bulk_create(missing, ignore_conflicts=True)
        pages.update({p.url: p for p in Page.objects.filter(url__in=[m.url for m in missing])})
    return pages


def _snapshot(item: CapturedPage, page: Page, capture: Capture, sources: dict[str, Source],
              categories: dict[str, Category]) -> Snapshot:
    article = item.article
    assert article is not None
    source = sources.get(item.source or "")
    category = categories.get(item.category or "") or categories.get(article.category or "")
    if category is None and source is not None:
        category = source.default_category
    published = article.published
    return Snapshot(
        page=page, capture=capture, source=source, category=category,
        title=article.title[:500], text=article.text, html=article.html,
        published_at=published.value if published else None,
        published_precision=published.precision.value if published else "",
        published_provenance=published.provenance.value if published else "",
        published_raw=published.raw[:100] if published else "",
        declared_published_at=article.declared.value if article.declared else None,
        updated_at=article.updated.value if article.updated else None,
        updated_provenance=article.updated.provenance.value if article.updated else "",
        source_name=(article.source or "")[:200],
        reposted_from=" ← ".join(article.reposted_from)[:500],
        original_title=(article.original_title or "")[:500],
        authors=list(article.authors), editor=(article.editor or "")[:100],
        charset=article.charset[:32], content_hash=article.content_hash,
        captured_at=item.fetched_at,
        sort_time=published.value if published else item.fetched_at,
    )
