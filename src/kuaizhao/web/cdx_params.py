"""A CDX query as the Wayback CDX server reads it: parameters in, a checked `CdxQuery` out.

The dialect is the Internet Archive's (github.com/internetarchive/wayback, wayback-cdx-server), with
pywb's spellings accepted where they do not clash: field names `url`, `mime`, `status` beside
`original`, `mimetype`, `statuscode`; filters `=field:value` / `!=field:value` (exact). Where the
two disagree, IA wins: `field:regex` matches the whole value (pywb: contains), `~field:text` is a
substring test (pywb: a regex from the start), as EDGI's `wayback` client documents it.
Bad input raises `ValueError` with the message the reader sees (a 400).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import regex

FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# Asked for by name (fl=…,access; filter=access:block): "block" for a capture a rule blocks.
EXTRA_FIELDS = ("access",)
ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}  # pywb's names
MATCH_TYPES = ("exact", "prefix", "host", "domain")
SORTS = ("default", "reverse", "closest")
MAX_LIMIT = 10_000  # lines in one answer
PAGE_SIZE = 3_000  # lines in a page: one ZipNum block of IA's index, what cdx_toolkit assumes a page holds
MAX_PAGE_SIZE = MAX_LIMIT
MAX_PATTERN = 300  # characters in one filter's expression

Kind = Literal["regex", "contains", "exact"]


def field_name(name: str) -> str:
    """A CDX field's name (IA's or pywb's spelling) as IA spells it."""
    name = ALIASES.get(name, name)
    if name not in FIELDS and name not in EXTRA_FIELDS:
        raise ValueError(f"没有这个字段：{name}（可用：{', '.join(FIELDS + EXTRA_FIELDS)}）")
    return name


@dataclass(frozen=True)
class Filter:
    """One `filter=`: a field, how its value is tested, and whether the test is negated."""

    field: str
    kind: Kind
    value: str
    negate: bool
    pattern: regex.Pattern[str] | None = None

    @classmethod
    def parse(cls, text: str) -> Filter:
        rest, negate = text, False
        kind: Kind = "regex"
        if rest.startswith("~!"):  # EDGI writes the substring test as ~[!]field:text
            rest, negate = "~" + rest[2:], True
        if rest.startswith("!"):
            rest, negate = rest[1:], True
        if rest.startswith("~"):
            rest, kind = rest[1:], "contains"
        elif rest.startswith("="):
            rest, kind = rest[1:], "exact"
        name, sep, value = rest.partition(":")
        if not sep:
            raise ValueError(f"过滤条件应为 [!]字段:正则，例如 statuscode:404 或 !mimetype:text/html：{text}")
        if len(value) > MAX_PATTERN:
            raise ValueError(f"过滤表达式太长（最多 {MAX_PATTERN} 个字符）")
        pattern = None
        if kind == "regex":
            try:
                pattern = regex.compile(value, regex.VERSION0)
            except regex.error as e:
                raise ValueError(f"过滤条件里的正则表达式有误（{e}）：{value}") from None
        return cls(field_name(name), kind, value, negate, pattern)

    def accepts(self, value: str, timeout: float) -> bool:
        """Whether a line whose field is `value` passes (`regex.TimeoutError` past `timeout` s)."""
        if self.pattern is not None:
            hit = self.pattern.fullmatch(value, timeout=timeout) is not None
        elif self.kind == "contains":
            hit = self.value in value
        else:
            hit = value == self.value
        return hit != self.negate


@dataclass(frozen=True)
class Collapse:
    """`collapse=field` or `field:N`: of adjacent lines equal on (the first N characters of) a
    field, only the first is kept."""

    field: str
    length: int | None

    @classmethod
    def parse(cls, text: str) -> Collapse:
        name, _, n = text.partition(":")
        if n and not (n.isdigit() and int(n) > 0):
            raise ValueError(f"collapse 应为 字段 或 字段:字符数：{text}")
        return cls(field_name(name), int(n) if n else None)


@dataclass
class CdxQuery:
    url: str
    match: str = "exact"
    low: datetime | None = None  # from=, as an instant
    high: datetime | None = None  # to=, as an instant
    empty: bool = False  # a bound no instant meets, or limit=0: nothing can match
    filters: list[Filter] = field(default_factory=list)
    collapse: list[Collapse] = field(default_factory=list)
    sort: str = "default"
    closest: datetime | None = None
    limit: int = MAX_LIMIT  # negative: the last N lines
    offset: int = 0
    fields: list[str] = field(default_factory=lambda: list(FIELDS))
    json: bool = False
    page: int | None = None
    page_size: int = PAGE_SIZE
    show_num_pages: bool = False
    show_resume_key: bool = False
    resume_key: str = ""


def _int(params: Mapping[str, str], name: str, default: int) -> int:
    value = params.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ValueError(f"{name} 应为整数：{value}") from None


def _true(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "").lower() in ("true", "1", "yes")


def parse(params: Mapping[str, str], filters: list[str], collapses: list[str]) -> CdxQuery:
    """The query a request's parameters ask for (`filters` and `collapses`: every value given)."""
    url = params.get("url", "").strip()
    if not url:
        raise ValueError("缺少 url 参数：/cdx?url=http://example.com/page")
    match = params.get("matchType", "") or "exact"
    if url.startswith("*.") and match == "exact":  # Wayback's shorthand for a domain query
        url, match = url[2:], "domain"
    if url.endswith("*") and match == "exact":  # and for a prefix query
        url, match = url[:-1], "prefix"
    if match not in MATCH_TYPES:
        raise ValueError(f"matchType 只能是 {'、'.join(MATCH_TYPES)}")
    if "//" not in url and match not in ("host", "domain"):
        url = "http://" + url
    q = CdxQuery(url=url, match=match)
    q.low = timestamp_bound(params.get("from", ""), upper=False)
    q.high = timestamp_bound(params.get("to", ""), upper=True)
    q.empty = bool((params.get("from") and q.low is None) or (params.get("to") and q.high is None))
    q.filters = [Filter.parse(f) for f in filters if f]
    q.collapse = [Collapse.parse(c) for c in collapses if c]
    q.sort = params.get("sort", "") or "default"
    if q.sort not in SORTS:
        raise ValueError(f"sort 只能是 {'、'.join(SORTS)}")
    if q.sort == "closest":
        q.closest = timestamp_bound(params.get("closest", ""), upper=False)
        if q.closest is None:
            raise ValueError("sort=closest 需要 closest=时间（yyyyMMddhhmmss）")
    q.limit = max(-MAX_LIMIT, min(_int(params, "limit", MAX_LIMIT), MAX_LIMIT))
    q.empty = q.empty or q.limit == 0
    q.offset = max(0, _int(params, "offset", 0))
    if params.get("fl"):
        q.fields = [field_name(f.strip()) for f in params["fl"].split(",") if f.strip()]
    q.json = params.get("output", "") == "json"
    page = _int(params, "page", -1)
    q.page = page if page >= 0 else None  # IA: "if i < 0, pages are not used"
    q.page_size = max(1, min(_int(params, "pageSize", PAGE_SIZE), MAX_PAGE_SIZE))
    q.show_num_pages = _true(params, "showNumPages")
    q.show_resume_key = _true(params, "showResumeKey")
    q.resume_key = params.get("resumeKey", "").strip()
    if q.resume_key and q.sort == "closest":
        raise ValueError("sort=closest 不能和 resumeKey 一起用")
    return q


# --- time bounds ----------------------------------------------------------------------------------


def timestamp_bound(value: str, upper: bool) -> datetime | None:
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
