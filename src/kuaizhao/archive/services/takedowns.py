"""Operators' direct takedowns (the admin's snapshot actions, `kuaizhao takedown rule`), and the
publisher's later noarchive.

A direct takedown is an access rule on the snapshot's page URL (services/access.py), so it holds
for every version of that page, those captured later included; restoring lifts that rule, or
makes an exception to a broader one. The hiding itself is `Snapshot.objects.public()`
(querysets.py), which every public read starts from; the search index hears of it through the
change log written in the same transaction, and the caller (the admin, the CLI) then applies the
log so that search totals and facets follow at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..access import AccessRule
from ..models import ChangeKind, Page, RuleAction, RuleScope, Snapshot, TakedownState
from .access import RuleError, add_rule, deciding, lift_rules
from .versions import Seen


def take_down(snapshot_ids: Iterable[int], actor: str = "operator", reason: str = "",
              action: str = RuleAction.BLOCK, versions_only: bool = False) -> list[int]:
    """Hide the pages of these snapshots (every version, now and later); returns the ids of the
    snapshots that were public until now. `versions_only`: just these versions (a rule on the
    page's URL limited to each one's capture time), e.g. an early version corrected since."""
    changed: list[int] = []
    if versions_only:
        for url, at in (Snapshot.objects.filter(pk__in=list(snapshot_ids)).order_by("pk")
                        .values_list("page__url", "captured_at")):
            changed += add_rule(RuleScope.URL, url, action, actor, reason=reason, captured_from=at,
                                captured_to=at)[1]
        return sorted(set(changed))
    for url in _page_urls(snapshot_ids):
        changed += add_rule(RuleScope.URL, url, action, actor, reason=reason)[1]
    return sorted(set(changed))


def restore(snapshot_ids: Iterable[int], actor: str = "operator", reason: str = "") -> list[int]:
    """Show the pages of these snapshots again: their own URL rules are lifted, and a broader
    rule still covering them gets an allow exception; returns the ids shown again."""
    changed: list[int] = []
    pages = list(Page.objects.filter(snapshots__pk__in=list(snapshot_ids)).distinct().values_list("url", "urlkey"))
    for _, key in pages:  # refused before anything changes: a request's decision is undone on the request
        rule = deciding(AccessRule.objects.active().filter(request__isnull=False), key, None)
        if rule is not None and rule.action != RuleAction.ALLOW and rule.request is not None:
            raise RuleError(f"这个网址由删除请求 {rule.request.number} 屏蔽：请在该请求上处理（恢复）")
    for url, key in pages:
        own = (AccessRule.objects.active().filter(scope=RuleScope.URL, key=key, request__isnull=True)
               .exclude(action=RuleAction.ALLOW))
        changed += lift_rules(own, actor, reason)
        rule = deciding(AccessRule.objects.active(), key, None)
        if rule is not None and rule.action != RuleAction.ALLOW:
            changed += add_rule(RuleScope.URL, url, RuleAction.ALLOW, actor, reason=reason)[1]
    return sorted(set(changed))


def _page_urls(snapshot_ids: Iterable[int]) -> list[str]:
    return list(Page.objects.filter(snapshots__pk__in=list(snapshot_ids)).distinct().order_by("pk")
                .values_list("url", flat=True))


# A publisher's noarchive, said after we captured the page: its snapshots leave public view,
# recorded (a PageChange) and reversible — withdrawn through the gate, not deleted, and back if a
# later fetch no longer says noarchive. An operator's takedown is another state, never undone here.
def apply_noarchive(seen: Sequence[Seen]) -> list[int]:
    """Withdraw or bring back the snapshots of pages whose noarchive changed; returns their ids."""
    withdraw = [s.page.pk for s in seen if s.kind == ChangeKind.WITHDRAWN]
    back = [s.page.pk for s in seen if s.kind == ChangeKind.RESTORED]
    changed: list[int] = []
    for pages, old, new in ((withdraw, TakedownState.NONE, TakedownState.WITHDRAWN),
                            (back, TakedownState.WITHDRAWN, TakedownState.NONE)):
        if pages:
            ids = list(Snapshot.objects.filter(page__in=pages, takedown=old).values_list("pk", flat=True))
            Snapshot.objects.filter(pk__in=ids).update(takedown=new)
            changed += ids
    return changed
