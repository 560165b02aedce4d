"""Pages and captures in the admin: what we saw at each URL and every fetch of it, read-only."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ...archive.models import Capture, Page
from .readonly import PageStatusFilter, ReadOnlyAdmin, beijing

RECENT_CAPTURES = 50


def _table(headers: tuple[str, ...], row: str, rows: Sequence[tuple[object, ...]]) -> str:
    if not rows:
        return "—"
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join("", "<tr>" + row + "</tr>", rows)
    return format_html('<table class="kz-related"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body)


@admin.register(Page)
class PageAdmin(ReadOnlyAdmin):
    note = "每个原文地址一条：我们最近一次在这个地址看到了什么（在线、已修改、已删除、无法访问、不存档）。只能查看。"
    list_display = ("address", "headline", "source", "status", "first", "fetched", "seen")
    ordering = ("-first_seen", "-id")  # an index: newest pages first without sorting the table
    list_filter = ("status", "source")
    search_fields = ("url",)
    urlkey_lookup = "urlkey"
    list_per_page = 50
    fields = ("link", "source", "status", "first_seen", "last_fetched", "last_seen", "latest_snapshot",
              "snapshot_table", "capture_table", "host", "urlkey")
    # Related rows as plain tables, not inline formsets: a formset, even a read-only one, puts
    # form controls for captured rows on the page.
    readonly_fields = ("link", "snapshot_table", "capture_table")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Page]:
        return (super().get_queryset(request).select_related("source", "latest_snapshot")
                .defer("latest_snapshot__text", "latest_snapshot__html"))

    @admin.display(description="网址", ordering="url")
    def address(self, obj: Page) -> str:
        return obj.url

    @admin.display(description="最新快照标题")
    def headline(self, obj: Page) -> str:
        return obj.latest_snapshot.title if obj.latest_snapshot else "—"

    @admin.display(description="原文地址")
    def link(self, obj: Page) -> str:
        return format_html('<a href="{0}" rel="noreferrer noopener" target="_blank">{0}</a>', obj.url)

    @admin.display(description="快照（每个不同内容一条）")
    def snapshot_table(self, obj: Page) -> str:
        rows = [(reverse("admin:archive_snapshot_change", args=[s.pk]), s.title, beijing(s.captured_at),
                 s.get_takedown_display()) for s in obj.snapshots.order_by("-captured_at", "-pk").only(
                     "pk", "title", "captured_at", "takedown")]
        return _table(("标题", "快照时间", "显示状态"), '<td><a href="{}">{}</a></td><td>{}</td><td>{}</td>', rows)

    @admin.display(description=f"抓取记录（最近 {RECENT_CAPTURES} 次）")
    def capture_table(self, obj: Page) -> str:
        captures = obj.captures.order_by("-fetched_at", "-pk").defer("headers")[:RECENT_CAPTURES]
        rows = [(reverse("admin:archive_capture_change", args=[c.pk]), beijing(c.fetched_at), c.http_status,
                 c.get_outcome_display(), c.reason or "") for c in captures]
        return _table(("抓取时间", "HTTP 状态码", "结果", "原因"),
                      '<td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>', rows)

    @admin.display(description="首次抓取", ordering="first_seen")
    def first(self, obj: Page) -> str:
        return beijing(obj.first_seen)

    @admin.display(description="最近抓取", ordering="last_fetched")
    def fetched(self, obj: Page) -> str:
        return beijing(obj.last_fetched)

    @admin.display(description="最近见到文章", ordering="last_seen")
    def seen(self, obj: Page) -> str:
        return beijing(obj.last_seen) or "—"


@admin.register(Capture)
class CaptureAdmin(ReadOnlyAdmin):
    note = "每次抓取一条：请求了什么、得到了什么、原始字节在哪个 WARC 文件里。这是证据，只能查看。"
    list_display = ("address", "fetched", "http_status", "outcome", "kept")
    ordering = ("-fetched_at", "-id")
    list_filter = ("outcome", "http_status", ("page__status", PageStatusFilter), "fetched_at")
    search_fields = ("url", "=payload_sha256")
    urlkey_lookup = "page__urlkey"
    list_per_page = 50
    fields = ("page", "url", "fetched_at", "http_status", "outcome", "reason", "content_type", "payload_length",
              "payload_sha256", "warc_file", "warc_offset", "warc_length", "header_lines")
    readonly_fields = ("header_lines",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Capture]:
        # The list never shows headers; they are most of a row's bytes.
        return super().get_queryset(request).defer("headers")

    @admin.display(description="抓取网址", ordering="url")
    def address(self, obj: Capture) -> str:
        return obj.url

    @admin.display(description="抓取时间", ordering="fetched_at")
    def fetched(self, obj: Capture) -> str:
        return beijing(obj.fetched_at)

    @admin.display(description="正文已存入 WARC", boolean=True)
    def kept(self, obj: Capture) -> bool:
        return obj.kept

    @admin.display(description="响应头")
    def header_lines(self, obj: Capture) -> str:
        return format_html('<div class="kz-headers">{}</div>',
                           format_html_join("", "<div><b>{}</b>: {}</div>", ((n, v) for n, v in obj.headers)))
