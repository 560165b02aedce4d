"""Opaque cursors for keyset pagination over (sort time, id), newest first.

A cursor names the last item a client has seen, so pages stay consistent while new snapshots
arrive (offset pagination would repeat or skip items). It is base64 of "<microseconds>.<id>".
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from .problems import ProblemError

_M = TypeVar("_M", bound=Model)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def encode(when: datetime, pk: int) -> str:
    micros = (when - _EPOCH) // _MICRO  # exact, unlike float seconds
    return base64.urlsafe_b64encode(f"{micros}.{pk}".encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        micros, pk = raw.split(".")
        return _EPOCH + int(micros) * _MICRO, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError, OSError):
        raise ProblemError(400, "bad-cursor", "cursor 无效：请使用上一页返回的 next_cursor") from None


def after(cursor: str, time_field: str = "sort_time") -> Q:
    """Rows that come after the cursor in newest-first order."""
    when, pk = decode(cursor)
    return Q(**{f"{time_field}__lt": when}) | Q(**{time_field: when, "pk__lt": pk})


def page(queryset: QuerySet[_M], cursor: str | None, limit: int, time_field: str) -> tuple[list[_M], str | None]:
    """One page of a queryset ordered by (-time_field, -pk) after `cursor`, and the next page's cursor
    (None on the last page: one row more than asked for says whether there is another)."""
    if cursor:
        queryset = queryset.filter(after(cursor, time_field))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode(getattr(rows[-1], time_field), rows[-1].pk)
