"""sources.toml: the outlets to crawl, how to discover their articles, and how politely.

    [[source]]
    name = "东方新闻网"                       # unique; `kuaizhao crawl --source 东方新闻网`
    homepage = "https://news.example.cn/"
    feeds = ["https://news.example.cn/rss/china.xml"]          # RSS or Atom
    sitemaps = ["https://news.example.cn/sitemap.xml"]         # sitemap, sitemap index or Google news sitemap
    listings = [{ url = "https://news.example.cn/gn/", pattern = "/gn/\\d{8}/", category = "国内" }]
    category = "国内"                         # default category of its articles
    encoding = "gbk"                          # only for sites that declare the wrong charset
    recheck = "15m<3h, 30m<1d, 2h<7d, 1d<30d, 7d<365d"  # look at an article again: every 15m while
                                              # under 3h old … weekly until a year (the default)
    delay = 2.0                               # seconds between requests to this host
    rules = { body = "div.article-content" }  # selectors when general extraction misreads the site;
                                              # rules.category forces a category (category above is a default)

A malformed file fails with the file, the line and what is wrong.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from .exceptions import SourcesError
from .extract.rules import SiteRules
from .schedule import Schedule, parse_duration


def _http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value.strip()


class Listing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    pattern: str | None = Field(None, description="regular expression an article URL must match")
    category: str | None = None
    max_pages: int | None = Field(None, ge=1)

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return value


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str | None = None
    title: str | None = None
    time: str | None = None
    category: str | None = Field(None, description="forces this category, whatever the page says")

    @field_validator("body", "title", "time")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        if value is not None:
            from cssselect import GenericTranslator, SelectorError

            try:
                GenericTranslator().css_to_xpath(value)
            except SelectorError as exc:
                raise ValueError(f"not a CSS selector: {value!r} ({exc})") from None
        return value


class Source(BaseModel):
    """One `[[source]]` entry."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    homepage: str
    feeds: list[str] = []
    sitemaps: list[str] = []
    listings: list[Listing] = []
    category: str | None = None
    encoding: str | None = None
    recrawl: timedelta | None = None  # older form: a flat interval, for 30 days (recheck "6h<30d")
    recheck: str | None = None  # a schedule (schedule.py); None: the KUAIZHAO_RECHECK default
    delay: float | None = Field(None, ge=0, le=3600)
    rules: Rules = Rules()
    enabled: bool = True

    @field_validator("homepage")
    @classmethod
    def _check_homepage(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("feeds", "sitemaps")
    @classmethod
    def _urls(cls, values: list[str]) -> list[str]:
        return [_http_url(v) for v in values]

    @field_validator("listings", mode="before")
    @classmethod
    def _listing_shorthand(cls, values: Any) -> Any:
        """A listing may be written as a bare URL."""
        if isinstance(values, list):
            return [{"url": v} if isinstance(v, str) else v for v in values]
        return values

    @field_validator("encoding")
    @classmethod
    def _codec(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r}") from None
        return value

    @field_validator("recrawl", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)

    @field_validator("recheck")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is not None:
            Schedule.parse(value)
        return value

    @model_validator(mode="after")
    def _recrawl_as_schedule(self) -> Source:
        if self.recheck is None and self.recrawl is not None:
            self.recheck = f"{int(self.recrawl.total_seconds())}s<30d"
        return self

    @model_validator(mode="after")
    def _discoverable(self) -> Source:
        if not (self.feeds or self.sitemaps or self.listings):
            raise ValueError("a source needs at least one of feeds, sitemaps or listings")
        return self

    @property
    def host(self) -> str:
        return urlsplit(self.homepage).netloc.lower()

    @property
    def site_rules(self) -> SiteRules:
        return SiteRules(body=self.rules.body, title=self.rules.title, time=self.rules.time,
                         category=self.rules.category, encoding=self.encoding)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: list[Source] = Field(min_length=1)


def load_sources(path: Path | str) -> list[Source]:
    """Read and check a sources file; raises SourcesError naming file, line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(str(path), None, "file not found (copy sources.example.toml to start)") from None
    except UnicodeDecodeError as exc:
        raise SourcesError(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_sources(text, str(path))


def parse_sources(text: str, name: str = "sources.toml") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(m[1]) if m else None
        raise SourcesError(name, line, f"not valid TOML: {problem}" + (f" (column {m[2]})" if m else "")) from None
    try:
        sources = _File.model_validate(data).source
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        raise SourcesError(name, _line_of(text, loc), f"{_describe(loc, data)}: {_message(err)}") from None
    seen: dict[str, int] = {}
    for index, source in enumerate(sources):
        if source.name in seen:
            raise SourcesError(name, _line_of(text, ("source", index, "name")),
                               f"source {index + 1}: name {source.name!r} is used twice")
        seen[source.name] = index
    return sources


def _message(err: ErrorDetails) -> str:
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r}"
    if err["type"] == "missing":
        return f"{err['loc'][-1]!r} is required"
    return msg.removeprefix("Value error, ")


def _describe(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    if len(loc) >= 2 and loc[0] == "source" and isinstance(loc[1], int):
        entries = data.get("source") or []
        label = f"source {loc[1] + 1}"
        if loc[1] < len(entries) and isinstance(entries[loc[1]], dict) and entries[loc[1]].get("name"):
            label += f" ({entries[loc[1]]['name']})"
        rest = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[2:])
        return label + rest
    return ".".join(str(p) for p in loc) or "file"


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line a validation error points at: the key inside the n-th [[source]] table."""
    lines = text.splitlines()
    if len(loc) < 2 or loc[0] != "source" or not isinstance(loc[1], int):
        return None
    headers = [n for n, line in enumerate(lines) if re.match(r"\s*\[\[\s*source\s*\]\]", line)]
    if loc[1] >= len(headers):
        return None
    start = headers[loc[1]]
    end = headers[loc[1] + 1] if loc[1] + 1 < len(headers) else len(lines)
    key = next((p for p in loc[2:] if isinstance(p, str)), None)
    if key:
        for n in range(start + 1, end):
            as_key = re.match(rf"\s*{re.escape(key)}\s*=", lines[n])
            if as_key or re.match(rf"\s*\[\s*source\.{re.escape(key)}\s*\]", lines[n]):
                return n + 1
    return start + 1
