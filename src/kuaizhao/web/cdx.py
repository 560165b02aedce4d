"""The CDX server: `/cdx` (and `/cdx/search/cdx`, where Wayback clients look for it).

Parameters as the Wayback CDX server reads them (cdx_params.py), lines as cdx_lines.py finds them;
here they are written out: space-separated text (the default) or, with `output=json`, a JSON array
whose first row names the fields. `showNumPages=true` answers with the number of pages: a bare
number as IA's server does (what cdx_toolkit reads), or pywb's `{"blocks", "pages", "pageSize"}`
with `output=json`. `showResumeKey=true` adds, when there is more, a blank line (an empty row in
JSON) and the key to send back as `resumeKey=` (what EDGI's `wayback` client follows).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from . import cdx_lines, cdx_params
from .cdx_params import CdxQuery


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _num_pages(q: CdxQuery) -> HttpResponse:
    pages = cdx_lines.num_pages(q)
    if q.json:  # pywb's form; a page here is one block of pageSize lines
        body = json.dumps({"blocks": pages, "pages": pages, "pageSize": q.page_size})
        return HttpResponse(body, content_type="application/json")
    return _text(200, str(pages))


def _write(q: CdxQuery, found: cdx_lines.Answer) -> HttpResponse:
    rows = [[item.fields[f] for f in q.fields] for item in found.lines]
    if q.json:
        table: list[list[str]] = [list(q.fields), *rows] if rows else []
        if found.resume_key:
            table += [[], [found.resume_key]]
        body = json.dumps(table, ensure_ascii=False) if table else "[]"
        return HttpResponse(body, content_type="application/json")
    text = "".join(" ".join(r) + "\n" for r in rows)
    if found.resume_key:
        text += "\n" + found.resume_key + "\n"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
def cdx(request: HttpRequest) -> HttpResponse:
    try:
        q = cdx_params.parse(request.GET, request.GET.getlist("filter"), request.GET.getlist("collapse"))
        if q.show_num_pages:
            return _num_pages(q)
        return _write(q, cdx_lines.answer(q))
    except ValueError as e:  # bad input, or a page past the last (PageOutOfRange)
        return _text(400, str(e))
    except cdx_lines.TooSlow:
        response = _text(503, f"过滤条件在 {cdx_lines.BUDGET_SECONDS:g} 秒内没有算完：请缩小范围（from / to / limit），"
                              "或加 showResumeKey=true 分段取回")
        response["Retry-After"] = "1"
        return response
