"""The Article: the contract between crawl, archive and search."""

from __future__ import annotations

import hashlib
import re
import unicodedata
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


class NotArticle(StrEnum):
    """Why a page is not an article (extract.read's other answer)."""

    EMPTY = "empty"  # no body at all
    NO_TEXT = "no-text"  # no block of text anywhere
    SOFT_404 = "soft-404"  # says 该内容已被删除 / 页面不存在 / 内容已下线 where the article would be
    LOGIN_WALL = "login-wall"  # says 登录后查看 / 付费阅读 and shows a teaser at most
    TOO_SHORT = "too-short"  # under MIN_BODY_CHARS Chinese characters of text
    UNREADABLE = "unreadable"  # the bytes could not be parsed


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
    footprint: str | None = None  # what the article was read from, for rechecks (footprint.py)

    @property
    def content_hash(self) -> str:
        """Identity of the content: what makes a new snapshot when it changes (`content_identity`)."""
        return content_identity(self.title, self.text)

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
# Short lines that change without the article changing: counters, the desk editor, a bare date.
_VOLATILE = re.compile(
    r"^[（(\[【]?\s*(?:责任编辑|责编|编辑|編輯|責任編輯)\s*[:：]"
    r"|(?:阅读|閱讀|浏览|瀏覽|点击|點擊|评论|評論|点赞|點讚|转发|轉發|收藏|在看)(?:量|数|數|次数)?\s*[:：(（]?\s*[\d.,]+\s*[万萬kKw]?"
    r"|^[\d\s:：/.年月日-]{8,}$"
)
# Quotes and punctuation of either width and script: an edit that only swaps “” for "" is none.
_NOT_CONTENT = re.compile(r"[\s\W_]+")


def content_identity(title: str, text: str, volatile: frozenset[str] = frozenset()) -> str:
    """The hash two versions share when a reader would call them the same text: compared without
    whitespace, punctuation or quotes, full and half width folded (NFKC), and without the lines
    that move on their own (read counts, the editor line, a bare date) — diffengine's fingerprint,
    plus what Chinese portals add. A changed counter is no edit; a changed word is.

    `volatile`: line shapes (`line_shape`) a source's pages were seen to change on their own
    (archive/volatile.py learns them per source), left out as well."""
    kept = [line for line in text.split("\n") if not _noise(line.strip(), volatile)]
    folded = [_NOT_CONTENT.sub("", unicodedata.normalize("NFKC", part)) for part in (title, *kept)]
    return hashlib.sha256("\x00".join(folded).encode("utf-8")).hexdigest()


SHORT_LINE = 40  # characters: a longer line is prose, never noise
_FIGURE = re.compile(r"\d+(?:[.,:：]\d+)*")


def line_shape(line: str) -> str:
    """A line with its figures masked: 阅读 1,234 and 阅读 1,256 are both "阅读 #"."""
    return _FIGURE.sub("#", line.strip())


def _noise(line: str, volatile: frozenset[str]) -> bool:
    if len(line) > SHORT_LINE:
        return False
    return bool(_VOLATILE.search(line)) or (bool(volatile) and line_shape(line) in volatile)
