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


def script_times(texts: list[str], title: str = "") -> list[str]:
    """The publish-time values named in scripts, as time strings (epochs converted), the article's
    first: a page's state object also holds its related articles' times, so where a script names
    the headline, the nearest time after it comes first (a record's fields follow its title)."""
    ranked: list[tuple[bool, int, int, str]] = []
    probe = title[:12]
    for order, text in enumerate(texts):
        text = text[:_MAX_SCRIPT]
        at = text.find(probe) if len(probe) >= 4 else -1
        for m in _PAIR.finditer(text):
            value = m["value"].strip()
            if value.isdigit():
                seconds = int(value) / (1000 if len(value) == 13 else 1)
                value = datetime.fromtimestamp(seconds, UTC).astimezone(SHANGHAI).isoformat()
            distance = abs(m.start() - at) if at >= 0 else _MAX_SCRIPT
            ranked.append((m.start() < at, distance, order * _MAX_SCRIPT + m.start(), value))
            if len(ranked) >= 50:
                break
    found: list[str] = []
    for *_, value in sorted(ranked):
        if value not in found:
            found.append(value)
    return found[:_MAX_VALUES]
