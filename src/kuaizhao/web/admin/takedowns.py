"""Takedown requests and access rules in the admin: every decision a call to archive.services.

A request's page shows the notice as filed (read-only), its attachments, its rules and its
history, and a decision form (review, hide at once, approve with block or exclude, reject,
counter-notice, restore, uphold) with the reason, which calls services.requests. Rules are added
through services.access (applied at once to every snapshot they cover) and lifted, never edited
or deleted: the record of what was hidden, when and why, is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST

from ...archive.access import AccessRule, TakedownAttachment, TakedownEvent, TakedownRequest, check_pattern
from ...archive.models import RequestState, RuleAction, RuleScope
from ...archive.services import access, requests
from .readonly import ReadOnlyAdmin

MOVES = {"review": "开始审核", "hide_now": "审核期间立即隐藏", "approve_block": "批准：屏蔽（451）",
         "approve_exclude": "批准：排除（404）", "reject": "驳回", "counter": "记录反通知", "restore": "恢复显示",
         "uphold": "维持删除"}


def _catch_up() -> None:
    """Bring the search index up to date, so totals and facets follow the decision at once."""
    # Imported here: admin autodiscovery imports this module in every process (the crawler's too).
    from ...search import sync

    sync.catch_up(wait=10.0)


class DecisionForm(forms.Form):
    move = forms.ChoiceField(label="处理", choices=list(MOVES.items()))
    reason = forms.CharField(label="原因（会记入处理记录；批准和驳回时公示）", widget=forms.Textarea(attrs={"rows": 3}),
                             required=False, max_length=2000)


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TakedownEvent
    fields = ("at", "actor", "what", "was", "became", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "处理记录"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="原状态")
    def was(self, obj: TakedownEvent) -> str:
        return RequestState(obj.from_state).label if obj.from_state in RequestState.values else "—"

    @admin.display(description="新状态")
    def became(self, obj: TakedownEvent) -> str:
        return RequestState(obj.to_state).label if obj.to_state in RequestState.values else "—"


@admin.register(TakedownRequest)
class TakedownRequestAdmin(ReadOnlyAdmin):
    note = "通知按提交时的样子保存；处理请用页面下方的表单，每一步都记入处理记录。"
    list_display = ("number", "received_at", "state", "basis", "claimant", "target_count")
    list_filter = ("state", "basis")
    search_fields = ("number", "name", "organisation", "email")
    inlines = (EventInline,)
    fields = ("number", "state", "received_at", "decided_at", "name", "organisation", "email", "address",
              "relationship", "basis", "target_list", "statement", "evidence", "attachment_links", "sworn",
              "action", "public_reason", "counter_notice", "rule_list")
    readonly_fields = fields
    actions = ("start_review", "hide_at_once")

    @admin.display(description="提交方")
    def claimant(self, obj: TakedownRequest) -> str:
        return obj.organisation or obj.name

    @admin.display(description="网址数")
    def target_count(self, obj: TakedownRequest) -> int:
        return len(obj.targets)

    @admin.display(description="涉及网址")
    def target_list(self, obj: TakedownRequest) -> str:
        return format_html_join("", "<div>{}：{}</div>", ((RuleScope(s).label, p) for s, p in obj.targets))

    @admin.display(description="附件")
    def attachment_links(self, obj: TakedownRequest) -> str:
        return format_html_join("", '<div><a href="{}">{}</a>（{} 字节，{}）</div>', (
            (reverse("admin:archive_takedownrequest_attachment", args=[a.pk]), a.name, a.size, a.content_type)
            for a in obj.attachments.all())) or "—"

    @admin.display(description="访问规则")
    def rule_list(self, obj: TakedownRequest) -> str:
        return format_html_join("", "<div>{}{}</div>", (
            (str(r), "（已撤销）" if r.lifted_at else "") for r in obj.rules.order_by("created_at"))) or "—"

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("archive.change_takedownrequest")

    @admin.action(description="开始审核", permissions=["decide"])
    def start_review(self, request: HttpRequest, queryset: QuerySet[TakedownRequest]) -> None:
        for claim in queryset:
            self._apply(request, claim, "review", "")

    @admin.action(description="审核期间立即隐藏", permissions=["decide"])
    def hide_at_once(self, request: HttpRequest, queryset: QuerySet[TakedownRequest]) -> None:
        for claim in queryset:
            self._apply(request, claim, "hide_now", "审核期间立即隐藏")

    def _apply(self, request: HttpRequest, claim: TakedownRequest, move: str, reason: str) -> None:
        actor = request.user.get_username()
        calls: dict[str, Callable[[], object]] = {
            "review": lambda: requests.review(claim, actor, reason),
            "hide_now": lambda: requests.hide_now(claim, actor, reason),
            "approve_block": lambda: requests.approve(claim, actor, RuleAction.BLOCK, reason),
            "approve_exclude": lambda: requests.approve(claim, actor, RuleAction.EXCLUDE, reason),
            "reject": lambda: requests.reject(claim, actor, reason),
            "counter": lambda: requests.counter(claim, actor, reason),
            "restore": lambda: requests.restore(claim, actor, reason),
            "uphold": lambda: requests.uphold(claim, actor, reason),
        }
        try:
            changed = calls[move]()
        except (requests.RequestError, access.RuleError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        _catch_up()
        hidden = f"，{len(changed)} 条快照的显示状态随之改变" if isinstance(changed, list) else ""
        self.message_user(request, f"{claim.number}：{MOVES[move]}{hidden}", messages.SUCCESS)
        self.log_change(request, claim, MOVES[move])

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {**(extra_context or {})}
        if self.has_decide_permission(request):
            extra["kz_decision_form"] = DecisionForm()
            extra["kz_decision_url"] = reverse("admin:archive_takedownrequest_decide", args=[object_id])
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [path("<int:pk>/decide/", view(self.decide_view), name="archive_takedownrequest_decide"),
                path("attachment/<int:pk>/", view(self.attachment_view), name="archive_takedownrequest_attachment"),
                *super().get_urls()]

    @property
    def decide_view(self) -> Callable[[HttpRequest, int], HttpResponse]:
        @require_POST
        def decide(request: HttpRequest, pk: int) -> HttpResponse:
            if not self.has_decide_permission(request):
                raise PermissionDenied
            claim = get_object_or_404(TakedownRequest, pk=pk)
            form = DecisionForm(request.POST)
            if not form.is_valid():
                self.message_user(request, "请选择处理方式", messages.ERROR)
            elif form.cleaned_data["move"] not in ("review", "hide_now") and not form.cleaned_data["reason"].strip():
                self.message_user(request, "请写明原因（批准、驳回、反通知、恢复和维持删除都需要）", messages.ERROR)
            else:
                self._apply(request, claim, form.cleaned_data["move"], form.cleaned_data["reason"])
            return HttpResponseRedirect(reverse("admin:archive_takedownrequest_change", args=[pk]))

        return decide

    def attachment_view(self, request: HttpRequest, pk: int) -> FileResponse:
        """An evidence file, for operators only, as a download (never rendered inline)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        attachment = get_object_or_404(TakedownAttachment, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except OSError:
            raise Http404("附件文件不在了") from None
        return FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type="application/octet-stream")


class RuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AccessRule
        fields = ("scope", "pattern", "action", "captured_from", "captured_to", "reason")
        help_texts: ClassVar[dict[str, str]] = {"reason": "公开：屏蔽时显示在 451 页面上"}

    def clean(self) -> dict[str, Any]:
        """The checks the service makes, as field errors on the form rather than a refusal."""
        data = super().clean() or {}
        start, end = data.get("captured_from"), data.get("captured_to")
        if start and end and end < start:
            self.add_error("captured_to", "抓取时间的止不能早于起")
        if data.get("pattern") and data.get("scope"):
            try:
                data["pattern"] = check_pattern(data["scope"], data["pattern"])
            except ValueError as exc:
                self.add_error("pattern", str(exc))
        return data


@admin.register(AccessRule)
class AccessRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RuleForm
    list_display = ("pattern", "scope", "action", "window", "request", "created_by", "created_at", "in_force")
    list_filter = ("action", "scope", ("lifted_at", admin.EmptyFieldListFilter))
    search_fields = ("pattern", "key", "request__number")
    actions = ("lift",)

    @admin.display(description="抓取时间范围")
    def window(self, obj: AccessRule) -> str:
        if not obj.captured_from and not obj.captured_to:
            return "全部"
        return f"{obj.captured_from or '…'} — {obj.captured_to or '…'}"

    @admin.display(description="生效", boolean=True)
    def in_force(self, obj: AccessRule) -> bool:
        return obj.lifted_at is None

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request)  # the list's actions; no editing

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AccessRule, form: Any, change: bool) -> None:
        """A new rule goes through the service, which applies it to every snapshot it covers."""
        try:
            rule, changed = access.add_rule(obj.scope, obj.pattern, obj.action, request.user.get_username(),
                                            reason=obj.reason, captured_from=obj.captured_from,
                                            captured_to=obj.captured_to)
        except access.RuleError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk, obj.key, obj.created_by, obj.created_at = rule.pk, rule.key, rule.created_by, rule.created_at
        _catch_up()
        self.message_user(request, f"规则已生效，{len(changed)} 条快照的显示状态随之改变", messages.SUCCESS)
        for allow in access.exceptions_under(rule):
            self.message_user(request, f"注意：允许规则 #{allow.pk}（{allow.pattern}）仍然显示它覆盖的页面；"
                                       "如需一并屏蔽，请撤销它", messages.WARNING)

    @admin.action(description="撤销规则")
    def lift(self, request: HttpRequest, queryset: QuerySet[AccessRule]) -> None:
        try:
            changed = access.lift_rules(list(queryset.filter(lifted_at__isnull=True)), request.user.get_username(),
                                        "在管理后台撤销")
        except access.RuleError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        _catch_up()
        self.message_user(request, f"已撤销，{len(changed)} 条快照的显示状态随之改变", messages.SUCCESS)
