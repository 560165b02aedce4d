"""What every admin page of captured rows shares: read-only, searchable by URL, times in Beijing time.

The archive promises 本站未对信息做任何修改: what was captured is shown as captured. So no change
form can save, nothing can be added or deleted by hand (deleting is not a takedown: it would lose
the record a takedown keeps); operators' decisions are admin actions calling archive.services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ...archive.urlkeys import urlkey


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    """A model admin that shows rows and never writes them."""

    # A sentence under the page title, saying where the rows come from and why they are read-only.
    note = "抓取所得的内容按原样保存，这里只能查看，不能修改、增加或删除。"
    # The lookup path of the page's URL key: a search term that looks like a URL also matches by
    # key (an operator pastes the address from a takedown request; scheme, www., case and query
    # order do not matter, as in `kuaizhao takedown`).
    urlkey_lookup: str | None = None

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {"kz_note": self.note, **(extra_context or {})})

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().change_view(request, object_id, form_url, {"kz_note": self.note, **(extra_context or {})})

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Model], search_term: str
    ) -> tuple[QuerySet[Model], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if self.urlkey_lookup and looks_like_url(term):
            found = found | queryset.filter(Q(**{self.urlkey_lookup: urlkey(term)}))
        return found, may_have_duplicates


class PageStatusFilter(admin.ChoicesFieldListFilter):
    """The status of a row's page, titled as such (the field alone would read "以 状态")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "原文状态"


def looks_like_url(term: str) -> bool:
    return "://" in term or term.startswith("www.") or ("/" in term and "." in term.split("/", 1)[0])


def beijing(value: datetime | None, with_year: bool = True) -> str:
    """A stored time as a compact Beijing time for list columns ("" when unknown)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")
