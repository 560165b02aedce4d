"""Errors as RFC 9457 problem objects (`application/problem+json`) with a stable `code`.

Clients branch on `code` (never on the wording of `title` or `detail`, which may be Chinese and
may change). The codes:

    bad-parameter       a parameter is missing, malformed or out of range (400)
    bad-query           the search query cannot be parsed (400; `at` is the character offset)
    bad-cursor          a pagination cursor was not one we issued (400)
    not-found           no such object, or it has been taken down (404)
    rate-limited        too many searches from this address (429; see Retry-After)
    search-unavailable  the search index is missing or being repaired (503)
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja import Schema

CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    at: int | None = None


class ProblemError(Exception):
    """Raised anywhere in the API; answered as a problem object."""

    def __init__(self, status: int, code: str, detail: str, *, at: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.at = status, code, detail, at
        self.headers = headers or {}


_TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable"}


def response(status: int, code: str, detail: str, *, at: int | None = None,
             headers: dict[str, str] | None = None) -> HttpResponse:
    body = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status, "detail": detail,
            "code": code}
    if at is not None:
        body["at"] = at
    out = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        out[name] = value
    return out


def of(error: ProblemError) -> HttpResponse:
    return response(error.status, error.code, error.detail, at=error.at, headers=error.headers)


# What every endpoint may answer besides its success, for the OpenAPI document.
COMMON = {400: Problem, 404: Problem}
