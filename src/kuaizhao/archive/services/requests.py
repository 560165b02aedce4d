"""Takedown requests: the workflow from a notice to a decision, every move a recorded service call.

    received ──► reviewing ──► approved ──► countered ──► restored
        │            │            (rules in force)   └──► upheld
        └────────────┴──► rejected

An operator may hide the URLs at once while a request is under review (`hide_now`: provisional
block rules); approving replaces them with the decided action's rules, rejecting lifts them.
Each move is a TakedownEvent with who, when and why; the admin's actions and `kuaizhao takedown`
call these functions and nothing else changes a request's state.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..access import AccessRule, TakedownAttachment, TakedownEvent, TakedownRequest
from ..models import RequestState, RuleAction, RuleScope
from .access import add_rule, lift_rules

S = RequestState
# The moves each state allows; anything else is refused with a message saying why.
MOVES: dict[str, tuple[S, ...]] = {
    "review": (S.RECEIVED,),
    "hide_now": (S.RECEIVED, S.REVIEWING),
    "approve": (S.RECEIVED, S.REVIEWING),
    "reject": (S.RECEIVED, S.REVIEWING),
    "counter": (S.APPROVED,),
    "restore": (S.APPROVED, S.COUNTERED),
    "uphold": (S.COUNTERED,),
}


class RequestError(ValueError):
    """A move the request's state does not allow, or a request that does not exist."""


@dataclass
class Notice:
    """A takedown notice as the public form (or an operator) hands it in."""

    name: str
    email: str
    address: str
    relationship: str
    basis: str
    statement: str
    targets: list[tuple[str, str]]  # (scope, pattern)
    organisation: str = ""
    evidence: str = ""
    sworn: bool = False
    client: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)  # (name, content, content type)


def submit(notice: Notice) -> TakedownRequest:
    """File a notice; returns the request with its number."""
    from django.core.files.base import ContentFile

    with transaction.atomic():
        now = timezone.now()
        request = TakedownRequest(
            received_at=now, name=notice.name, organisation=notice.organisation,
            email=notice.email, address=notice.address, relationship=notice.relationship,
            targets=[list(t) for t in notice.targets], basis=notice.basis, statement=notice.statement,
            evidence=notice.evidence, sworn=notice.sworn, client=notice.client[:64])
        for attempt in range(5):  # two notices filed at the same moment may draw the same number
            request.number = _next_number(now.year)
            try:
                with transaction.atomic():
                    request.save(force_insert=True)
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        for name, content, content_type in notice.attachments:
            attachment = TakedownAttachment(request=request, name=name[:200], size=len(content),
                                            content_type=content_type[:100])
            # Stored under a name of our own (the claimant's may be anything); shown as theirs.
            suffix = "".join(c for c in name.rsplit(".", 1)[-1][:8] if c.isalnum()) if "." in name else ""
            attachment.file.save(uuid.uuid4().hex + (f".{suffix}" if suffix else ""), ContentFile(content), save=True)
        TakedownEvent.objects.create(request=request, what="收到请求", to_state=S.RECEIVED, actor="claimant")
    return request


def _next_number(year: int) -> str:
    """TD-<year>-<n>: numbered in order within the year (the unique column, and `submit` drawing
    again, keep two notices from sharing one)."""
    prefix = f"TD-{year}-"
    last = TakedownRequest.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:05d}"


def get(number: str) -> TakedownRequest:
    number = number.strip().upper()
    try:
        return TakedownRequest.objects.get(number=number)
    except TakedownRequest.DoesNotExist:
        raise RequestError(f"没有编号为 {number} 的删除请求") from None


def review(request: TakedownRequest, actor: str, reason: str = "") -> TakedownRequest:
    return _move(request, "review", S.REVIEWING, actor, reason)


def hide_now(request: TakedownRequest, actor: str, reason: str = "") -> list[int]:
    """Hide what the request names at once, while it is reviewed; returns the snapshots hidden."""
    _check(request, "hide_now")
    if request.rules.active().exists():
        return []  # hidden already
    with transaction.atomic():
        changed = _rules_for(request, RuleAction.BLOCK, actor, reason or "审核期间临时隐藏", provisional=True)
        TakedownEvent.objects.create(request=request, what="审核期间临时隐藏", from_state=request.state,
                                     to_state=request.state, actor=actor, reason=reason)
    return changed


def approve(request: TakedownRequest, actor: str, action: str = RuleAction.BLOCK, reason: str = "",
            targets: Sequence[tuple[str, str]] | None = None) -> list[int]:
    """Approve with an action (block or exclude) on the request's URLs (or the operator's
    restatement of them); returns the snapshots whose state changed."""
    if action not in (RuleAction.BLOCK, RuleAction.EXCLUDE):
        raise RequestError("批准时的处理方式只能是屏蔽（block）或排除（exclude）")
    _check(request, "approve")
    with transaction.atomic():
        provisional = list(request.rules.active())
        if targets is not None:
            request.targets = [list(t) for t in targets]
        request.action, request.public_reason = action, reason[:300]
        changed = _rules_for(request, action, actor, reason)
        changed += lift_rules(provisional, actor, "由批准后的规则取代", for_request=True)
        _move(request, "approve", S.APPROVED, actor, reason, decided=True)
    return sorted(set(changed))


def reject(request: TakedownRequest, actor: str, reason: str) -> list[int]:
    _check(request, "reject")
    with transaction.atomic():
        changed = lift_rules(request.rules.active(), actor, "请求被驳回", for_request=True)
        request.public_reason = reason[:300]
        _move(request, "reject", S.REJECTED, actor, reason, decided=True)
    return changed


def counter(request: TakedownRequest, actor: str, statement: str) -> TakedownRequest:
    """Record a counter-notice against an approved removal (the rules stay while it is weighed)."""
    request.counter_notice = statement
    return _move(request, "counter", S.COUNTERED, actor, statement)


def restore(request: TakedownRequest, actor: str, reason: str) -> list[int]:
    """Lift the request's rules: everything it hid is shown again."""
    _check(request, "restore")
    with transaction.atomic():
        changed = lift_rules(request.rules.active(), actor, reason, for_request=True)
        _move(request, "restore", S.RESTORED, actor, reason, decided=True)
    return changed


def uphold(request: TakedownRequest, actor: str, reason: str) -> TakedownRequest:
    return _move(request, "uphold", S.UPHELD, actor, reason, decided=True)


def _rules_for(request: TakedownRequest, action: str, actor: str, reason: str,
               provisional: bool = False) -> list[int]:
    changed: list[int] = []
    for scope, pattern in request.targets:
        _, ids = add_rule(scope if scope in RuleScope.values else RuleScope.URL, pattern, action, actor,
                          reason=reason or request.get_basis_display(), request=request, provisional=provisional)
        changed += ids
    return changed


def _check(request: TakedownRequest, move: str) -> None:
    if request.state not in MOVES[move]:
        allowed = "、".join(S(s).label for s in MOVES[move])
        raise RequestError(f"{request.number} 当前为「{request.get_state_display()}」，"
                           f"只有「{allowed}」的请求可以这样处理")


def _move(request: TakedownRequest, move: str, to: S, actor: str, reason: str,
          decided: bool = False) -> TakedownRequest:
    with transaction.atomic():
        # The state as stored, locked: two operators deciding at once cannot both move it.
        request.state = TakedownRequest.objects.select_for_update().values_list("state", flat=True).get(pk=request.pk)
        _check(request, move)
        was = request.state
        request.state = to
        if decided:
            request.decided_at = timezone.now()
        request.save()
        TakedownEvent.objects.create(request=request, what=to.label, from_state=was, to_state=to, actor=actor[:150],
                                     reason=reason)
    return request


def rules_of(request: TakedownRequest) -> list[AccessRule]:
    return list(request.rules.order_by("created_at", "pk"))
