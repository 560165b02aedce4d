"""What web-archive tools ask of an archive: a CDX capture index and Memento (RFC 7089).

One memento per archived version: each public snapshot, dated by the fetch that first saw its
content (refetches that found the same content are not repeated; they add no version). Everything
comes through `Snapshot.objects.public()`, so a taken-down version is in neither the CDX answer
nor any TimeMap, and a TimeGate never leads to it.

CDX follows the Wayback CDX server: `/cdx?url=…&matchType=exact|prefix|host&from=&to=&limit=&output=json`,
fields urlkey (SURT), timestamp (14 digits, UTC), original, mimetype, statuscode, digest, length.
Lines come in Wayback's order, by key then time, the key being the page's (a capture fetched under
another URL, before a redirect or canonicalisation, still sorts with its page).
`digest` is the payload digest as our WARC records state it (`sha256:<base32>`), `length` the
compressed length of the WARC record, as in Wayback's CDX files.
"""

from __future__ import annotations

import base64
import calendar
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from ..archive.models import Snapshot
from ..archive.querysets import SnapshotQuerySet
from ..archive.urlkeys import host_prefixes, urlkey
from . import links

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
MATCH_TYPES = ("exact", "prefix", "host")
LINK_FORMAT = "application/link-format"
MAX_LIMIT = 10_000


def timestamp14(when: datetime) -> str:
    when = when.astimezone(UTC)
    return f"{when.year:04d}" + when.strftime("%m%d%H%M%S")  # %Y leaves years before 1000 unpadded


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _mementos(url: str, match: str = "exact") -> SnapshotQuerySet:
    """Public snapshots of pages matching `url` by SURT key, oldest first, with what a CDX line needs.

    Pages are matched on their canonical URL's key (`Page.urlkey`, indexed), as Wayback matches,
    so http/https, `www.`, case and query order do not matter; a prefix is a prefix of keys.
    """
    qs = Snapshot.objects.public().select_related("page", "capture")
    if match == "exact":
        qs = qs.filter(page__urlkey=urlkey(url))
    elif match == "prefix":
        qs = qs.filter(page__urlkey__startswith=urlkey(url))
    else:  # host
        parts = urlsplit(url if "//" in url else f"http://{url}")
        starts = Q()
        for prefix in host_prefixes(parts.netloc):
            starts |= Q(page__urlkey__startswith=prefix)
        qs = qs.filter(starts)
    return qs.only("pk", "page__url", "page__urlkey", "capture__url", "capture__fetched_at", "capture__content_type",
                   "capture__http_status", "capture__payload_sha256", "capture__warc_length",
                   "captured_at").order_by("capture__fetched_at", "pk")


def _digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii") if sha256_hex else "-"


def _cdx_row(s: Snapshot) -> list[str]:
    c = s.capture
    key = s.page.urlkey if c.url == s.page.url and s.page.urlkey else urlkey(c.url)  # the same, unless redirected
    return [key, timestamp14(c.fetched_at), c.url, c.content_type or "-", str(c.http_status),
            _digest(c.payload_sha256), str(c.warc_length) if c.warc_length else "-"]


def _timestamp_bound(value: str, upper: bool) -> datetime | None:
    """A 1–14 digit CDX time bound as the instant it stands for (None: no bound).

    Wayback compares 14-digit strings, padding `from` with 0s and `to` with 9s, so `to=2024`
    means up to 20249999999999. The answer here is the same comparison made on times, so the
    database can do it: `from` becomes the first instant whose timestamp is ≥ the padded bound
    (20240231 → 2024-03-01 00:00:00), `to` the last whose timestamp is ≤ it (202400 → the end
    of 2023).
    """
    if not value:
        return None
    if not value.isdigit() or len(value) > 14:
        raise ValueError(f"时间应为 1 到 14 位数字（yyyyMMddhhmmss 的前缀）：{value}")
    padded = value.ljust(14, "9" if upper else "0")
    fields = [int(padded[0:4])] + [int(padded[i : i + 2]) for i in range(4, 14, 2)]
    return _nearest(fields, upper)


def _field_range(i: int, prefix: list[int]) -> tuple[int, int]:
    if i == 0:
        return 1, 9999
    if i == 1:
        return 1, 12
    if i == 2:
        return 1, calendar.monthrange(prefix[0], prefix[1])[1]
    return 0, (23, 59, 59)[i - 3]


def _instant(fields: list[int], fill_max: bool) -> datetime:
    """The first (or last) instant whose leading fields are `fields`."""
    out = list(fields)
    for i in range(len(fields), 6):
        out.append(_field_range(i, out)[1 if fill_max else 0])
    return _datetime(out)


def _datetime(fields: list[int]) -> datetime:
    year, month, day, hour, minute, second = fields
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _nearest(fields: list[int], upper: bool) -> datetime | None:
    """The first instant whose fields are ≥ `fields` (or, `upper`, the last ≤ them); None if none.

    Fields are compared in order, as the digits are: the first field out of its range decides.
    Out of range on the side the bound looks towards (a `from` with month 00, a `to` with day 31
    of February), the answer is the prefix's first (last) instant; on the far side (a `from` with
    month 13), it is one second past the prefix's last (before its first) instant.
    """
    for i, value in enumerate(fields):
        low, high = _field_range(i, fields[:i])
        if low <= value <= high:
            continue
        if (value > high) == upper:
            return _instant(fields[:i], fill_max=upper)
        if i == 0:
            return None
        try:
            return _instant(fields[:i], fill_max=not upper) + timedelta(seconds=-1 if upper else 1)
        except OverflowError:  # before year 1 or after year 9999
            return None
    return _datetime(fields)


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_safe
def cdx(request: HttpRequest) -> HttpResponse:
    url = request.GET.get("url", "").strip()
    if not url:
        return _text(400, "缺少 url 参数：/cdx?url=http://example.com/page")
    match = request.GET.get("matchType", "exact")
    if url.endswith("*") and match == "exact":  # Wayback's shorthand for a prefix query
        url, match = url[:-1], "prefix"
    if match not in MATCH_TYPES:
        return _text(400, f"matchType 只能是 {'、'.join(MATCH_TYPES)}")
    if "//" not in url and match != "host":
        url = "http://" + url
    try:
        low = _timestamp_bound(request.GET.get("from", ""), upper=False)
        high = _timestamp_bound(request.GET.get("to", ""), upper=True)
        limit = int(request.GET.get("limit", MAX_LIMIT))
    except ValueError as e:
        return _text(400, str(e) if "时间" in str(e) else "limit 应为数字")
    if limit <= 0 or (request.GET.get("from") and low is None) or (request.GET.get("to") and high is None):
        rows = []  # a bound no instant meets
    else:
        # Bounds, order and limit in the database: a host or prefix query over a large archive
        # must not build every capture in Python (4 s for 74k captures before).
        found = _mementos(url, match).order_by("page__urlkey", "capture__fetched_at", "pk")
        if low is not None:
            found = found.filter(capture__fetched_at__gte=low)
        if high is not None:
            found = found.filter(capture__fetched_at__lte=high.replace(microsecond=999_999))
        rows = [_cdx_row(s) for s in found[: min(limit, MAX_LIMIT)]]
    if request.GET.get("output") == "json":
        body = json.dumps([list(CDX_FIELDS), *rows], ensure_ascii=False) if rows else "[]"
        return HttpResponse(body, content_type="application/json")
    return HttpResponse("".join(" ".join(r) + "\n" for r in rows), content_type="text/plain; charset=utf-8")


# --- Memento --------------------------------------------------------------------------------------


def _original(path_url: str, request: HttpRequest) -> str:
    """The URL embedded in a /timemap/link/<url> path. Proxies and clients may squeeze the
    scheme's `//` to `/`; the query string belongs to the embedded URL."""
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
    return (request.build_absolute_uri(links.path("web:timemap", "") + original),
            request.build_absolute_uri(links.path("web:timegate", "") + original))


def snapshot_headers(request: HttpRequest, response: HttpResponse, snap: Snapshot) -> HttpResponse:
    """Memento headers on a snapshot page: it is a memento of its page's URL."""
    original = snap.page.url
    timemap, timegate = memento_links(request, original)
    response["Memento-Datetime"] = http_date(snap.capture.fetched_at)
    response["Link"] = (f'<{original}>; rel="original", <{timemap}>; rel="timemap"; type="{LINK_FORMAT}", '
                        f'<{timegate}>; rel="timegate"')
    return response


def _not_archived(original: str) -> HttpResponse:
    return _text(404, f"本站没有 {original} 的存档")


@require_safe
def timemap(request: HttpRequest, url: str) -> HttpResponse:
    original = _original(url, request)
    mementos = list(_mementos(original))
    if not mementos:
        return _not_archived(original)
    self_uri, timegate = memento_links(request, original)
    first, last = mementos[0].capture.fetched_at, mementos[-1].capture.fetched_at
    lines = [
        f'<{original}>; rel="original"',
        f'<{self_uri}>; rel="self"; type="{LINK_FORMAT}"; from="{http_date(first)}"; until="{http_date(last)}"',
        f'<{timegate}>; rel="timegate"',
    ]
    for i, s in enumerate(mementos):
        rel = " ".join([*(["first"] if i == 0 else []), *(["last"] if i == len(mementos) - 1 else []), "memento"])
        uri = request.build_absolute_uri(links.path("web:snapshot", s.pk))
        lines.append(f'<{uri}>; rel="{rel}"; datetime="{http_date(s.capture.fetched_at)}"')
    return HttpResponse(",\n".join(lines) + "\n", content_type=LINK_FORMAT)


@require_safe
def timegate(request: HttpRequest, url: str) -> HttpResponse:
    """302 to the memento closest to Accept-Datetime (the latest without one)."""
    original = _original(url, request)
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
        response = _not_archived(original)
    else:
        if wanted is None:
            best = mementos[-1]
        else:
            best = min(mementos, key=lambda s: (abs((s.capture.fetched_at - wanted).total_seconds()), -s.pk))
        response = HttpResponseRedirect(request.build_absolute_uri(links.path("web:snapshot", best.pk)))
    timemap_uri, _ = memento_links(request, original)
    response["Vary"] = "accept-datetime"
    response["Link"] = f'<{original}>; rel="original", <{timemap_uri}>; rel="timemap"; type="{LINK_FORMAT}"'
    return response
