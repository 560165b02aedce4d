"""Reading a capture's WARC record for a reader, and what a reader sees when storage fails.

A record that cannot be read (the WARC disk unmounted, a file moved or truncated) is the
archive's fault, not a missing page: a 503 with Retry-After and a plain sentence. Where the file
is, and why it failed, goes to the error log for operators, never to the reader.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..archive.models import Capture
from ..archive.warc import StoredResponse, WarcPointer, WarcStore

log = logging.getLogger(__name__)
RETRY_SECONDS = 300


class StorageUnavailable(Exception):
    """A capture's WARC record could not be read."""


def read(capture: Capture) -> StoredResponse:
    """The stored response of a capture; Http404 when none was kept, StorageUnavailable when the
    record cannot be read."""
    if not capture.warc_file:
        raise Http404("这次抓取没有保存原始内容")
    try:
        return WarcStore(settings.WARC_DIR).read(
            WarcPointer(capture.warc_file, capture.warc_offset or 0, capture.warc_length or 0))
    except (OSError, StopIteration, ValueError) as exc:
        log.exception("cannot read the WARC record of capture %s (%s at %s)", capture.pk, capture.warc_file,
                      capture.warc_offset)
        raise StorageUnavailable from exc


class StorageErrorMiddleware:
    """Turns StorageUnavailable, from whichever view, into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageUnavailable):
            return None
        message = "存档的原始记录暂时无法读取，请稍后再试。快照正文不受影响。"
        answer = render(request, "error.html", {"status": 503, "title": "原始抓取暂时无法读取", "message": message},
                        status=503)
        answer["Retry-After"] = str(RETRY_SECONDS)
        return answer
