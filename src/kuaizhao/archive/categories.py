"""The category list, read by every page (the navigation) and every search (`category:` names).

Categories change a few times a year, by an operator, yet reading them cost each page a database
round trip. Each process keeps a copy for `CACHE_SECONDS`, dropped at once when this process saves
or deletes a category (signals wired in apps.py); other processes see a change within the TTL.
"""

from __future__ import annotations

import threading
import time

from .models import Category

CACHE_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, list[Category]] | None = None


def all_categories() -> list[Category]:
    """Every category in navigation order (a shared list: do not modify it)."""
    global _cached
    now = time.monotonic()
    with _lock:
        if _cached is None or now - _cached[0] > CACHE_SECONDS:
            _cached = (now, list(Category.objects.all()))
        return _cached[1]


def forget(**_: object) -> None:
    """Drop this process's copy (a category changed here, or a test rolled its rows back)."""
    global _cached
    with _lock:
        _cached = None
