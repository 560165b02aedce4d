"""Django admin for operators: sources, pages, captures and snapshots (read-mostly)."""

from django.contrib import admin

from ..archive.models import Capture, Category, Page, Snapshot, Source


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "homepage", "default_category", "updated_at")
    search_fields = ("name", "homepage")
    readonly_fields = ("config", "updated_at")


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "status", "first_seen", "last_fetched", "last_seen")
    list_filter = ("status", "source")
    search_fields = ("url",)
    raw_id_fields = ("latest_snapshot",)
    readonly_fields = ("first_seen", "last_fetched", "last_seen")


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    # Captures are evidence: they are never edited by hand.
    list_display = ("url", "fetched_at", "http_status", "outcome", "warc_file")
    list_filter = ("outcome", "http_status")
    search_fields = ("url", "payload_sha256")
    raw_id_fields = ("page",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "category", "published_at", "captured_at", "takedown")
    list_filter = ("takedown", "category", "source")
    search_fields = ("title", "page__url", "content_hash")
    raw_id_fields = ("page", "capture")
    date_hierarchy = "captured_at"
