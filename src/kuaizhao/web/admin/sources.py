"""Sources and categories in the admin: crawl health per source (read-only: sources.toml is where
sources are configured), and the categories operators may edit."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from ...archive import services
from ...archive.crawl_report import PROBLEMS, SKIPPED, CrawlKind
from ...archive.models import Category, Source
from .readonly import ReadOnlyAdmin, beijing

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _PageCount(TypedDict):
    page_count: int


class _SnapshotCount(TypedDict):
    snapshot_count: int


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    note = ("来源网站在 sources.toml 中配置，每次 kuaizhao crawl 时读入，这里只读：要增加、修改或停用来源，"
            "请编辑 sources.toml。下表是每个来源最近一次抓取的情况。")
    list_display = ("name", "pages", "started", "ended", "reason", "fetched", "new", "problems", "skipped")
    search_fields = ("name", "homepage")
    fields = ("name", "homepage_link", "default_category", "report", "crawl_started_at", "crawl_completed_at",
              "settings", "updated_at")
    readonly_fields = ("homepage_link", "report", "settings")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        counted: QuerySet[Source] = (super().get_queryset(request).select_related("default_category")
                                     .annotate(page_count=Count("page")))
        return counted

    @admin.display(description="页面数", ordering="page_count")
    def pages(self, obj: WithAnnotations[Source, _PageCount]) -> int:
        return obj.page_count

    @admin.display(description="上次抓取开始", ordering="crawl_started_at")
    def started(self, obj: Source) -> str:
        return beijing(obj.crawl_report.started) or "从未抓取"

    @admin.display(description="结束")
    def ended(self, obj: Source) -> str:
        report = obj.crawl_report
        if not report.started:
            return "—"
        if report.completed:
            return beijing(report.finished)
        stopped = f"（{beijing(report.finished, with_year=False)} 停止）" if report.finished else ""
        return format_html('<span class="kz-unfinished">未完成/中断{}</span>', stopped)

    @admin.display(description="结束原因")
    def reason(self, obj: Source) -> str:
        return obj.crawl_report.reason_label or "—"

    @admin.display(description="抓取页面")
    def fetched(self, obj: Source) -> int | str:
        report = obj.crawl_report
        return report.count(CrawlKind.FETCHED) if report.recorded else "—"

    @admin.display(description="新快照")
    def new(self, obj: Source) -> int | str:
        report = obj.crawl_report
        return report.count(CrawlKind.NEW) if report.recorded else "—"

    @admin.display(description="问题（上次抓取）")
    def problems(self, obj: Source) -> str:
        found = obj.crawl_report.problems()
        if not found:
            return "无" if obj.crawl_report.recorded else "—"
        return format_html('<span class="kz-problems">{}</span>', _counts(found))

    @admin.display(description="跳过（上次抓取）")
    def skipped(self, obj: Source) -> str:
        return _counts(obj.crawl_report.skipped()) or "—"

    @admin.display(description="首页")
    def homepage_link(self, obj: Source) -> str:
        return format_html('<a href="{0}" rel="noreferrer noopener" target="_blank">{0}</a>', obj.homepage)

    @admin.display(description="上次抓取情况")
    def report(self, obj: Source) -> str:
        report = obj.crawl_report
        if not report.started:
            return "从未抓取"
        rows: list[tuple[object, object]] = [
            ("开始", beijing(report.started)), ("结束", beijing(report.finished) or "未完成/中断"),
            ("结束原因", report.reason_label)]
        if not report.recorded:
            return format_html_join("", "<div>{}：{}</div>", rows)
        rows += [(k.label, report.count(k)) for k in (CrawlKind.FETCHED, CrawlKind.NEW, CrawlKind.UNCHANGED)]
        rows += [(f"跳过：{k.label}", report.count(k)) for k in SKIPPED]
        rows += [(f"问题：{k.label}", report.count(k)) for k in PROBLEMS]
        return format_html('<table class="kz-report">{}</table>',
                           format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))

    @admin.display(description="配置（sources.toml）")
    def settings(self, obj: Source) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.config, ensure_ascii=False, indent=2))


def _counts(found: dict[CrawlKind, int]) -> str:
    return " · ".join(f"{k.label} {n}" for k, n in found.items())


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    list_display = ("name", "slug", "position", "snapshots")
    list_editable = ("position",)
    fields = ("name", "slug", "position")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        counted: QuerySet[Category] = super().get_queryset(request).annotate(snapshot_count=Count("snapshot"))
        return counted

    @admin.display(description="快照数", ordering="snapshot_count")
    def snapshots(self, obj: WithAnnotations[Category, _SnapshotCount]) -> int:
        return obj.snapshot_count

    def has_delete_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        # Deleting a category would empty the category of its snapshots behind the services' back
        # (and the search index's); rename it or give it a position instead.
        return False

    def save_model(self, request: HttpRequest, obj: Category, form: object, change: bool) -> None:
        # Through the service: search filters and facets by category name, so a rename must reach
        # the index like any other change to what search shows.
        services.save_category(obj)
        # Imported here: Django's admin autodiscovery imports this module in every process that
        # sets Django up, the crawler's too, which would then load tantivy, rjieba and numpy.
        from ...search import sync

        sync.catch_up(wait=10.0)
