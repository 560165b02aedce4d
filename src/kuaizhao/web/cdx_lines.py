"""The lines a CDX query answers with: which captures, in what order, filtered, collapsed, paged.

A line is a fetch a web-archive client can replay: each capture that made a public version of a
page (refetches that found the same content add none), and each error answer (4xx / 5xx, kept in
WARC) to a page a reader may see, so that `filter=statuscode:404` shows when an article was found
gone. Rows come through the gate: `Capture.objects.public()` (no fetch of a taken-down version),
`Page.objects.public()` and `Snapshot.objects.public()`.

What the database does: URL matching on `Page.urlkey` (indexed), time bounds, order, and the
slices that make pages (OFFSET / LIMIT) and resumption (a keyset after the last line sent). What
Python does, over that bounded stream of rows: `filter` (fields such as the digest or the
14-digit timestamp are not columns), `collapse`, `offset` and `limit`. A page is a slice of the
database's ordered rows, `pageSize` rows long, filtered afterwards (as IA's pages are blocks of its
index, filtered afterwards): pages never overlap, their union is the unpaged answer, and
`showNumPages` is one COUNT.
"""

from __future__ import annotations

import base64
import heapq
import itertools
import json
import math
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..archive.models import Capture, CaptureOutcome, Page, Snapshot
from ..archive.urlkeys import host_prefixes, urlkey
from .cdx_params import CdxQuery
from .wayback import timestamp14

COLUMNS = ("pk", "page__urlkey", "page__url", "url", "fetched_at", "content_type", "http_status",
           "payload_sha256", "warc_length", "blocked")
ORDER = ("page__urlkey", "fetched_at", "pk")
REVERSE = ("-page__urlkey", "-fetched_at", "-pk")
MAX_SCAN = 100_000  # database rows read for one unpaged answer; more is a resumeKey away
LOOKBACK = 1_000  # rows read back from a page's (or resumption's) start to find the line before it
BUDGET_SECONDS = 5.0  # filtering time for one answer: a slow regex gets a 503, not a stuck worker

Row = tuple[Any, ...]  # COLUMNS, in order
Position = tuple[str, datetime, int]  # where a row sorts: page key, fetch time, capture id


class TooSlow(Exception):
    """The filters took longer than BUDGET_SECONDS."""


class PageOutOfRange(ValueError):
    """A page past the last one (IA and pywb answer 400; cdx_toolkit stops paging on it)."""


@dataclass(frozen=True)
class Line:
    position: Position
    fields: dict[str, str]
    capture_id: int


@dataclass
class Answer:
    lines: list[Line]
    resume_key: str = ""  # set when asked for and there may be more


def _digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii") if sha256_hex else "-"


def line(row: Row) -> Line:
    pk, page_key, page_url, url, fetched_at, content_type, status, sha, warc_length, blocked = row
    key = page_key if url == page_url and page_key else urlkey(url)  # the same, unless redirected
    fields = {"urlkey": key, "timestamp": timestamp14(fetched_at), "original": url,
              "mimetype": content_type or "-", "statuscode": str(status), "digest": _digest(sha),
              "length": str(warc_length) if warc_length else "-", "access": "block" if blocked else "allow"}
    return Line((page_key, fetched_at, pk), fields, pk)


def captures(url: str, match: str) -> QuerySet[Capture]:
    """Replayable captures of pages matching `url` by SURT key, through the gate (unordered)."""
    # A version's page is public with it; only an error answer asks the page's gate.
    version = Exists(Snapshot.objects.public().filter(capture=OuterRef("pk")))
    blocked = Exists(Snapshot.objects.tombstoned().filter(capture=OuterRef("pk")))
    error = Q(outcome=CaptureOutcome.HTTP_ERROR, warc_file__gt="") & Exists(
        Page.objects.public().filter(pk=OuterRef("page")))
    # A blocked version is listed (access "block"; replaying it is a 451), as pywb lists it.
    qs = Capture.objects.listed().filter(version | blocked | error).annotate(blocked=blocked)
    if match == "exact":
        return qs.filter(page__urlkey=urlkey(url))
    if match == "prefix":
        return qs.filter(page__urlkey__startswith=urlkey(url))
    parts = urlsplit(url if "//" in url else f"http://{url}")
    if match == "host":
        prefixes = host_prefixes(parts.netloc)
    else:  # domain: the host and every host under it, on any port
        host = urlkey(f"http://{parts.hostname or ''}/").removesuffix(")/")
        prefixes = [host + ")", host + ":", host + ","]
    starts = Q()
    for prefix in prefixes:
        starts |= Q(page__urlkey__startswith=prefix)
    return qs.filter(starts)


def _rows(qs: QuerySet[Capture]) -> Iterator[Row]:
    return qs.values_list(*COLUMNS).iterator(chunk_size=2000)


def _closest(qs: QuerySet[Capture], when: datetime, stop: int) -> Iterator[Row]:
    """Rows nearest `when` first: two walks of the fetch-time index, outwards, merged."""
    later = _rows(qs.filter(fetched_at__gte=when).order_by("fetched_at", "pk")[:stop])
    earlier = _rows(qs.filter(fetched_at__lt=when).order_by("-fetched_at", "-pk")[:stop])
    return heapq.merge(later, earlier, key=lambda r: abs((r[4] - when).total_seconds()))


def _beyond(position: Position, after: bool, inclusive: bool = False) -> Q:
    """Rows sorting after (or before) `position`, the keyset condition of a resumption."""
    key, when, pk = position
    op = "gt" if after else "lt"
    last = Q(**{f"pk__{op}{'e' if inclusive else ''}": pk})
    return (Q(**{f"page__urlkey__{op}": key}) | Q(page__urlkey=key, **{f"fetched_at__{op}": when})
            | Q(page__urlkey=key, fetched_at=when) & last)


def resume_key(position: Position) -> str:
    raw = json.dumps([position[0], position[1].isoformat(), position[2]], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")


def _position(key: str) -> Position:
    try:
        page_key, when, pk = json.loads(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)))
        return str(page_key), datetime.fromisoformat(when), int(pk)
    except (ValueError, TypeError) as e:
        raise ValueError(f"resumeKey 无效：{key}") from e


def num_pages(q: CdxQuery) -> int:
    return 0 if q.empty else math.ceil(_bounded(q).count() / q.page_size)


def _bounded(q: CdxQuery) -> QuerySet[Capture]:
    qs = captures(q.url, q.match)
    if q.low is not None:
        qs = qs.filter(fetched_at__gte=q.low)
    if q.high is not None:
        qs = qs.filter(fetched_at__lte=q.high.replace(microsecond=999_999))
    return qs


def _source(q: CdxQuery) -> tuple[Iterable[Row], Iterable[Row], int]:
    """The rows to scan, the rows just before them (nearest first), and how many may be scanned."""
    qs = _bounded(q)
    order = REVERSE if q.sort == "reverse" else ORDER
    if q.page is not None:
        if q.resume_key:
            raise ValueError("page 和 resumeKey 不能一起用")
        pages = num_pages(q)
        if q.page >= max(pages, 1):
            raise PageOutOfRange(f"第 {q.page} 页不存在：页码从 0 到 {max(pages - 1, 0)}")
        start = q.page * q.page_size
        if q.closest is not None:
            stream = _closest(qs, q.closest, start + q.page_size)
            before = list(itertools.islice(stream, max(0, start - LOOKBACK), start))
            return itertools.islice(stream, q.page_size), reversed(before), q.page_size
        ordered = qs.order_by(*order)
        before = list(ordered.values_list(*COLUMNS)[max(0, start - LOOKBACK) : start])
        return _rows(ordered[start : start + q.page_size]), reversed(before), q.page_size
    if q.closest is not None:
        return itertools.islice(_closest(qs, q.closest, MAX_SCAN), MAX_SCAN), (), MAX_SCAN
    if q.resume_key:
        at = _position(q.resume_key)
        forward = q.sort != "reverse"
        behind = qs.filter(_beyond(at, not forward, inclusive=True)).order_by(*(REVERSE if forward else ORDER))
        return (_rows(qs.filter(_beyond(at, forward)).order_by(*order)[:MAX_SCAN]),
                behind.values_list(*COLUMNS)[:LOOKBACK], MAX_SCAN)
    return _rows(qs.order_by(*order)[:MAX_SCAN]), (), MAX_SCAN


class _Sieve:
    """Filters and collapse, applied line by line in order."""

    def __init__(self, q: CdxQuery) -> None:
        self.filters, self.collapse = q.filters, q.collapse
        self.deadline = time.monotonic() + BUDGET_SECONDS
        self.previous: tuple[str, ...] | None = None

    def passes(self, item: Line) -> bool:
        for f in self.filters:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TooSlow
            try:
                if not f.accepts(item.fields[f.field], timeout=left):
                    return False
            except TimeoutError:
                raise TooSlow from None
        return True

    def keys(self, item: Line) -> tuple[str, ...]:
        return tuple(item.fields[c.field][: c.length] for c in self.collapse)

    def keeps(self, item: Line) -> bool:
        """Whether the line is sent: it passes the filters and does not repeat the line before."""
        if not self.passes(item):
            return False
        if self.collapse:
            keys = self.keys(item)
            if keys == self.previous:
                return False
            self.previous = keys
        return True


def answer(q: CdxQuery) -> Answer:
    """The lines `q` asks for (TooSlow, PageOutOfRange, ValueError on what cannot be answered)."""
    if q.empty:
        return Answer([])
    rows, before, bound = _source(q)
    sieve = _Sieve(q)
    if q.collapse:  # the line before the first one scanned, if it would be sent, starts the collapse
        seed = next((item for item in map(line, before) if sieve.passes(item)), None)
        sieve.previous = sieve.keys(seed) if seed else None
    wanted = abs(q.limit)
    last_n: deque[Line] = deque(maxlen=wanted)  # limit=-N: the last N
    sent: list[Line] = []
    skip = 0 if q.resume_key else q.offset
    scanned, done = 0, None  # rows read; the last row fully looked at
    resume_at: Line | None = None  # where a resumption would start after
    try:
        for item in map(line, rows):
            scanned += 1
            if sieve.keeps(item):
                if q.limit > 0 and len(sent) == wanted:
                    resume_at = sent[-1]  # a line past the limit: there is more
                    break
                if skip:
                    skip -= 1
                elif q.limit < 0:
                    last_n.append(item)
                else:
                    sent.append(item)
            done = item
        else:
            if scanned == bound and q.page is None:
                resume_at = done  # the scan bound was reached: there may be more
    except TooSlow:
        if not q.show_resume_key or done is None:
            raise
        resume_at = done  # cut short: resume after the last row looked at
    if q.limit < 0:
        return Answer(list(last_n))
    resumable = q.show_resume_key and q.closest is None and q.page is None
    return Answer(sent, resume_key(resume_at.position) if resumable and resume_at else "")
