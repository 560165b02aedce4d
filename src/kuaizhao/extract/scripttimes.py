"""Publish times that pages keep in script data for their own scripts.

Templates that render the visible date in the browser, or show only `10-08 12:00`, still carry the
full time in a script: `var publishTime = "2019-10-08 12:00:00"`, `"pubtime": 1570507200`,
`window.__DATA__ = {"ptime": "…"}`. The scripts' texts are kept before the tree is cleaned
(cleaning drops scripts), and read only when the page shows no full date of its own: scanning a
portal's scripts costs more than the rest of the time evidence together.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import html as lxml_html

from .times import SHANGHAI

_KEY = (r"(?:publish|pub|release|post|first_?publish)[_-]?(?:time|date|at|stamp|timestamp)|ptime|pubdate"
        r"|date_?published|publishedAt|published_?time")
_PAIR = re.compile(
    r"[\"']?(?P<key>" + _KEY + r")[\"']?\s*[:=]\s*[\"']?"
    r"(?P<value>1\d{9}(?:\d{3})?(?!\d)|(?:19|20)\d{2}[-/年.]\d{1,2}[-/月.]\d{1,2}[^\"'<>,;}\n]{0,16})",
    re.IGNORECASE,
)
_MAX_SCRIPT = 200_000  # characters of one script read; data blobs past that are not page metadata
_MAX_VALUES = 5


def script_texts(tree: lxml_html.HtmlElement) -> list[str]:
    """The inline scripts' texts (not JSON-LD, which meta.py reads as such)."""
    return [script.text for script in tree.iter("script")
            if script.text and not script.get("src") and "ld+json" not in (script.get("type") or "")]


def script_times(texts: list[str]) -> list[str]:
    """The publish-time values named in scripts, as time strings (epochs converted), first first."""
    found: list[str] = []
    for text in texts:
        for m in _PAIR.finditer(text[:_MAX_SCRIPT]):
            value = m["value"].strip()
            if value.isdigit():
                seconds = int(value) / (1000 if len(value) == 13 else 1)
                value = datetime.fromtimestamp(seconds, UTC).astimezone(SHANGHAI).isoformat()
            if value not in found:
                found.append(value)
            if len(found) >= _MAX_VALUES:
                return found
    return found
