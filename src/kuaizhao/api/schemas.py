"""What the API returns: the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class CategoryOut(Schema):
    slug: str
    name: str
    url: str
    feed: str


class SourceOut(Schema):
    id: int
    name: str
    homepage: str
    url: str
    feed: str
    snapshots: int


class SnapshotSummary(Schema):
    id: int
    url: str  # our snapshot page
    original_url: str
    title: str
    lead: str
    published: datetime | None
    captured: datetime
    site: str  # who published this copy
    source_name: str | None  # 来源: the outlet credited
    category: str | None


class CaptureOut(Schema):
    id: int
    url: str  # as fetched
    fetched_at: datetime
    http_status: int
    content_type: str
    payload_sha256: str
    payload_length: int
    outcome: str
    reason: str
    snapshot: int | None  # the public snapshot this fetch created, if any


class SnapshotOut(SnapshotSummary):
    text: str
    html: str
    authors: list[str]
    editor: str
    reposted_from: str  # 本文转自
    original_title: str  # 原标题
    published_raw: str
    published_precision: str
    declared_published: datetime | None  # a meta / JSON-LD / script publish time the shown one contradicts
    updated: datetime | None
    content_hash: str
    page: int
    raw_url: str
    capture: CaptureOut
    versions: list[int]  # public snapshots of the same page, oldest first


class PageOut(Schema):
    id: int
    url: str
    host: str
    source: str | None
    status: str
    first_seen: datetime
    last_fetched: datetime
    last_seen: datetime | None
    latest_snapshot: int | None
    snapshots: list[int]
    captures: list[CaptureOut]


class SnapshotList(Schema):
    items: list[SnapshotSummary]
    next_cursor: str | None
    next: str | None


class PageList(Schema):
    items: list[PageOut]
    next_cursor: str | None
    next: str | None


class FacetValue(Schema):
    value: str
    count: int


class Reprint(Schema):
    id: int
    site: str
    url: str


class SearchHit(Schema):
    id: int
    url: str
    original_url: str
    title: str
    title_html: str
    excerpt_html: str
    published: datetime | None
    captured: datetime
    source: str | None
    category: str | None
    reprints: int
    reprinted_by: list[Reprint]
    first_published_by: Reprint | None  # the story's first copy, when the hit shown is a later one


class SearchHint(Schema):
    query: str  # query text to run instead
    total: int  # what it finds
    label: str  # the part alone, or what the edit changes (去掉 “…”, 不限时间…)


class SearchHints(Schema):
    """Filled only when a search finds nothing: each part of the query counted alone, and edits of
    the query that find something."""

    parts: list[SearchHint]
    instead: list[SearchHint]


class SearchOut(Schema):
    query: str
    understood_as: str
    notes: list[str]
    sort: str
    page: int
    per_page: int
    has_next: bool
    total: int  # stories (an article and its reprints count once), as the hits list them
    total_is_estimate: bool  # True for very large results, where `total` is estimated (within a few %)
    took_ms: float
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    hints: SearchHints
    next: str | None
