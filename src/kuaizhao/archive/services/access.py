"""Access rules: making them, lifting them, and writing their effect onto every snapshot they cover.

A rule's effect is materialised in `Snapshot.takedown` (blocked / excluded), for the snapshots
that exist when the rule is made or lifted (`refresh`) and for every snapshot stored later
(`state_for`, called by `store_captures` as it creates them), in the same transaction as the
change, with the search index's change log beside it. Where rules overlap, the most specific one
decides (a URL over a prefix over a host; at equal specificity exclude over block over allow),
as in pywb. With no rule, a page that now says noarchive stays withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..access import AccessRule, TakedownEvent, TakedownRequest, check_pattern
from ..models import Page, PageStatus, RuleAction, RuleScope, Snapshot, TakedownState
from .changes import log_index_changes

_STATE = {RuleAction.BLOCK: TakedownState.BLOCKED, RuleAction.EXCLUDE: TakedownState.EXCLUDED}
_WEIGHT = {RuleAction.EXCLUDE: 2, RuleAction.BLOCK: 1, RuleAction.ALLOW: 0}


class RuleError(ValueError):
    """A rule that cannot be made as asked (an empty pattern, a date range that ends first)."""


def deciding(rules: Iterable[AccessRule], key: str, captured_at: datetime | None) -> AccessRule | None:
    """The rule that decides for a capture of the page with this SURT key, if any covers it."""
    covering = [r for r in rules if r.covers(key, captured_at)]
    return max(covering, key=lambda r: (r.specificity, _WEIGHT[RuleAction(r.action)]), default=None)


def state_for(rules: Sequence[AccessRule], key: str, captured_at: datetime | None,
              noarchive: bool = False) -> TakedownState:
    """What a snapshot of this page, captured then, may be: the deciding rule's state, else
    withdrawn if the page says noarchive, else public."""
    rule = deciding(rules, key, captured_at)
    if rule is not None and rule.action in _STATE:
        return _STATE[RuleAction(rule.action)]
    return TakedownState.WITHDRAWN if noarchive else TakedownState.NONE


def excluded(rules: Sequence[AccessRule], key: str, when: datetime) -> bool:
    """Whether a capture of this page made `when` would be excluded (the crawler does not fetch it)."""
    return state_for(rules, key, when) == TakedownState.EXCLUDED


def stamp_new(snapshots: Iterable[tuple[Snapshot, str]], rules: Sequence[AccessRule]) -> None:
    """Give snapshots about to be created (with their page's SURT key) the state the rules say:
    a rule binds to the URL, so a version captured after the decision is hidden as the others."""
    for snapshot, key in snapshots:
        snapshot.takedown = state_for(rules, key, snapshot.captured_at)


def add_rule(scope: str, pattern: str, action: str, actor: str, *, reason: str = "",
             captured_from: datetime | None = None, captured_to: datetime | None = None,
             request: TakedownRequest | None = None, provisional: bool = False) -> tuple[AccessRule, list[int]]:
    """Make a rule and apply it; returns it and the ids of the snapshots whose state changed."""
    if scope not in RuleScope.values or action not in RuleAction.values:
        raise RuleError(f"未知的范围或处理方式：{scope} / {action}")
    try:
        pattern = check_pattern(scope, pattern)
    except ValueError as exc:
        raise RuleError(str(exc)) from None
    if captured_from and captured_to and captured_to < captured_from:
        raise RuleError("抓取时间的止不能早于起")
    with transaction.atomic():
        lock_rules()
        rule = AccessRule.objects.create(
            scope=scope, pattern=pattern[:2000], key=AccessRule.key_for(scope, pattern)[:2000], action=action,
            captured_from=captured_from, captured_to=captured_to, request=request, provisional=provisional,
            reason=reason[:300], created_by=actor[:150])
        TakedownEvent.objects.create(rule=rule, request=request, what=f"设立规则：{rule}"[:300], actor=actor[:150],
                                     reason=reason)
        changed = refresh(rule.page_q())
    return rule, changed


def lift_rules(rules: Iterable[AccessRule], actor: str, reason: str = "", for_request: bool = False) -> list[int]:
    """Lift rules (kept, with who lifted them and when); returns the snapshots whose state changed.

    A rule made by a takedown request is lifted through that request (restore, reject), so that
    the request never says it is in force when it is not: `for_request` is that path."""
    rules = [r for r in rules if r.lifted_at is None]
    owned = [r for r in rules if r.request_id is not None]
    if owned and not for_request:
        numbers = "、".join(sorted({r.request.number for r in owned if r.request}))
        raise RuleError(f"规则 #{owned[0].pk} 由删除请求 {numbers} 设立：请在该请求上处理（恢复或驳回）")
    if not rules:
        return []
    with transaction.atomic():
        lock_rules()
        now = timezone.now()
        covered = Q()
        for rule in rules:
            rule.lifted_at, rule.lifted_by = now, actor[:150]
            rule.save(update_fields=["lifted_at", "lifted_by"])
            TakedownEvent.objects.create(rule=rule, request=rule.request, what=f"撤销规则：{rule}"[:300],
                                         actor=actor[:150], reason=reason)
            covered |= rule.page_q()
        return refresh(covered)


def refresh(pages: Q) -> list[int]:
    """Write the rules' effect onto the snapshots of the pages matching `pages` (a condition on
    Page); returns the ids of the snapshots whose state changed, logged for the search index."""
    rules = list(AccessRule.objects.active())
    rows = (Snapshot.objects.filter(page__in=Page.objects.filter(pages).values("pk"))
            .values_list("pk", "page__urlkey", "captured_at", "takedown", "page__status"))
    moves: dict[str, list[int]] = {}
    for pk, key, captured_at, now, status in rows.iterator(chunk_size=2000):
        new = state_for(rules, key, captured_at, noarchive=status == PageStatus.EXCLUDED)
        if new != now:
            moves.setdefault(new, []).append(pk)
    for state, ids in moves.items():
        Snapshot.objects.filter(pk__in=ids).update(takedown=state)
    changed = sorted(pk for ids in moves.values() for pk in ids)
    log_index_changes(changed)
    return changed


def exceptions_under(rule: AccessRule) -> list[AccessRule]:
    """Allow rules in force that are more specific than this block or exclude rule and inside it:
    they still show what they cover (an operator's earlier restore), which the maker should know."""
    if rule.action == RuleAction.ALLOW:
        return []
    return [a for a in AccessRule.objects.active().filter(action=RuleAction.ALLOW)
            if a.specificity > rule.specificity and rule.covers(a.match_keys()[0], None)]


# Rules and stored captures take turns on PostgreSQL: a batch reads the rules, then creates its
# snapshots; a rule made in between would miss them (its refresh cannot see rows not yet
# committed) and leave a new version of a taken-down page public. A batch holds the lock shared,
# a rule change exclusively, both to the end of their transaction. SQLite serialises writers.
_LOCK_KEY = 0x6B7A_7275  # "kzru"


def lock_rules(shared: bool = False) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock{'_shared' if shared else ''}(%s)", [_LOCK_KEY])


def rules_in_force() -> list[AccessRule]:
    """The active rules, for deciding page by page (the crawler skips what they exclude now)."""
    return list(AccessRule.objects.active())
