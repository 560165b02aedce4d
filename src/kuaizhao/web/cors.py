"""Read-only CORS for what machines read: the API, feeds, CDX and Memento endpoints.

Any origin may GET them (they are public and need no credentials); nothing may write. A preflight
is answered here with 204, before any view, so that no endpoint has to know about it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_PREFIXES = ("/api/", "/cdx", "/timemap/", "/timegate/")
_SUFFIXES = ("/feed", "/feed/atom")
ALLOW_METHODS = "GET, HEAD, OPTIONS"
# What a script may read of our answers besides the simple headers.
EXPOSE = "Link, Memento-Datetime, Retry-After, Vary"


def applies(path: str) -> bool:
    return path.startswith(_PREFIXES) or path.endswith(_SUFFIXES)


class ReadOnlyCors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not applies(request.path_info):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Datetime, Accept-Language"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSE
        return response
