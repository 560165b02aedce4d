"""The archiving policy: what is kept of a fetched response, decided before anything is written.

What the publisher forbids (`noarchive`, in a robots `<meta>` or an `X-Robots-Tag` header, to
every robot or to us by name) is neither kept nor shown; what is not a web page is not kept. Both
are recorded as captures with their reason, so a crawl can say why it skipped a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fetched import FetchedPage
from .models import CaptureOutcome

HTML_TYPES = ("text/html", "application/xhtml+xml", "")
_META_ROBOTS = re.compile(
    rb"<meta\s[^>]*?name\s*=\s*[\"']?(?:robots|kuaizhao)[\"']?[^>]*?>|"
    rb"<meta\s[^>]*?content\s*=\s*[\"'][^\"']*[\"'][^>]*?name\s*=\s*[\"']?(?:robots|kuaizhao)[\"']?[^>]*?>",
    re.IGNORECASE,
)
_AGENT_PREFIX = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*:\s*(.*)$", re.DOTALL)
_DIRECTIVES_WITH_COLON = {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}


def _x_robots_noarchive(value: str, bot: str) -> bool:
    """X-Robots-Tag: [<agent>:] <directive>, ... — applies when it names no agent, '*' or us."""
    rules = value
    m = _AGENT_PREFIX.match(value)
    if m and m[1].lower() not in _DIRECTIVES_WITH_COLON:
        if m[1].lower() not in (bot, "*"):
            return False
        rules = m[2]
    return "noarchive" in (r.strip().lower() for r in rules.split(","))


def forbids_archiving(headers: list[tuple[str, str]], body: bytes, bot: str = "kuaizhao") -> bool:
    """Whether X-Robots-Tag or a robots <meta> says noarchive (generally or to us by name)."""
    if any(name.lower() == "x-robots-tag" and _x_robots_noarchive(value, bot) for name, value in headers):
        return True
    head = body[: body.find(b"</head>") + 7] if b"</head>" in body[:262144] else body[:262144]
    return any(b"noarchive" in m.group().lower() for m in _META_ROBOTS.finditer(head))


@dataclass(frozen=True)
class Refusal:
    """Why a response is not kept: the capture's outcome and a line for logs and summaries."""

    outcome: CaptureOutcome
    reason: str


NOARCHIVE = "publisher forbids archiving (noarchive)"


def refusal(page: FetchedPage, decoded_body: bytes) -> Refusal | None:
    """The policy's answer for one response: None to keep it, else why not."""
    if forbids_archiving(page.headers, decoded_body):
        return Refusal(CaptureOutcome.NOARCHIVE, NOARCHIVE)
    if 200 <= page.status < 300 and page.content_type not in HTML_TYPES:
        return Refusal(CaptureOutcome.NOT_HTML, f"not HTML ({page.content_type})")
    return None
