"""The one writer of archive state: sources, pages, captures and snapshots.

Views, the CLI and the crawler call these functions; nothing else creates or changes those rows.
Captures are stored a batch at a time in one transaction (a handful of bulk queries per batch),
which is what lets a crawl keep up with hundreds of pages a second on SQLite.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction

from ..extract.article import Article
from ..sources import Source as SourceConfig
from .models import (
    Capture,
    CaptureOutcome,
    Category,
    IndexChange,
    Page,
    PageStatus,
    Snapshot,
    Source,
    Story,
    StoryBucket,
    TakedownState,
)
from .urlkeys import urlkey
from .warc import WarcPointer

if TYPE_CHECKING:
    from . import stories


@dataclass(frozen=True)
class CapturedPage:
    """One fetched article URL, archived (or deliberately not) and extracted, ready to store."""

    page_url: str  # canonical URL: the Page it belongs to
    url: str  # as fetched
    fetched_at: datetime
    http_status: int
    headers: list[tuple[str, str]]
    content_type: str
    payload_sha256: str
    payload_length: int
    pointer: WarcPointer | None  # None when the body was not kept
    article: Article | None
    skipped: CaptureOutcome | None = None  # NOARCHIVE / NOT_HTML: not kept, not extracted
    reason: str = ""
    source: str | None = None  # source name from sources.toml
    category: str | None = None  # the listing's category, which wins over the extracted one


def sync_sources(configs: Iterable[SourceConfig]) -> dict[str, Source]:
    """Create or update a Source row per configured source (config kept for display)."""
    categories = category_map()
    rows = {}
    for config in configs:
        row, _ = Source.objects.update_or_create(
            name=config.name,
            defaults={
                "homepage": config.homepage,
                "default_category": categories.get(config.category) if config.category else None,
                "config": config.model_dump(mode="json"),
            },
        )
        rows[config.name] = row
    return rows


def start_crawl(names: Iterable[str], when: datetime) -> set[str]:
    """Record that a crawl of these sources starts; returns those whose previous crawl never
    finished, whose listings must therefore be followed to full depth again."""
    rows = list(Source.objects.filter(name__in=list(names)))
    interrupted = {s.name for s in rows if s.last_crawl_interrupted}
    Source.objects.filter(pk__in=[s.pk for s in rows]).update(crawl_started_at=when)
    return interrupted


def finish_crawl(names: Iterable[str], when: datetime) -> None:
    """Record that a crawl of these sources ran to its end."""
    Source.objects.filter(name__in=list(names)).update(crawl_completed_at=when)


def category_map() -> dict[str, Category]:
    return {c.name: c for c in Category.objects.all()}


def known_pages() -> dict[str, datetime]:
    """Canonical URL → last fetch time of every page, for deciding what a crawl may skip."""
    return dict(Page.objects.values_list("url", "last_fetched").iterator(chunk_size=5000))


def pages_to_recheck(source_names: Iterable[str], first_seen_after: datetime) -> list[tuple[str, str, datetime]]:
    """(url, source, last fetch) of the pages a crawl of these sources should look at again even
    if no feed or listing links to them any more: that is how removals and edits are noticed.
    Pages excluded by noarchive are left alone until rediscovered."""
    return list(
        Page.objects.filter(source__name__in=list(source_names), first_seen__gte=first_seen_after)
        .exclude(status=PageStatus.EXCLUDED)
        .values_list("url", "source__name", "last_fetched")
        .iterator(chunk_size=5000)
    )


def store_captures(items: Sequence[CapturedPage]) -> list[CaptureOutcome]:
    """Store a batch of captures; returns the outcome of each, in order."""
    if not items:
        return []
    with transaction.atomic():
        sources = {s.name: s for s in Source.objects.filter(name__in={i.source for i in items if i.source})}
        categories = category_map()
        pages = _pages_for(items, sources)
        latest_hash = dict(
            Snapshot.objects.filter(pk__in=[p.latest_snapshot_id for p in pages.values() if p.latest_snapshot_id])
            .values_list("pk", "content_hash")
        )
        outcomes: list[CaptureOutcome] = []
        captures: list[Capture] = []
        pending: list[tuple[CapturedPage, Page, Capture]] = []  # new content waiting for a snapshot
        new_hashes: dict[int, str] = {}  # page id → content hash decided in this batch
        for item in items:
            page = pages[item.page_url]
            outcome = _outcome(item, page, latest_hash, new_hashes)
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
            _advance_page(page, item, outcome, sources)
            if outcome == CaptureOutcome.NEW_SNAPSHOT:
                assert item.article is not None
                new_hashes[page.pk] = item.article.content_hash
                pending.append((item, page, capture))
        Capture.objects.bulk_create(captures)
        snapshots = [_snapshot(item, page, capture, sources, categories) for item, page, capture in pending]
        store_buckets = _assign_stories(snapshots)
        Snapshot.objects.bulk_create(snapshots)
        store_buckets()
        changed = []
        for (_, page, _), snapshot in zip(pending, snapshots, strict=True):
            if page.latest_snapshot_id:
                changed.append(page.latest_snapshot_id)  # superseded: no longer the current version
            page.latest_snapshot = snapshot
            changed.append(snapshot.pk)
        _update_pages({p.pk: p for p in pages.values()}.values())
        log_index_changes(changed)
    return outcomes


# --- stories (reprint clusters) -------------------------------------------------------------------

_CANDIDATES = 5  # stored snapshots checked by exact Jaccard per new one: the most buckets shared


def _assign_stories(snapshots: Sequence[Snapshot]) -> Callable[[], None]:
    """Give each snapshot its story: its page's, else that of its closest copy (stored, or earlier
    in this batch) if near enough, else a new one. Returns what stores the snapshots' buckets once
    they have ids."""
    from . import stories  # not at import: it loads numpy and rjieba, 50 MB the crawl process never needs

    fps = [stories.fingerprint(s.text) for s in snapshots]
    _hold_story_lock()
    # Labels: a stored story's id, or -(n + 1) for the n-th story this batch starts.
    page_label = dict(
        Snapshot.objects.filter(page_id__in={s.page_id for s in snapshots}, story__isnull=False)
        .exclude(pk__in=[s.pk for s in snapshots if s.pk]).order_by("-sort_time").values_list("page_id", "story_id")
    )  # newest first, so that the earliest version's story is the one the dict keeps
    stored = _stored_candidates(snapshots, fps)
    known = {pk: (stories.shingles(text), story_id) for pk, text, story_id in Snapshot.objects.filter(
        pk__in={pk for ids in stored for pk in ids}, story__isnull=False).values_list("pk", "text", "story_id")}
    seen: dict[int, list[int]] = defaultdict(list)  # bucket key → indexes earlier in this batch
    labels: list[int] = []
    started = 0
    for i, (snap, fp) in enumerate(zip(snapshots, fps, strict=True)):
        label = page_label.get(snap.page_id)
        if label is None:
            in_batch = Counter(j for key in fp.buckets for j in seen[key]
                               if abs(snapshots[j].sort_time - snap.sort_time) <= stories.WINDOW)
            options = [(stories.jaccard(fp.shingles, known[pk][0]), known[pk][1]) for pk in stored[i] if pk in known]
            options += [(stories.jaccard(fp.shingles, fps[j].shingles), labels[j])
                        for j, _ in in_batch.most_common(_CANDIDATES)]
            near = [option for option in options if option[0] >= stories.THRESHOLD]
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
    columns = ", ".join(connection.ops.quote_name(StoryBucket._meta.get_field(f).column)
                        for f in ("key", "time", "snapshot"))
    time_field = StoryBucket._meta.get_field("time")
    prepared = []
    for pk, when, keys in rows:
        db_time = time_field.get_db_prep_save(when, connection)  # once a snapshot: 10 µs a call
        prepared.extend((key, db_time, pk) for key in keys)
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)", prepared)


def _stored_candidates(snapshots: Sequence[Snapshot], fps: Sequence[stories.Fingerprint]) -> list[list[int]]:
    """Per snapshot, the stored snapshots near in time that share the most buckets with it."""
    from . import stories

    keys = sorted({key for fp in fps for key in fp.buckets})
    if not keys:
        return [[] for _ in snapshots]
    low = min(s.sort_time for s in snapshots) - stories.WINDOW
    high = max(s.sort_time for s in snapshots) + stories.WINDOW
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
                         if abs(when - snap.sort_time) <= stories.WINDOW)
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
            store_buckets = _assign_stories(batch)
            Snapshot.objects.bulk_update(batch, ["story"], batch_size=1000)
            store_buckets()
            log_index_changes(s.pk for s in batch)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return done


def log_index_changes(snapshot_ids: Iterable[int]) -> None:
    """Tell the search index to look at these snapshots again (in the caller's transaction)."""
    IndexChange.objects.bulk_create([IndexChange(snapshot_id=i) for i in dict.fromkeys(snapshot_ids)])


_PAGE_STATE = ("status", "last_fetched", "last_seen", "latest_snapshot", "source")


def _update_pages(pages: Iterable[Page]) -> None:
    """One executemany UPDATE: Django's bulk_update builds a CASE per field per row, several times
    slower for the batch sizes a crawl writes."""
    fields = [Page._meta.get_field(name) for name in _PAGE_STATE]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(Page._meta.db_table)} SET {sets} WHERE id = %s"
    rows = [[f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk] for p in pages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def set_takedown(snapshot_ids: Iterable[int], state: TakedownState) -> int:
    """Hide snapshots from every public read (or show them again); returns how many changed.

    The takedown request process builds on this; `Snapshot.objects.public()` does the hiding, so
    a hidden snapshot is out of every page at once. The search index drops it right after the
    commit (or, if a crawl holds the index at that moment, with the crawl's next batch).
    """
    with transaction.atomic():
        ids = list(Snapshot.objects.filter(pk__in=list(snapshot_ids)).exclude(takedown=state)
                   .values_list("pk", flat=True))
        Snapshot.objects.filter(pk__in=ids).update(takedown=state)
        log_index_changes(ids)
        transaction.on_commit(_apply_index_changes)
    return len(ids)


def _apply_index_changes() -> None:
    from ..search import sync

    sync.apply_pending(wait=10.0)


def record_unreachable(page_url: str, when: datetime, source: str | None) -> None:
    """A fetch that got no HTTP answer (timeout, refused, DNS): the page is unreachable for now."""
    with transaction.atomic():
        sources = {s.name: s for s in Source.objects.filter(name=source)}
        page = _pages_for([_Stub(page_url, when, source)], sources)[page_url]
        page.status = PageStatus.UNREACHABLE
        page.last_fetched = when
        page.save(update_fields=["status", "last_fetched"])


@dataclass(frozen=True)
class _Stub:
    page_url: str
    fetched_at: datetime
    source: str | None


def _pages_for(items: Sequence[CapturedPage | _Stub], sources: dict[str, Source]) -> dict[str, Page]:
    urls = {i.page_url for i in items}
    pages = {p.url: p for p in Page.objects.filter(url__in=urls)}
    missing = []
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


def _outcome(item: CapturedPage, page: Page, latest_hash: dict[int, str], new_hashes: dict[int, str]) -> CaptureOutcome:
    if item.skipped is not None:
        return item.skipped
    if item.http_status >= 400:
        return CaptureOutcome.HTTP_ERROR
    if item.article is None:
        return CaptureOutcome.NOT_ARTICLE
    current = new_hashes.get(page.pk) or latest_hash.get(page.latest_snapshot_id or -1)
    return CaptureOutcome.UNCHANGED if current == item.article.content_hash else CaptureOutcome.NEW_SNAPSHOT


def _advance_page(page: Page, item: CapturedPage, outcome: CaptureOutcome, sources: dict[str, Source]) -> None:
    """Move a page's status and clocks forward for one capture."""
    page.last_fetched = max(page.last_fetched, item.fetched_at)
    if page.source_id is None and item.source in sources:
        page.source = sources[item.source]
    had_snapshot = page.latest_snapshot_id is not None or page.status == PageStatus.EDITED
    if outcome == CaptureOutcome.NOARCHIVE:
        page.status = PageStatus.EXCLUDED
    elif outcome == CaptureOutcome.NEW_SNAPSHOT:
        page.status = PageStatus.EDITED if had_snapshot else PageStatus.LIVE
        page.last_seen = item.fetched_at
    elif outcome == CaptureOutcome.UNCHANGED:
        if page.status not in (PageStatus.LIVE, PageStatus.EDITED):
            edited = Snapshot.objects.filter(page=page).count() > 1
            page.status = PageStatus.EDITED if edited else PageStatus.LIVE
        page.last_seen = item.fetched_at
    elif outcome == CaptureOutcome.HTTP_ERROR:
        page.status = PageStatus.REMOVED if item.http_status in (404, 410, 451) else PageStatus.UNREACHABLE
    elif outcome == CaptureOutcome.NOT_ARTICLE and had_snapshot:
        page.status = PageStatus.REMOVED  # an article page that now says 该内容已被删除


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
