"""Snapshots in the admin: read-only, newest first, and the operators' one decision about them —
take down (hide from every public read, kept for the record) or show again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ...archive import services
from ...archive.models import Snapshot
from .. import links
from ..jinja import provenance
from .readonly import PageStatusFilter, ReadOnlyAdmin, beijing

_PRECISION = {"year": "年", "month": "月", "day": "日", "minute": "分钟", "second": "秒"}


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    note = ("快照是抓取时的原样内容（本站未对信息做任何修改），只能查看。"
            "收到侵权投诉时用“下架（隐藏快照）”：快照从所有公开页面、订阅、搜索和接口中隐藏，记录保留，可以恢复显示。")
    list_display = ("headline", "site", "category", "published", "captured", "state", "story_link")
    list_select_related = ("source", "category", "page")
    # The public site's order; (-sort_time, -id) is an index, so the newest page is read, not sorted.
    ordering = ("-sort_time", "-id")
    list_filter = ("takedown", "category", "source", ("page__status", PageStatusFilter), "captured_at")
    search_fields = ("title", "page__url", "source_name", "=content_hash")
    urlkey_lookup = "page__urlkey"
    date_hierarchy = "captured_at"
    list_per_page = 50
    actions = ("take_down", "restore")
    fieldsets = (
        (None, {"fields": ("title", "site", "category", "takedown", "original", "public_page")}),
        ("时间", {"fields": ("published_at", "published_raw", "published_from", "updated_at", "captured_at")}),
        ("署名", {"fields": ("source_name", "reposted_from", "original_title", "author_names", "editor")}),
        ("正文", {"fields": ("text",)}),
        ("抓取与技术信息", {"classes": ("collapse",),
                     "fields": ("page", "capture", "story", "content_hash", "charset", "sort_time", "html")}),
    )
    readonly_fields = ("site", "original", "public_page", "author_names", "published_from")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Snapshot]:
        sizes = (Snapshot.objects.filter(story=OuterRef("story")).order_by().values("story")
                 .annotate(n=Count("pk")).values("n"))
        sized: QuerySet[Snapshot] = super().get_queryset(request).annotate(story_size=Subquery(sizes))
        return sized

    # --- columns -------------------------------------------------------------------------------

    @admin.display(description="标题", ordering="title")
    def headline(self, obj: Snapshot) -> str:
        return obj.title or "（无标题）"

    @admin.display(description="网站")
    def site(self, obj: Snapshot) -> str:
        return obj.site_label

    @admin.display(description="发布时间", ordering="sort_time")
    def published(self, obj: Snapshot) -> str:
        return beijing(obj.published_at) or "—"

    @admin.display(description="快照时间", ordering="captured_at")
    def captured(self, obj: Snapshot) -> str:
        return beijing(obj.captured_at)

    @admin.display(description="显示状态", ordering="takedown")
    def state(self, obj: Snapshot) -> str:
        return format_html('<span class="kz-state kz-state-{}">{}</span>', obj.takedown, obj.get_takedown_display())

    @admin.display(description="报道", ordering="story")
    def story_link(self, obj: Snapshot) -> str:
        if obj.story_id is None:
            return "未归组"
        size = getattr(obj, "story_size", None) or 1
        if size == 1:
            return "仅此一篇"
        url = reverse("admin:archive_snapshot_changelist") + f"?story__id__exact={obj.story_id}"
        return format_html('<a href="{}" title="这一报道的所有快照（转载、修改版）">{} 篇</a>', url, size)

    # --- the snapshot's page -------------------------------------------------------------------

    @admin.display(description="原文地址")
    def original(self, obj: Snapshot) -> str:
        return format_html('<a href="{0}" rel="noreferrer noopener" target="_blank">{0}</a>（{1}）',
                           obj.page.url, obj.page.get_status_display())

    @admin.display(description="公开页面")
    def public_page(self, obj: Snapshot) -> str:
        if not obj.is_public:
            return "已下架：读者看不到这一快照"
        return format_html('<a href="{0}" target="_blank">{0}</a>', links.path("web:snapshot", obj.pk))

    @admin.display(description="发布时间出处")
    def published_from(self, obj: Snapshot) -> str:
        if not obj.published_provenance:
            return "—"
        precision = _PRECISION.get(obj.published_precision, obj.published_precision)
        return f"{provenance(obj.published_provenance)}，精确到{precision}"

    @admin.display(description="作者")
    def author_names(self, obj: Snapshot) -> str:
        return "、".join(obj.authors) or "—"

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_takedown_permission(request):
            restore = not obj.is_public
            name = "admin:archive_snapshot_restore" if restore else "admin:archive_snapshot_takedown"
            extra_context = {**(extra_context or {}), "kz_decision": {
                "url": reverse(name, args=[obj.pk]), "restore": restore,
                "label": "恢复显示" if restore else "下架（隐藏快照）",
            }}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- takedowns -----------------------------------------------------------------------------

    def has_takedown_permission(self, request: HttpRequest) -> bool:
        # Nothing of a snapshot is editable, so the "change snapshot" permission means the one
        # change there is: its takedown state.
        return request.user.has_perm("archive.change_snapshot")

    @admin.action(description="下架（隐藏快照）", permissions=["takedown"])
    def take_down(self, request: HttpRequest, queryset: QuerySet[Snapshot]) -> None:
        self.decide(request, list(queryset.values_list("pk", flat=True)), restore=False)

    @admin.action(description="恢复显示", permissions=["takedown"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Snapshot]) -> None:
        self.decide(request, list(queryset.values_list("pk", flat=True)), restore=True)

    def decide(self, request: HttpRequest, ids: list[int], restore: bool) -> None:
        """Take down or restore through the service (as `kuaizhao takedown` does), then bring the
        search index up to date so that search totals and facets follow at once."""
        actor = request.user.get_username()
        try:
            changed = services.restore(ids, actor) if restore else services.take_down(ids, actor)
        except services.access.RuleError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        # Imported here: Django's admin autodiscovery imports this module in every process that
        # sets Django up, the crawler's too, which would then load tantivy, rjieba and numpy.
        from ...search import sync

        sync.catch_up(wait=10.0)
        verb = "恢复显示" if restore else "下架"
        already = len(ids) - len(changed)
        message = f"已{verb} {len(changed)} 条快照" + (f"（另有 {already} 条原本就是这一状态）" if already else "")
        self.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)
        for snapshot in Snapshot.objects.filter(pk__in=changed).only("pk", "title"):
            self.log_change(request, snapshot, f"{verb}快照")

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/takedown/", view(self.decision_view(restore=False)), name="archive_snapshot_takedown"),
            path("<int:pk>/restore/", view(self.decision_view(restore=True)), name="archive_snapshot_restore"),
            *super().get_urls(),
        ]

    def decision_view(self, restore: bool) -> Callable[[HttpRequest, int], HttpResponse]:
        """The buttons on a snapshot's page: the same decision as the list's actions, for one."""
        @require_POST
        def decide_one(request: HttpRequest, pk: int) -> HttpResponse:
            if not self.has_takedown_permission(request):
                raise PermissionDenied
            snapshot = get_object_or_404(Snapshot, pk=pk)
            self.decide(request, [snapshot.pk], restore=restore)
            return HttpResponseRedirect(reverse("admin:archive_snapshot_change", args=[snapshot.pk]))

        return decide_one
