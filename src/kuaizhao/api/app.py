"""The NinjaAPI object: mounted at /api/, its OpenAPI document at /api/openapi.json, docs at /api/docs.

Every error leaves as a problem object (problems.py), including the ones django-ninja raises for
a malformed parameter (422 in its defaults; 400 `bad-parameter` here, like the rest of the site).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from .. import __version__
from . import problems
from .endpoints import router
from .versions import router as versions_router


class _Utf8Json(JSONRenderer):
    """Chinese as characters, not \\u escapes: half the bytes, and readable with curl."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 (ninja's class attribute, read only)


class _Api(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """django-ninja documents every response as application/json; errors are problem+json."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.CONTENT_TYPE] = content.pop("application/json")
        return schema


api = _Api(
    title="快照 Kuaizhao API",
    version=__version__,
    description=(
        "Read-only JSON over the archive: snapshots (extracted articles), pages with every capture, "
        "categories, sources and full-text search. Lists are newest first and paginated with "
        "`cursor` (pass the `next_cursor` of the previous page). Errors are RFC 9457 problem objects "
        "with a stable `code`. `/api/search` is limited per client address (429 with `Retry-After`). "
        "Taken-down snapshots never appear."
    ),
    urls_namespace="api",
    renderer=_Utf8Json(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", router)
api.add_router("", versions_router)


@api.exception_handler(problems.ProblemError)
def _problem(request: HttpRequest, exc: problems.ProblemError) -> HttpResponse:
    return problems.of(exc)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", [])[1:]) or "request"
        details.append(f"{where}: {error.get('msg', 'invalid')}")
    return problems.response(400, "bad-parameter", "; ".join(details) or "参数有误")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problems.response(404, "not-found", str(exc) or "没有这个对象，或它已被删除")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {405: "method-not-allowed", 404: "not-found"}.get(exc.status_code, "bad-request")
    return problems.response(exc.status_code, code, str(exc))
