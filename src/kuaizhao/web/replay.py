"""Wayback-style replay URLs: `/web/<timestamp><mode>/<original URL>`, what Wayback clients fetch.

A client that found a line in the CDX answer (EDGI's `wayback`, pywb, cdx_toolkit with `wb=`)
asks for `/web/20260117123700id_/http://…`. The capture with exactly that timestamp is answered
with what was captured: the body byte for byte (content-decoded), the status it had, the captured
headers as `X-Archive-Orig-*`, `Memento-Datetime` and a `Link` to the original, in the same sandbox
as the raw capture page. Any other timestamp redirects to the closest capture, as Wayback does.
Without a mode (Wayback's view mode) a version opens its snapshot page.
Lines come from the CDX server's own query, so the gate is the same.
"""

from __future__ import annotations

import re

from django.http import BadHeaderError, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from ..archive.models import Capture, Snapshot
from . import cdx_lines, links, tombstone, wayback
from .cdx_params import CdxQuery, timestamp_bound
from .snapshot import RAW_CSP
from .stored import read as read_stored

_MEMENTO_PATH = re.compile(r"(\d{1,14})([a-z]{2}_)?/(.+)", re.DOTALL)


@require_safe
@wayback.refuse_bad_originals
def memento(request: HttpRequest, rest: str) -> HttpResponse:
    parts = _MEMENTO_PATH.fullmatch(rest)
    if parts is None:
        raise Http404("网址应为 /web/<时间 yyyyMMddhhmmss>[id_]/<原网址>")
    stamp, mode, path_url = parts.group(1), parts.group(2) or "", parts.group(3)
    original = wayback.original_url(path_url, request)
    try:
        when = timestamp_bound(stamp, upper=False)
    except ValueError:
        when = None
    if when is None:
        raise Http404(f"时间无效：{stamp}")
    found = cdx_lines.answer(CdxQuery(url=original, sort="closest", closest=when, limit=1)).lines
    if not found:
        raise Http404(f"本站没有 {original} 的存档")
    best = found[0]
    if best.fields["timestamp"] != stamp:
        return HttpResponseRedirect(f"/web/{best.fields['timestamp']}{mode}/{best.fields['original']}")
    tombstone.check_capture(best.capture_id)  # CDX lists a blocked capture; replaying it is a 451
    capture = Capture.objects.get(pk=best.capture_id)
    if not mode:
        snap = Snapshot.objects.public().filter(capture=capture).only("pk").first()
        if snap is not None:
            return HttpResponseRedirect(links.path("web:snapshot", snap.pk))
    return _replay(request, capture)


def _replay(request: HttpRequest, capture: Capture) -> HttpResponse:
    stored = read_stored(capture)
    captured_type = next((v for k, v in stored.headers if k.lower() == "content-type"), "")  # with its charset
    response = HttpResponse(stored.body, status=capture.http_status,
                            content_type=captured_type or capture.content_type or "application/octet-stream")
    for name, value in stored.headers:
        try:
            response[f"X-Archive-Orig-{name}"] = value
        except BadHeaderError:  # a header a response cannot repeat (a line break in it)
            continue
    timemap, timegate = wayback.memento_links(request, capture.url)
    response["Memento-Datetime"] = wayback.http_date(capture.fetched_at)
    response["Link"] = (f'<{wayback.uri(capture.url)}>; rel="original", <{timemap}>; rel="timemap"; '
                        f'type="{wayback.LINK_FORMAT}", <{timegate}>; rel="timegate"')
    response["Content-Security-Policy"] = RAW_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response
