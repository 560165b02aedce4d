"""Per-address limits on expensive endpoints: a fixed one-minute window counted in the cache.

The cache is Redis when KUAIZHAO_CACHE_URL is set (one count for every worker and machine), else
process memory. `incr` is atomic in both, so concurrent requests cannot both take the last slot.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .problems import ProblemError

WINDOW = 60  # seconds


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        forwarded: list[str] = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]  # what our proxy saw; earlier entries are the client's say-so
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check(request: HttpRequest, bucket: str, per_minute: int) -> None:
    """Count one request; raise a 429 problem when the address is over its limit."""
    if per_minute <= 0:
        return
    now = time.time()
    window = int(now // WINDOW)
    key = f"kz:rl:{bucket}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW + 5)
        count = 1
    if count > per_minute:
        retry = max(1, int((window + 1) * WINDOW - now) + 1)
        raise ProblemError(429, "rate-limited", f"每分钟最多检索 {per_minute} 次，请 {retry} 秒后再试。",
                           headers={"Retry-After": str(retry)})
