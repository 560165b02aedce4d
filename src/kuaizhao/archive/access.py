"""Access rules and takedown requests: what may be shown, who asked, and every decision made.

An AccessRule covers URLs (one page, a prefix or a host, matched on SURT keys as web archives
match them; optionally only the captures made within a date range) and blocks (451 tombstone,
still listed as blocked), excludes (404, absent everywhere) or allows (an exception to a broader
rule). Rules bind to URLs, not to snapshot rows: a version captured after the decision is hidden
as the earlier ones are. The effect is written onto each snapshot (`Snapshot.takedown`) by
services/access.py, so the one gate, `Snapshot.objects.public()`, stays one indexed condition.

A TakedownRequest is a notice from a rights holder (the public form at /takedown/), moved through
named states by services/requests.py only; each move is a TakedownEvent (who, when, why).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .states import Basis, Relationship, RequestState, RuleAction, RuleScope
from .urlkeys import host_prefixes, urlkey


class TakedownRequest(models.Model):
    number = models.CharField("编号", max_length=20, unique=True)  # TD-2026-00042: what the claimant quotes
    state = models.CharField("状态", max_length=16, choices=RequestState.choices, default=RequestState.RECEIVED)
    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    # The claimant (never shown publicly, but the organisation, in /transparency/).
    name = models.CharField("姓名", max_length=100)
    organisation = models.CharField("单位", max_length=200, blank=True)
    email = models.EmailField("电子邮箱")
    address = models.CharField("联系地址", max_length=300)
    relationship = models.CharField("与作品的关系", max_length=16, choices=Relationship.choices)
    # What is asked: the URLs with their scope, one [scope, pattern] pair each.
    targets = models.JSONField("涉及网址", default=list)
    basis = models.CharField("理由", max_length=16, choices=Basis.choices)
    statement = models.TextField("说明")
    evidence = models.TextField("初步证明材料", blank=True)
    sworn = models.BooleanField("声明属实", default=False)
    # Set by operators: what the approval does, and why (shown on the 451 page and in the log).
    action = models.CharField("处理方式", max_length=16, choices=RuleAction.choices, blank=True)
    public_reason = models.CharField("公开说明", max_length=300, blank=True)
    counter_notice = models.TextField("反通知", blank=True)
    client = models.CharField("提交来源", max_length=64, blank=True)  # the submitter's address, for rate limits

    class Meta:
        ordering = ("-received_at", "-pk")
        verbose_name = verbose_name_plural = "删除请求"

    def __str__(self) -> str:
        return self.number


class TakedownAttachment(models.Model):
    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="takedown/%Y/%m/", max_length=300)
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "证明材料附件"

    def __str__(self) -> str:
        return self.name


class AccessRuleQuerySet(models.QuerySet["AccessRule"]):
    def active(self) -> AccessRuleQuerySet:
        return self.filter(lifted_at__isnull=True)


class AccessRule(models.Model):
    scope = models.CharField("范围", max_length=8, choices=RuleScope.choices)
    pattern = models.CharField("网址或网站", max_length=2000)  # as the operator or claimant gave it
    key = models.CharField("SURT 键", max_length=2000, db_index=True)
    action = models.CharField("处理", max_length=8, choices=RuleAction.choices)
    captured_from = models.DateTimeField("抓取时间起", null=True, blank=True)
    captured_to = models.DateTimeField("抓取时间止", null=True, blank=True)
    request = models.ForeignKey(TakedownRequest, verbose_name="删除请求", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="rules")
    provisional = models.BooleanField("审核期间临时隐藏", default=False)
    reason = models.CharField("原因", max_length=300, blank=True)
    created_by = models.CharField("设立人", max_length=150)
    created_at = models.DateTimeField("设立时间", default=timezone.now)
    lifted_at = models.DateTimeField("撤销时间", null=True, blank=True)
    lifted_by = models.CharField("撤销人", max_length=150, blank=True)

    objects = AccessRuleQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = verbose_name_plural = "访问规则"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_scope_display()} {self.pattern}"

    @staticmethod
    def key_for(scope: str, pattern: str) -> str:
        """The SURT key (URL, prefix) or host key (host) of a pattern checked by `check_pattern`."""
        if scope == RuleScope.HOST:
            return host_prefixes(_host_of(pattern))[0][: -len(")/")]
        return urlkey(pattern.strip())  # folded: http://a.cn/gn/ → cn,a)/gn

    def matchers(self) -> tuple[list[str], list[str]]:
        """(keys matched exactly, key prefixes) of the pages it covers (`Page.urlkey`).

        A prefix ending in "/" is a directory: http://a.cn/gn/ covers /gn, /gn/…, /gn?… (SURT
        keys drop the trailing slash) and not /gnews/; without the slash, any key starting so
        (…/list?cat=1 covers cat=10 too). A host covers any port and its subdomains."""
        if self.scope == RuleScope.URL:
            return [self.key], []
        if self.scope == RuleScope.HOST:
            return [], [self.key + ")/", self.key + ":", self.key + ","]
        if self.pattern.rstrip().endswith("/") and not self.key.endswith("/"):
            return [self.key], [self.key + "/", self.key + "?"]
        return [], [self.key]

    def match_keys(self) -> list[str]:
        exact, prefixes = self.matchers()
        return exact + prefixes

    def page_q(self, prefix: str = "") -> Q:
        """The pages it covers, as a condition on `<prefix>urlkey`."""
        exact, prefixes = self.matchers()
        q = Q(**{f"{prefix}urlkey__in": exact}) if exact else Q(pk__in=[])
        for k in prefixes:
            q |= Q(**{f"{prefix}urlkey__startswith": k})
        return q

    def covers(self, key: str, captured_at: datetime | None) -> bool:
        exact, prefixes = self.matchers()
        hit = key in exact or any(key.startswith(k) for k in prefixes)
        if not hit or captured_at is None:
            return hit
        return ((self.captured_from is None or captured_at >= self.captured_from)
                and (self.captured_to is None or captured_at <= self.captured_to))

    @property
    def specificity(self) -> tuple[int, int]:
        """The most specific rule covering a capture decides (a URL over a prefix over a host)."""
        rank = {RuleScope.URL: 3, RuleScope.PREFIX: 2, RuleScope.HOST: 1}[RuleScope(self.scope)]
        return rank, len(self.key)


def _host_of(pattern: str) -> str:
    text = pattern.strip()
    return (urlsplit(text if "://" in text else f"http://{text}").netloc or "").lower()


_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")


def check_pattern(scope: str, pattern: str) -> str:
    """The pattern, trimmed, if a rule can be made of it; else ValueError saying why (a rule that
    matches nothing, or more than was asked, is worse than no rule)."""
    text = pattern.strip()
    if not text:
        raise ValueError("网址不能为空")
    if len(text) > 2000 or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError(f"网址中不能有空格或控制字符：{text[:80]}")
    try:
        parts = urlsplit(text if "://" in text else f"http://{text}")
        port = parts.port  # a port that is no number, or out of range, raises here
    except ValueError:
        raise ValueError(f"不是有效的网址：{text[:80]}") from None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"只能是 http 或 https 网址：{text[:80]}")
    if not _valid_host(host):
        raise ValueError(f"网站名无效：{text[:80]}")
    if scope == RuleScope.HOST and (parts.path.strip("/") or parts.query or port in (80, 443)):
        raise ValueError(f"整个网站只需填写网站名（如 news.example.cn），不含路径或默认端口：{text[:80]}")
    return text


def _valid_host(host: str) -> bool:
    if host.startswith("[") or ":" in host:  # IPv6 literal (urlsplit strips the brackets)
        try:
            ipaddress.IPv6Address(host.strip("[]"))
            return True
        except ValueError:
            return False
    labels = host.rstrip(".").split(".")
    return len(labels) >= 2 and all(_LABEL.match(label) for label in labels)


class TakedownEvent(models.Model):
    """One decision, with who made it, when and why: the audit trail of requests and rules."""

    request = models.ForeignKey(TakedownRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    rule = models.ForeignKey(AccessRule, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    what = models.CharField("事件", max_length=300)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16, blank=True)
    actor = models.CharField("操作人", max_length=150)
    at = models.DateTimeField("时间", default=timezone.now)
    reason = models.TextField("原因", blank=True)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = verbose_name_plural = "处理记录"

    def __str__(self) -> str:
        return f"{self.actor}: {self.what}"
