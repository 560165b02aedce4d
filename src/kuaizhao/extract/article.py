"""The Article: the contract between crawl, archive and search."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class TimeProvenance(StrEnum):
    """Where a time was read from, most trustworthy first."""

    JSONLD = "jsonld"  # schema.org datePublished / dateModified
    META = "meta"  # <meta property="article:published_time"> and the like
    TEXT = "text"  # an absolute time in the visible text: 2023-01-17 20:37
    RELATIVE = "relative"  # 3分钟前, 昨天 10:32, resolved against the capture time
    URL = "url"  # a date in the URL path: /2023/01/17/, 20230117
    SCRIPT = "script"  # a publish time kept in the page's script data: var publishTime = "…"


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


@dataclass(frozen=True)
class PageTime:
    """A time a page states, with how precisely it states it and where we read it."""

    value: datetime  # timezone-aware
    precision: Precision
    provenance: TimeProvenance
    raw: str  # as written on the page, for display and debugging

    def as_json(self) -> str:
        return self.value.isoformat()


@dataclass(frozen=True)
class Article:
    """One extracted news article. Text fields are already cleaned; times are timezone-aware."""

    url: str
    title: str
    text: str  # plain text, paragraphs separated by "\n"
    html: str  # sanitised HTML: paragraphs, headings, images with absolute URLs and captions
    published: PageTime | None = None
    updated: PageTime | None = None
    # The machine-readable publish time (JSON-LD, meta, script) when it disagrees with the one the
    # page shows: kept, not silently preferred.
    declared: PageTime | None = None
    captured: datetime | None = None  # the capture time the relative times were resolved against
    source: str | None = None  # 来源: the outlet credited
    reposted_from: tuple[str, ...] = ()  # 本文转自 / 转载自: the reprint chain, nearest first
    original_title: str | None = None  # 原标题: the title the story first ran under
    authors: tuple[str, ...] = ()  # 作者 / 记者
    editor: str | None = None  # 责任编辑
    category: str | None = None
    charset: str = "utf-8"
    charset_reason: str = ""
    images: tuple[str, ...] = field(default=())
    body_method: str = "dom"  # which extractor's body was kept: dom, readability or trafilatura

    @property
    def content_hash(self) -> str:
        """Identity of the content: what makes a new snapshot when it changes.

        Title and body only, whitespace-folded: a page whose 3分钟前 became 13分钟前, or whose
        share counter moved, is the same snapshot.
        """
        folded = _SPACE.sub("", self.title) + "\x00" + _SPACE.sub("", self.text)
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape printed by `kuaizhao extract --json`."""
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.as_json() if self.published else None,
            "published_precision": self.published.precision.value if self.published else None,
            "updated": self.updated.as_json() if self.updated else None,
            "time_source": self.published.provenance.value if self.published else None,
            "declared_published": self.declared.as_json() if self.declared else None,
            "captured": self.captured.isoformat() if self.captured else None,
            "source": self.source,
            "reposted_from": list(self.reposted_from),
            "original_title": self.original_title,
            "author": list(self.authors),
            "editor": self.editor,
            "category": self.category,
            "charset": self.charset,
            "charset_reason": self.charset_reason,
            "body_method": self.body_method,
            "text": self.text,
            "html": self.html,
        }


_SPACE = re.compile(r"\s+")
