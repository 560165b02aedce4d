"""Per-address limits on expensive endpoints (kuaizhao/limits.py), answered as a 429 problem."""

from __future__ import annotations

from django.http import HttpRequest

from ..limits import client_address, over
from .problems import ProblemError

__all__ = ["check", "client_address"]

WINDOW = 60  # seconds


def check(request: HttpRequest, bucket: str, per_minute: int) -> None:
    """Count one request; raise a 429 problem when the address is over its limit."""
    retry = over(request, bucket, per_minute, WINDOW)
    if retry is not None:
        raise ProblemError(429, "rate-limited", f"每分钟最多检索 {per_minute} 次，请 {retry} 秒后再试。",
                           headers={"Retry-After": str(retry)})
