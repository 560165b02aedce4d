"""Archive models: Source ─< Page (canonical URL) ─< Capture (one per fetch) and Snapshot.

A Snapshot is one distinct extracted content of a page: fetching an unchanged page again makes a
Capture (and moves `Page.last_seen`) but no Snapshot. Rows are written only by `services/`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .access import AccessRule, TakedownAttachment, TakedownEvent, TakedownRequest
from .crawl_report import CrawlReport
from .history import PageChange
from .querysets import CaptureQuerySet, PageQuerySet, SnapshotQuerySet
from .states import (
    Basis,
    CaptureOutcome,
    ChangeKind,
    PageStatus,
    Relationship,
    RemovalReason,
    RequestState,
    RuleAction,
    RuleScope,
    TakedownState,
)

__all__ = ["AccessRule", "Basis", "Capture", "CaptureOutcome", "Category", "ChangeKind", "IndexChange", "Page",
           "PageChange", "PageStatus", "Relationship", "RemovalReason", "RequestState", "RuleAction", "RuleScope",
           "Snapshot", "Source", "Story", "StoryBucket", "TakedownAttachment", "TakedownEvent", "TakedownRequest",
           "TakedownState"]


class Category(models.Model):
    slug = models.SlugField("网址名", unique=True, help_text="用在网址里，例如 china")
    name = models.CharField("名称", max_length=32, unique=True, help_text="显示的名称，例如 国内")
    position = models.PositiveSmallIntegerField("排序", default=100, help_text="在导航栏中的位置，小的在前")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = verbose_name_plural = "类别"

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """A configured outlet (a `[[source]]` entry of sources.toml)."""

    name = models.CharField("名称", max_length=100, unique=True)
    homepage = models.URLField("首页", max_length=500)
    default_category = models.ForeignKey(Category, verbose_name="默认类别", null=True, blank=True,
                                         on_delete=models.SET_NULL)
    config = models.JSONField("配置", default=dict, blank=True, help_text="最近一次读入的 sources.toml 条目")
    updated_at = models.DateTimeField("配置读入时间", auto_now=True)
    crawl_started_at = models.DateTimeField("上次抓取开始", null=True, blank=True)
    crawl_completed_at = models.DateTimeField("上次完整抓取结束", null=True, blank=True,
                                              help_text="最近一次正常结束的抓取的结束时间")
    # What the last crawl of this source did: crawl_report.CrawlReport, written when it ends
    # (finished or interrupted); only {"started": …} while it runs or if its process was killed.
    last_crawl = models.JSONField("上次抓取情况", default=dict, blank=True)
    # Line shapes seen changing alone on its pages → those page ids (archive/volatile.py); learned
    # noise once seen on enough pages.
    volatile = models.JSONField("易变行", default=dict, blank=True)

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

    @property
    def crawl_report(self) -> CrawlReport:
        """What the last crawl of this source did (crawl_report.py)."""
        return CrawlReport.from_json(self.last_crawl)


class Page(models.Model):
    """One canonical article URL, however many times it was fetched."""

    url = models.CharField("网址", max_length=2000, unique=True)
    urlkey = models.CharField(
        "SURT 键", max_length=2000, db_index=True, blank=True, help_text="网址的 SURT 形式：CDX 和 Memento 查询按它匹配"
    )
    host = models.CharField("主机", max_length=255, db_index=True)
    source = models.ForeignKey(Source, verbose_name="来源网站", null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField("状态", max_length=16, choices=PageStatus.choices, default=PageStatus.LIVE)
    first_seen = models.DateTimeField("首次抓取", help_text="第一次抓取的时间")
    last_fetched = models.DateTimeField("最近抓取", help_text="最近一次抓取尝试，无论结果如何")
    last_seen = models.DateTimeField("最近见到文章", null=True, blank=True, help_text="最近一次抓到文章的时间")
    latest_snapshot = models.ForeignKey(
        "Snapshot", verbose_name="最新快照", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_check = models.DateTimeField("下次复查", null=True, blank=True, db_index=True,
                                      help_text="按复查计划下次抓取的时间；为空：计划已结束")
    removed_at = models.DateTimeField("发现删除", null=True, blank=True, help_text="第一次发现原文已删除的时间")
    removal_reason = models.CharField("删除方式", max_length=16, choices=RemovalReason.choices, blank=True)
    # Where the latest article was read from and how those parts hashed (extract/footprint.py): a
    # recheck whose page still matches is not extracted again.
    footprint = models.TextField("文章区域指纹", blank=True, default="")
    suspect_since = models.DateTimeField("待复查自", null=True, blank=True,
                                         help_text="一次抓取读出的正文远少于上一版：再抓一次才下结论")

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

    page = models.ForeignKey(Page, verbose_name="页面", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="captures")
    url = models.CharField("抓取网址", max_length=2000, help_text="实际抓取的网址（规范化之前）")
    fetched_at = models.DateTimeField("抓取时间", db_index=True)
    http_status = models.PositiveSmallIntegerField("HTTP 状态码")
    headers = models.JSONField("响应头", default=list, help_text="[名称, 值] 对的列表")
    content_type = models.CharField("内容类型", max_length=200, blank=True)
    payload_sha256 = models.CharField("正文 SHA-256", max_length=64, blank=True, help_text="十六进制")
    payload_length = models.PositiveIntegerField("正文字节数", default=0)
    warc_file = models.CharField("WARC 文件", max_length=255, blank=True, help_text="为空：正文没有保存")
    warc_offset = models.BigIntegerField("WARC 偏移", null=True, blank=True)
    warc_length = models.PositiveIntegerField("WARC 长度", null=True, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=CaptureOutcome.choices)
    reason = models.CharField("原因", max_length=300, blank=True, help_text="跳过时的原因")

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at"]
        verbose_name = verbose_name_plural = "抓取记录"

    def __str__(self) -> str:
        return f"{self.url} @ {timezone.localtime(self.fetched_at):%Y-%m-%d %H:%M:%S}"

    @property
    def kept(self) -> bool:
        return bool(self.warc_file)


class Story(models.Model):
    """One article wherever it appears: reprints on other sites, later editions, other scripts.

    Its snapshots are near-copies of each other (stories.py: what "near" means and how copies are
    found); every version of one page belongs to the page's first story.
    """

    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报道"

    def __str__(self) -> str:
        return f"story {self.pk}"


class Snapshot(models.Model):
    """One distinct extracted content of a page, as first captured."""

    page = models.ForeignKey(Page, verbose_name="页面", on_delete=models.CASCADE, related_name="snapshots")
    # RESTRICT, not PROTECT: a capture cannot be deleted under its snapshot, but deleting a page
    # (which cascades to both) is allowed.
    capture = models.ForeignKey(Capture, verbose_name="抓取记录", on_delete=models.RESTRICT, related_name="+")
    source = models.ForeignKey(Source, verbose_name="来源网站", null=True, blank=True, on_delete=models.SET_NULL)
    category = models.ForeignKey(Category, verbose_name="类别", null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField("标题", max_length=500)
    text = models.TextField("正文", help_text="纯文本，每段一行")
    html = models.TextField("正文 HTML", help_text="清理过的文章 HTML")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_precision = models.CharField("发布时间精度", max_length=8, blank=True)
    published_provenance = models.CharField("发布时间出处", max_length=16, blank=True,
                                            help_text="jsonld / meta / script / url / text / relative")
    published_raw = models.CharField("页面所写的发布时间", max_length=100, blank=True)
    declared_published_at = models.DateTimeField(
        "元数据所称发布时间", null=True, blank=True,
        help_text="网页元数据（JSON-LD、meta、脚本）所称的发布时间与页面显示的不一致时，另存于此")
    updated_at = models.DateTimeField("更新时间", null=True, blank=True)
    updated_provenance = models.CharField("更新时间出处", max_length=16, blank=True)
    source_name = models.CharField("来源", max_length=200, blank=True, help_text="页面所署的来源媒体")
    reposted_from = models.CharField("本文转自", max_length=500, blank=True, help_text="转载链")
    original_title = models.CharField("原标题", max_length=500, blank=True, help_text="文章最初刊出时的标题")
    authors = models.JSONField("作者", default=list, blank=True)
    editor = models.CharField("责任编辑", max_length=100, blank=True)
    charset = models.CharField("字符集", max_length=32, blank=True)
    content_hash = models.CharField("内容指纹", max_length=64, db_index=True)
    captured_at = models.DateTimeField("快照时间", help_text="第一次抓到这一内容的时间")
    sort_time = models.DateTimeField("排序时间", help_text="已知发布时间时为发布时间，否则为快照时间")
    takedown = models.CharField("显示状态", max_length=16, choices=TakedownState.choices, default=TakedownState.NONE)
    # None until clustered (snapshots stored before stories existed: `kuaizhao stories` assigns them).
    story = models.ForeignKey(Story, verbose_name="报道", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="snapshots")

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
    def is_public(self) -> bool:
        """Whether readers may see it: `public()` (querysets.py) for one row already loaded."""
        return self.takedown == TakedownState.NONE

    @property
    def lead(self) -> str:
        """The first paragraph, for one-line listings."""
        return self.text.split("\n", 1)[0]

    @property
    def site_label(self) -> str:
        """Who published this copy: the site's configured name, else its host. (A reprint's 来源
        names the outlet it copied from: the wrong answer to "who reprinted it".)"""
        return self.source.name if self.source else self.page.host

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

    key = models.BigIntegerField("分桶键")
    time = models.DateTimeField("时间")
    snapshot = models.ForeignKey(Snapshot, verbose_name="快照", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "报道分桶"
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

    snapshot_id = models.BigIntegerField("快照 ID")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "索引变更"

    def __str__(self) -> str:
        return f"#{self.pk} snapshot {self.snapshot_id}"
