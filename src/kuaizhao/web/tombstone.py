"""451 tombstones: what a reader finds where a blocked snapshot was (RFC 7725).

A snapshot blocked by an access rule is hidden like any other (the gate), but its URL says why:
HTTP 451 with the takedown request's number, the date of the decision and its public reason,
and a `Link: rel="blocked-by"` to the transparency log. Nothing of the snapshot itself (title,
text, capture) is shown. Excluded and withdrawn snapshots are simply not there (404).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..archive.access import AccessRule
from ..archive.models import Snapshot
from ..archive.querysets import SnapshotQuerySet
from ..archive.services.access import deciding
from . import links


class Blocked(Exception):
    """Raised by a view that was asked for a blocked snapshot; answered by TombstoneMiddleware."""

    def __init__(self, url: str, rule: AccessRule | None) -> None:
        super().__init__(url)
        self.url, self.rule = url, rule


def check_snapshot(pk: int) -> None:
    """Raise Blocked if snapshot `pk` is blocked (call it where a public lookup found nothing)."""
    _check(Snapshot.objects.tombstoned().filter(pk=pk))


def check_capture(capture_id: int) -> None:
    _check(Snapshot.objects.tombstoned().filter(capture=capture_id))


def _check(qs: SnapshotQuerySet) -> None:
    row = qs.values_list("page__url", "page__urlkey", "captured_at").first()
    if row is not None:
        url, key, captured_at = row
        raise Blocked(url, _rule(key, captured_at))


def _rule(key: str, captured_at: datetime) -> AccessRule | None:
    return deciding(AccessRule.objects.active().select_related("request"), key, captured_at)


def response(request: HttpRequest, blocked: Blocked) -> HttpResponse:
    """The 451 page: a decided request's number, date and public reason; for a notice still under
    review, only that it is (an operator's working notes are never shown); for an operator's own
    rule, its reason, which the rule form says is public."""
    rule = blocked.rule
    claim = rule.request if rule is not None else None
    decided = claim is not None and claim.decided_at is not None and not (rule and rule.provisional)
    answer = render(request, "tombstone.html", {
        "url": blocked.url, "claim": claim, "decided": decided, "logged": claim is not None and decided,
        "when": claim.decided_at if decided and claim else (rule.created_at if rule and claim is None else None),
        "reason": (claim.public_reason if decided and claim else
                   "相关删除通知正在审核，审核期间暂时屏蔽" if claim else (rule.reason if rule else "")),
    }, status=451)
    answer["Link"] = f'<{request.build_absolute_uri(links.path("web:transparency"))}>; rel="blocked-by"'
    return answer


class TombstoneMiddleware:
    """Turns a view's Blocked into the 451 page, whichever view was asked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return response(request, exception) if isinstance(exception, Blocked) else None
