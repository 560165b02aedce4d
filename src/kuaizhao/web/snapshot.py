"""The snapshot page (the reference page's blocks, top to bottom) and the raw capture behind it.

Every read of snapshots starts from `Snapshot.objects.public()`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..archive.models import Snapshot
from ..archive.warc import StoredResponse
from ..extract.decode import decode
from ..search import service as search_service
from ..search.snippets import lead
from . import fate, feeds, listings, stored, story, tombstone, wayback

# What a captured page may do when shown: nothing. No scripts, no requests, no forms, no top
# navigation; the browser treats it as a unique origin (CSP sandbox without allow-* tokens).
RAW_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; media-src 'none'; "
           "script-src 'none'; connect-src 'none'; form-action 'none'; frame-ancestors 'self'")


def _public_snapshot(pk: int) -> Snapshot:
    """The snapshot if a reader may see it; a blocked one answers 451 (tombstone.py), else 404."""
    found = Snapshot.objects.public().select_related("page", "capture", "category", "source").filter(pk=pk).first()
    if found is None:
        tombstone.check_snapshot(pk)
        raise Http404("没有找到这个快照，它可能已被删除。")
    return found


COPIES_SHOWN = 20  # other pages of the story listed on a snapshot page


@require_safe
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _public_snapshot(pk)
    history = fate.versions(snap)
    phrases, related = search_service.related(snap)
    copies = _copies(snap, COPIES_SHOWN + 1)
    lineage = story.summary(snap) if copies else None
    response = render(request, "snapshot.html", {
        "snap": snap, "page": snap.page, "history": history, "current_category": snap.category,
        "fate": fate.fate(snap.page, snap, history), "clocks": fate.clocks(snap, lineage.earliest if lineage else None),
        "copies": copies[:COPIES_SHOWN], "more_copies": len(copies) > COPIES_SHOWN, "lineage": lineage,
        "more": more_in_category(snap), "related": related, "phrases": phrases,
        "feeds": feeds.alternates("category", snap.category.name, snap.category.slug) if snap.category else [],
    })
    return wayback.snapshot_headers(request, response, snap)


def _copies(snap: Snapshot, limit: int) -> list[Snapshot]:
    """The same story on other pages (reprints, rewrites of one wire story), earliest first."""
    if snap.story_id is None:
        return []
    return list(Snapshot.objects.public().current().filter(story=snap.story_id).exclude(page=snap.page_id)
                .select_related("source", "page").only("title", "sort_time", "source__name", "page__host")
                .order_by("sort_time", "pk")[:limit])


def _stored(snap: Snapshot) -> StoredResponse:
    return stored.read(snap.capture)


@require_safe
def raw_capture(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _public_snapshot(pk)
    stored = _stored(snap)
    return render(request, "raw.html", {"snap": snap, "capture": snap.capture, "stored": stored})


@require_safe
def raw_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The captured body, byte for byte, in a sandbox that cannot run or load anything."""
    snap = _public_snapshot(pk)
    stored = _stored(snap)
    content_type = snap.capture.content_type or "text/html"
    response = HttpResponse(stored.body, content_type=f"{content_type}; charset={snap.charset or 'utf-8'}")
    response["Content-Security-Policy"] = RAW_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def raw_source(request: HttpRequest, pk: int) -> HttpResponse:
    """The capture as text: status line, headers and the decoded body."""
    snap = _public_snapshot(pk)
    stored = _stored(snap)
    head = [f"{snap.capture.http_status} {snap.capture.url}", *(f"{k}: {v}" for k, v in stored.headers)]
    text = decode(stored.body, snap.capture.content_type, snap.charset or None).text
    response = HttpResponse("\n".join(head) + "\n\n" + text, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def more_in_category(snap: Snapshot, limit: int = 10) -> list[tuple[Snapshot, str]]:
    """更多关于…的资讯: the newest other stories in the snapshot's category (each once), with a lead."""
    if not snap.category_id:
        return []
    others = listings.candidates(category=snap.category_id).exclude(page=snap.page_id)
    if snap.story_id is not None:
        others = others.exclude(story=snap.story_id)  # its reprints are not "more news"
    rows = listings.Stories(others.only("title", "text", "sort_time", "story")).first(limit)  # what the block shows
    return [(s, lead(s.text, 60)) for s in rows]
