"""Archive models: Source ─< Page (canonical URL) ─< Capture (one per fetch) and Snapshot.

A Snapshot is one distinct extracted content of a page: fetching an unchanged page again makes a
Capture (and moves `Page.last_seen`) but no Snapshot. Rows are written only by `services.py`.
"""

from __future__ import annotations

from django.db import models

from .querysets import CaptureQuerySet, PageQuerySet, SnapshotQuerySet


class PageStatus(models.TextChoices):
    """What we last saw at a page's URL."""

    LIVE = "live", "在线"  # fetched and extracted; content as first captured
    EDITED = "edited", "已修改"  # fetched; the content differs from an earlier snapshot
    REMOVED = "removed", "已删除"  # the site answers 404/410 or a "deleted" page where an article was
    UNREACHABLE = "unreachable", "无法访问"  # timeouts, DNS or connection errors, 5xx on the last attempt
    EXCLUDED = "excluded", "不存档"  # the publisher said noarchive: nothing is kept or shown


class CaptureOutcome(models.TextChoices):
    """What became of one fetch."""

    NEW_SNAPSHOT = "new", "新快照"  # kept in WARC; its content made a new snapshot
    UNCHANGED = "unchanged", "未变化"  # kept in WARC; same content as the page's latest snapshot
    NOT_ARTICLE = "not-article", "非文章"  # kept in WARC; extraction found no article
    HTTP_ERROR = "http-error", "HTTP 错误"  # kept in WARC; a 4xx/5xx answer
    NOARCHIVE = "noarchive", "禁止存档"  # not kept: meta robots or X-Robots-Tag said noarchive
    NOT_HTML = "not-html", "非 HTML"  # not kept: the body is not an HTML document


class TakedownState(models.TextChoices):
    """Whether a snapshot may be shown; the takedown process moves snapshots between these."""

    NONE = "none", "公开"  # shown
    TAKEN_DOWN = "taken-down", "已删除"  # hidden from every public read, kept for the record


class Category(models.Model):
    slug = models.SlugField(unique=True, help_text="URL name, e.g. china")
    name = models.CharField(max_length=32, unique=True, help_text="display name, e.g. 国内")
    position = models.PositiveSmallIntegerField(default=100, help_text="order in the navigation")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = verbose_name_plural = "类别"

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """A configured outlet (a `[[source]]` entry of sources.toml)."""

    name = models.CharField(max_length=100, unique=True)
    homepage = models.URLField(max_length=500)
    default_category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    config = models.JSONField(default=dict, blank=True, help_text="the sources.toml entry last loaded")
    updated_at = models.DateTimeField(auto_now=True)
    crawl_started_at = models.DateTimeField(null=True, blank=True, help_text="start of the last crawl")
    crawl_completed_at = models.DateTimeField(null=True, blank=True, help_text="end of the last crawl that finished")

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "来源网站"

    def __str__(self) -> str:
        return self.name

    @property
    def last_crawl_interrupted(self) -> bool:
        """Whether the last crawl of this source never finished (or none ever did)."""
        return self.crawl_completed_at is None or (
            self.crawl_started_at is not None and self.crawl_started_at > self.crawl_completed_at
        )


class Page(models.Model):
    """One canonical article URL, however many times it was fetched."""

    url = models.CharField(max_length=2000, unique=True)
    urlkey = models.CharField(
        max_length=2000, db_index=True, blank=True, help_text="SURT form of the URL: what CDX and Memento lookups match"
    )
    host = models.CharField(max_length=255, db_index=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=16, choices=PageStatus.choices, default=PageStatus.LIVE)
    first_seen = models.DateTimeField(help_text="first fetch")
    last_fetched = models.DateTimeField(help_text="last fetch attempt, whatever its outcome")
    last_seen = models.DateTimeField(null=True, blank=True, help_text="last fetch that found the article")
    latest_snapshot = models.ForeignKey(
        "Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "页面"
        # /api/pages lists pages newest first, on one host or all.
        indexes = [
            models.Index(fields=["-first_seen", "-id"], name="page_first_seen_id"),
            models.Index(fields=["host", "-first_seen", "-id"], name="page_host_first_seen_id"),
        ]

    def __str__(self) -> str:
        return self.url


class Capture(models.Model):
    """One fetch: what was asked, what came back, and where its bytes are in the WARC files."""

    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE, related_name="captures")
    url = models.CharField(max_length=2000, help_text="the URL as fetched (before canonicalisation)")
    fetched_at = models.DateTimeField(db_index=True)
    http_status = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=list, help_text="response headers as [name, value] pairs")
    content_type = models.CharField(max_length=200, blank=True)
    payload_sha256 = models.CharField(max_length=64, blank=True, help_text="hex SHA-256 of the body")
    payload_length = models.PositiveIntegerField(default=0)
    warc_file = models.CharField(max_length=255, blank=True, help_text="empty when the body was not kept")
    warc_offset = models.BigIntegerField(null=True, blank=True)
    warc_length = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=CaptureOutcome.choices)
    reason = models.CharField(max_length=300, blank=True, help_text="why it was skipped, when it was")

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at"]
        verbose_name = verbose_name_plural = "抓取记录"

    def __str__(self) -> str:
        return f"{self.url} @ {self.fetched_at:%Y-%m-%d %H:%M:%S}"

    @property
    def kept(self) -> bool:
        return bool(self.warc_file)


class Story(models.Model):
    """One article wherever it appears: reprints on other sites, later editions, other scripts.

    Its snapshots are near-copies of each other (stories.py: what "near" means and how copies are
    found); every version of one page belongs to the page's first story.
    """

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报道"

    def __str__(self) -> str:
        return f"story {self.pk}"


class Snapshot(models.Model):
    """One distinct extracted content of a page, as first captured."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="snapshots")
    # RESTRICT, not PROTECT: a capture cannot be deleted under its snapshot, but deleting a page
    # (which cascades to both) is allowed.
    capture = models.ForeignKey(Capture, on_delete=models.RESTRICT, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=500)
    text = models.TextField(help_text="plain text, one paragraph per line")
    html = models.TextField(help_text="sanitised article HTML")
    published_at = models.DateTimeField(null=True, blank=True)
    published_precision = models.CharField(max_length=8, blank=True)
    published_provenance = models.CharField(max_length=16, blank=True, help_text="jsonld/meta/url/text/relative")
    published_raw = models.CharField(max_length=100, blank=True, help_text="the time as the page states it")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_provenance = models.CharField(max_length=16, blank=True)
    source_name = models.CharField(max_length=200, blank=True, help_text="来源: the outlet credited")
    reposted_from = models.CharField(max_length=500, blank=True, help_text="本文转自: the reprint chain")
    original_title = models.CharField(max_length=500, blank=True, help_text="原标题: the title it first ran under")
    authors = models.JSONField(default=list, blank=True)
    editor = models.CharField(max_length=100, blank=True, help_text="责任编辑")
    charset = models.CharField(max_length=32, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    captured_at = models.DateTimeField(help_text="capture time of the fetch that first saw this content")
    sort_time = models.DateTimeField(help_text="published time when known, else capture time")
    takedown = models.CharField(max_length=16, choices=TakedownState.choices, default=TakedownState.NONE)
    # None until clustered (snapshots stored before stories existed: `kuaizhao stories` assigns them).
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots")

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "快照"
        # Listings order by (-sort_time, -pk); indexes that end in -id serve that order whole.
        # Without the id, SQLite sorts the whole table for the newest ten (190 ms at 75k snapshots).
        indexes = [
            models.Index(fields=["category", "-sort_time", "-id"], name="snap_category_time_id"),
            models.Index(fields=["-sort_time", "-id"], name="snap_time_id"),
            models.Index(fields=["source", "-sort_time", "-id"], name="snap_source_time_id"),
            # Taken-down snapshots are few: "is anything of this page hidden?" reads a tiny index.
            models.Index(fields=["page"], condition=~models.Q(takedown=TakedownState.NONE), name="snap_hidden_page"),
            models.Index(fields=["story", "sort_time"], name="snap_story_time"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lead(self) -> str:
        """The first paragraph, for one-line listings."""
        return self.text.split("\n", 1)[0]

    @property
    def site_label(self) -> str:
        """Who published this copy: the site's configured name, else its host. (A reprint's 来源
        names the outlet it copied from: the wrong answer to "who reprinted it".)"""
        return self.source.name if self.source_id else self.page.host

    @property
    def other_credit(self) -> str:
        """The 来源 this copy credits when it names an outlet other than its own site (a reprint's
        original), else ''."""
        return self.source_name if self.source_name and self.source_name != self.site_label else ""

    @property
    def lead_line(self) -> str:
        """The lead cut to one line of a listing (slicing is exact for CJK: no word boundaries)."""
        lead = self.lead
        return lead if len(lead) <= 90 else lead[:89] + "…"


class StoryBucket(models.Model):
    """One MinHash band of a snapshot's body: snapshots sharing a bucket are candidate copies.

    The time is the snapshot's `sort_time`, kept here so that a lookup reads only the buckets of
    snapshots near in time (copies appear within days; boilerplate that recurs for years does not
    make candidates).
    """

    key = models.BigIntegerField()
    time = models.DateTimeField()
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["key", "time"], name="story_bucket_key_time")]

    def __str__(self) -> str:
        return f"bucket {self.key} of snapshot {self.snapshot_id}"


class IndexChange(models.Model):
    """The search index's change log: "look at this snapshot again".

    Written in the same transaction as the change itself (new snapshot, superseded snapshot,
    takedown, deletion), so the index cannot miss one; each index generation records the last
    entry it has applied, which makes applying idempotent and lets a rebuild catch up with
    changes made while it ran. What to do is decided when applying, from the snapshot's state
    then: public and current → (re)indexed, anything else → removed from the index.
    """

    snapshot_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "索引变更"

    def __str__(self) -> str:
        return f"#{self.pk} snapshot {self.snapshot_id}"
