"""The versions of a page and the diff of any two: /api/pages/{id}/versions and /api/pages/{id}/diff.

Snapshots come through `Snapshot.objects.public()` (archive/versions.py): a taken-down version is
neither listed nor compared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.params.functions import Path, Query

from ..archive import comparisons as versions
from ..archive.compare import Comparison
from ..archive.diff import Span
from ..archive.models import Snapshot
from .problems import COMMON, ProblemError

router = Router()
MAX_ID = 2**63 - 1  # as endpoints.py: larger ids name nothing


class SpanOut(Schema):
    """A piece of a changed sentence or headline. `text` is the old text for "delete", the new
    text otherwise; `old` is given only where an "equal" piece differs in noise (normalise=true)."""

    op: Literal["equal", "delete", "insert"]
    text: str
    old: str | None = None


class BlockOut(Schema):
    """A run of sentences: `old` joined is this block's part of the old text, `new` of the new."""

    op: Literal["equal", "delete", "insert", "change"]
    old: list[str]
    new: list[str]
    spans: list[SpanOut]  # "change" only: the one sentence, piece by piece


class BodyOut(Schema):
    blocks: list[BlockOut]
    old_chars: int  # characters, spacing not counted
    new_chars: int
    changed_chars: int  # deleted + inserted
    significance: float  # changed / (old + new)
    sentences_changed: int
    sentences_deleted: int
    sentences_inserted: int


class BylineChangeOut(Schema):
    label: str  # 作者, 来源, 本文转自
    old: str
    new: str


class VersionRef(Schema):
    id: int
    url: str  # its snapshot page
    captured: datetime
    content_hash: str
    title: str


class VersionOut(VersionRef):
    significance: float | None  # share of characters changed since the previous version (None: the first)
    changes: list[str]  # headline, lead, body, byline, correction, noise
    diff: str | None  # this API's diff against the previous version
    diff_page: str | None  # the same, as a page


class VersionList(Schema):
    page: int
    original_url: str
    items: list[VersionOut]


class DiffOut(Schema):
    page: int
    from_: VersionRef = Field(..., alias="from")
    to: VersionRef
    normalised: bool
    changes: list[str]
    significance: float  # headline and body characters changed, noise not counted
    title: list[SpanOut]  # empty when the headline is unchanged
    byline: list[BylineChangeOut]
    body: BodyOut


def _problem(e: versions.VersionError) -> ProblemError:
    return ProblemError(e.status, e.code, e.message)


def _span(s: Span) -> dict[str, Any]:
    out: dict[str, Any] = {"op": s.op, "text": s.old if s.op == "delete" else s.new}
    if s.op == "equal" and s.old != s.new:
        out["old"] = s.old
    return out


def _ref(request: HttpRequest, snap: Snapshot) -> dict[str, Any]:
    return {"id": snap.pk, "url": request.build_absolute_uri(reverse("web:snapshot", args=[snap.pk])),
            "captured": snap.captured_at, "content_hash": snap.content_hash, "title": snap.title}


def _version(request: HttpRequest, page_id: int, snap: Snapshot, prev: Snapshot | None,
             result: Comparison | None) -> dict[str, Any]:
    link = None if prev is None else f"?from={prev.pk}&to={snap.pk}"
    return _ref(request, snap) | {
        "significance": None if result is None else round(result.significance, 4),
        "changes": [] if result is None else [k.value for k in result.kinds],
        "diff": link and request.build_absolute_uri(reverse("api:page_diff", args=[page_id]) + link),
        "diff_page": link and request.build_absolute_uri(reverse("web:page-diff", args=[page_id]) + link),
    }


@router.get("/pages/{page_id}/versions", response={200: VersionList, **COMMON}, tags=["pages"],
            summary="A page's public versions, oldest first, each with how much changed since the one before")
def page_versions(request: HttpRequest, page_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    try:
        page, history = versions.public_versions(page_id)
    except versions.VersionError as e:
        raise _problem(e) from None
    items = [_version(request, page_id, snap, history[k - 1] if k else None, result)
             for k, (snap, result) in enumerate(versions.history(history))]
    return {"page": page.pk, "original_url": page.url, "items": items}


@router.get("/pages/{page_id}/diff", response={200: DiffOut, **COMMON}, tags=["pages"], url_name="page_diff",
            by_alias=True, exclude_none=True,
            summary="The diff of two versions of a page: headline, byline, body by sentence and character")
def page_diff(
    request: HttpRequest,
    page_id: int = Path(..., ge=1, le=MAX_ID),
    from_: int | None = Query(None, alias="from", ge=1, le=MAX_ID,
                              description="the older snapshot id (default: the version before `to`)"),
    to: int | None = Query(None, ge=1, le=MAX_ID, description="the newer snapshot id (default: the latest)"),
    normalise: bool = Query(False, description="ignore spacing, full/half width and quote styles"),
) -> dict[str, Any]:
    try:
        page, history = versions.public_versions(page_id)
        old, new = versions.pick(page_id, history, from_, to)
    except versions.VersionError as e:
        raise _problem(e) from None
    result = versions.compare_snapshots(old, new, normalise=normalise)
    body, counts = result.body, result.body.counts()
    return {
        "page": page.pk, "from": _ref(request, old), "to": _ref(request, new),
        "normalised": normalise, "changes": [k.value for k in result.kinds],
        "significance": round(result.significance, 4), "title": [_span(s) for s in result.title],
        "byline": [{"label": c.label, "old": c.old, "new": c.new} for c in result.byline],
        "body": {
            "blocks": [{"op": b.op, "old": list(b.old), "new": list(b.new), "spans": [_span(s) for s in b.spans]}
                       for b in body.blocks],
            "old_chars": body.old_chars, "new_chars": body.new_chars, "changed_chars": body.changed_chars,
            "significance": round(body.significance, 4), "sentences_changed": counts["changed"],
            "sentences_deleted": counts["deleted"], "sentences_inserted": counts["inserted"],
        },
    }
