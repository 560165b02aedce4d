"""Memento (RFC 7089): snapshot pages as mementos, TimeMaps and TimeGates.

One memento per archived version: each public snapshot, dated by the fetch that first saw its
content (refetches that found the same content are not repeated; they add no version). Everything
comes through `Snapshot.objects.public()`, so a taken-down version is in no TimeMap, and a TimeGate
never leads to it. The CDX server is cdx.py; Wayback-style replay URLs are replay.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from ..archive.models import Snapshot
from ..archive.querysets import SnapshotQuerySet
from ..archive.urlkeys import urlkey
from . import links, tombstone

LINK_FORMAT = "application/link-format"


def timestamp14(when: datetime) -> str:
    when = when.astimezone(UTC)
    return f"{when.year:04d}" + when.strftime("%m%d%H%M%S")  # %Y leaves years before 1000 unpadded


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _mementos(url: str, listed: bool = False) -> SnapshotQuerySet:
    """Public snapshots of the page at `url`, oldest first (`listed`: and blocked ones, as a
    TimeMap lists them).

    Pages are matched on their canonical URL's key (`Page.urlkey`, indexed), as Wayback matches,
    so http/https, `www.`, case and query order do not matter.
    """
    gate = Snapshot.objects.listed() if listed else Snapshot.objects.public()
    return (gate.select_related("page", "capture").filter(page__urlkey=urlkey(url))
            .only("pk", "page__url", "capture__fetched_at", "captured_at", "takedown")
            .order_by("capture__fetched_at", "pk"))


class BadOriginal(ValueError):
    """An embedded URL no page can have (control characters): a 400, not a lookup."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def uri(url: str) -> str:
    """A URL as it may stand in a header or a link-format `<…>`: every character that could end
    the `<…>` or the header, or is not ASCII, percent-encoded (existing escapes kept)."""
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~")


def original_url(path_url: str, request: HttpRequest) -> str:
    """The URL embedded in a /timemap/link/<url> (or /web/<ts>/<url>) path. Proxies and clients may squeeze the
    scheme's `//` to `/`; the query string belongs to the embedded URL."""
    if _CONTROL.search(path_url) or _CONTROL.search(request.META.get("QUERY_STRING", "")):
        raise BadOriginal("网址中有控制字符")
    url = path_url
    for scheme in ("http:/", "https:/"):
        if url.startswith(scheme) and not url.startswith(scheme + "/"):
            url = scheme + "/" + url[len(scheme):]
    if "//" not in url:
        url = "http://" + url
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return url


def memento_links(request: HttpRequest, original: str) -> tuple[str, str]:
    """Absolute TimeMap and TimeGate URIs of an original URL."""
    return (uri(request.build_absolute_uri(links.path("web:timemap", "") + uri(original))),
            uri(request.build_absolute_uri(links.path("web:timegate", "") + uri(original))))


def snapshot_headers(request: HttpRequest, response: HttpResponse, snap: Snapshot) -> HttpResponse:
    """Memento headers on a snapshot page: it is a memento of its page's URL."""
    original = snap.page.url
    timemap, timegate = memento_links(request, original)
    response["Memento-Datetime"] = http_date(snap.capture.fetched_at)
    response["Link"] = (f'<{uri(original)}>; rel="original", <{timemap}>; rel="timemap"; type="{LINK_FORMAT}", '
                        f'<{timegate}>; rel="timegate"')
    return response


def _not_archived(original: str) -> HttpResponse:
    return _text(404, f"本站没有 {original} 的存档")


def refuse_bad_originals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A 400 in plain words for an embedded URL with control characters (never a 500)."""
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadOriginal as exc:
            return _text(400, str(exc))

    return checked


@require_safe
@refuse_bad_originals
def timemap(request: HttpRequest, url: str) -> HttpResponse:
    original = original_url(url, request)
    mementos = list(_mementos(original, listed=True))
    if not mementos:
        return _not_archived(original)
    self_uri, timegate = memento_links(request, original)
    first, last = mementos[0].capture.fetched_at, mementos[-1].capture.fetched_at
    lines = [
        f'<{uri(original)}>; rel="original"',
        f'<{self_uri}>; rel="self"; type="{LINK_FORMAT}"; from="{http_date(first)}"; until="{http_date(last)}"',
        f'<{timegate}>; rel="timegate"',
    ]
    for i, s in enumerate(mementos):
        rel = " ".join([*(["first"] if i == 0 else []), *(["last"] if i == len(mementos) - 1 else []), "memento"])
        memento = request.build_absolute_uri(links.path("web:snapshot", s.pk))
        blocked = '; access="blocked"' if not s.is_public else ""  # its URL answers 451
        lines.append(f'<{memento}>; rel="{rel}"; datetime="{http_date(s.capture.fetched_at)}"{blocked}')
    return HttpResponse(",\n".join(lines) + "\n", content_type=LINK_FORMAT)


@require_safe
@refuse_bad_originals
def timegate(request: HttpRequest, url: str) -> HttpResponse:
    """302 to the memento closest to Accept-Datetime (the latest without one)."""
    original = original_url(url, request)
    wanted_header = request.headers.get("Accept-Datetime")
    wanted = None
    if wanted_header:
        try:
            wanted = parsedate_to_datetime(wanted_header)
        except (TypeError, ValueError):
            wanted = None
        if wanted is None or wanted.tzinfo is None:
            return _text(400, f"Accept-Datetime 应为 RFC 1123 时间，如 Thu, 01 Jan 2026 00:00:00 GMT：{wanted_header}")
    mementos = list(_mementos(original))
    if not mementos:
        blocked = _mementos(original, listed=True).values_list("pk", flat=True).last()
        if blocked is not None:
            tombstone.check_snapshot(blocked)
        response = _not_archived(original)
    else:
        if wanted is None:
            best = mementos[-1]
        else:
            best = min(mementos, key=lambda s: (abs((s.capture.fetched_at - wanted).total_seconds()), -s.pk))
        response = HttpResponseRedirect(request.build_absolute_uri(links.path("web:snapshot", best.pk)))
    timemap_uri, _ = memento_links(request, original)
    response["Vary"] = "accept-datetime"
    response["Link"] = f'<{uri(original)}>; rel="original", <{timemap_uri}>; rel="timemap"; type="{LINK_FORMAT}"'
    return response
