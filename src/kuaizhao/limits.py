"""Per-address limits: a fixed window counted in the cache (the API's searches, takedown notices).

The cache is Redis when KUAIZHAO_CACHE_URL is set (one count for every worker and machine), else
process memory. `incr` is atomic in both, so concurrent requests cannot both take the last slot.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        forwarded: list[str] = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]  # what our proxy saw; earlier entries are the client's say-so
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over(request: HttpRequest, bucket: str, limit: int, window: int) -> int | None:
    """Count one request from this address; None while within `limit` per `window` seconds,
    else the seconds until the window ends (for Retry-After). A limit of 0 or less is none."""
    if limit <= 0:
        return None
    now = time.time()
    slot = int(now // window)
    key = f"kz:rl:{bucket}:{client_address(request)}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return max(1, int((slot + 1) * window - now) + 1) if count > limit else None
