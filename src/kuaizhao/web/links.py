"""Paths of our own pages without a `reverse()` per link.

`reverse()` walks the URL resolver on every call, and a page of search results holds forty links:
that was a tenth of the search page's time. Each named pattern is reversed once per process with
placeholder arguments, then filled in with `str.format`. The script prefix cannot change while a
process runs, so the cache never goes stale.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.urls import reverse

# Placeholders that cannot occur in a reversed path by accident and satisfy <int:…> and <slug:…>.
_INT_MARK, _SLUG_MARK = 987654321987, "kzplaceholderkz"


@functools.cache
def _pattern(name: str, kinds: str) -> str:
    args = [_INT_MARK if kind == "i" else _SLUG_MARK for kind in kinds]
    path = reverse(name, args=args).replace("{", "{{").replace("}", "}}")
    return path.replace(str(_INT_MARK), "{}").replace(_SLUG_MARK, "{}")


def path(name: str, *args: int | str) -> str:
    """The path of a named URL pattern, e.g. path("web:snapshot", 42) → "/snapshot/42/"."""
    kinds = "".join("i" if isinstance(a, int) else "s" for a in args)
    return _pattern(name, kinds).format(*(a if isinstance(a, int) else quote(a, safe="") for a in args))
