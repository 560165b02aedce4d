"""The version history of a page: every edit, deletion, restoration and withdrawal, when seen.

A model of the archive app kept in its own module (models.py imports it); its relations are named
by string, so this module needs nothing of models.py.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .states import ChangeKind, RemovalReason


class PageChange(models.Model):
    """One change seen at a page's URL. Written by services/versions.py as fetches are stored, so
    the 已删除 and 已修改 lists and the feed of changes read one indexed table, newest first."""

    page = models.ForeignKey("archive.Page", verbose_name="页面", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("变化", max_length=16, choices=ChangeKind.choices)
    seen_at = models.DateTimeField("发现时间", help_text="发现这一变化的抓取时间")
    before = models.ForeignKey("archive.Snapshot", verbose_name="变化前", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    after = models.ForeignKey("archive.Snapshot", verbose_name="变化后", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField("删除方式", max_length=16, choices=RemovalReason.choices, blank=True)
    significance = models.FloatField("改动比例", null=True, blank=True, help_text="改动的字符占全文的比例，0–1")
    parts = models.JSONField("改动部分", default=list, blank=True,
                             help_text="headline / lead / body / byline / correction")

    class Meta:
        verbose_name = verbose_name_plural = "版本变化"
        indexes = [
            models.Index(fields=["kind", "-seen_at", "-id"], name="change_kind_seen"),
            models.Index(fields=["page", "seen_at"], name="change_page_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} @ {timezone.localtime(self.seen_at):%Y-%m-%d %H:%M}"
