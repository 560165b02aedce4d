"""What became of the original, said at the top of a snapshot page, and the four clocks.

A reader of an archived article first wants to know whether the original still stands: 原文已于 X
删除 / 原文已修改 N 次（最近 X）/ 原文仍在线（最后确认 X）, and whether the version in front of them
is the latest. Then four times that are easy to confuse: when the page says it was published, when
the story was first published anywhere (its earliest copy), when this version was captured, and
when the original was last seen live. Everything read here goes through `public()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..archive.models import ChangeKind, Page, PageChange, PageStatus, RemovalReason, Snapshot


@dataclass(frozen=True)
class Version:
    snapshot: Snapshot
    significance: float | None  # share of characters changed from the previous version
    latest: bool


@dataclass(frozen=True)
class Fate:
    status: str  # a PageStatus value, for the badge's class
    says: str  # 原文已于 … 删除 / 原文已修改 N 次（最近 …）/ 原文仍在线（最后确认 …）
    at: datetime | None  # the time the sentence names
    reason: str  # how the deletion showed, when removed
    is_latest: bool  # whether the version being read is the newest public one
    latest_pk: int | None
    edits: int


@dataclass(frozen=True)
class Clocks:
    published: Snapshot  # the page's own publish time is on the snapshot (with its precision)
    first_anywhere: datetime | None  # the story's earliest public copy, when it is earlier than this one
    captured: datetime
    last_seen: datetime | None


def versions(snap: Snapshot) -> list[Version]:
    """The page's public versions, oldest first, with how much each changed from the one before."""
    history = list(Snapshot.objects.public().filter(page=snap.page_id).order_by("captured_at", "pk")
                   .only("pk", "title", "captured_at"))
    amounts = dict(PageChange.objects.filter(page=snap.page_id, kind=ChangeKind.EDITED, after__isnull=False)
                   .values_list("after_id", "significance"))
    newest = history[-1].pk if history else None
    return [Version(h, amounts.get(h.pk), h.pk == newest) for h in history]


def fate(page: Page, snap: Snapshot, history: list[Version]) -> Fate:
    edits = max(len(history) - 1, 0)
    latest = history[-1].snapshot.pk if history else None
    is_latest = latest == snap.pk
    if page.status == PageStatus.REMOVED:
        reason = RemovalReason(page.removal_reason).label if page.removal_reason else ""
        return Fate(page.status, "原文已于 {at} 删除", page.removed_at or page.last_fetched, reason, is_latest, latest,
                    edits)
    if edits:  # the latest public version was captured when its edit was first seen
        return Fate(page.status, f"原文已修改 {edits} 次（最近 {{at}}）", history[-1].snapshot.captured_at, "",
                    is_latest, latest, edits)
    if page.status == PageStatus.UNREACHABLE:
        return Fate(page.status, "原文暂时无法访问（{at} 核对）", page.last_fetched, "", is_latest, latest, edits)
    return Fate(page.status, "原文仍在线（最后确认 {at}）", page.last_seen or page.last_fetched, "", is_latest, latest,
                edits)


def clocks(snap: Snapshot, earliest: datetime | None) -> Clocks:
    """`earliest`: the story's earliest copy (story.summary's), None when the story has one copy."""
    first = earliest if earliest is not None and earliest < snap.sort_time else None
    return Clocks(snap, first, snap.captured_at, snap.page.last_seen)
