"""The archive spider: discover articles from every configured source, fetch what is due.

Discovery (feeds, sitemaps, listing pages) runs every crawl; an article is fetched when it is new
or its scheduled recheck has come (archive/services/versions.py sets it from the source's
schedule). Pages due for a recheck are also requested whether or not anything links to them, with
the last version's ETag / Last-Modified, so an unchanged page answers 304 and costs no extraction.
The schedule lives in the database, which is what makes a killed crawl resume: the next run skips
what was stored and fetches the rest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from ...archive.access import AccessRule
from ...archive.canonical import canonical_url
from ...archive.ingest import Fetched
from ...archive.services.access import excluded
from ...archive.services.sources import Due
from ...archive.urlkeys import urlkey
from ...sources import Source
from .. import tally
from ..discover import feed_links, listing_links, sitemap_links
from ..items import FailedFetch
from ..middlewares import RAW_KEY

log = logging.getLogger(__name__)


class ArchiveSpider(scrapy.Spider):
    name = "kuaizhao"

    def __init__(self, sources: list[Source], known: dict[str, datetime | None],
                 recrawl_all: bool = False, listing_max_pages: int = 50,
                 recheck: list[Due] | None = None,
                 deep_listings: set[str] | None = None, discover: bool = True,
                 rules: list[AccessRule] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Sources whose last crawl did not finish: their listings are followed to full depth, since
        # an interrupted crawl can have stored page 3 of a listing and not page 4.
        self.deep_listings = deep_listings or set()
        self.sources = {s.name: s for s in sources}
        self.known = known
        self.recheck = recheck or []
        self.rules = rules or []  # access rules in force: what they exclude is not fetched again
        self.discover = discover  # False: `kuaizhao recheck`, due pages only
        self.recrawl_all = recrawl_all
        self.listing_max_pages = listing_max_pages
        self.started = datetime.now(UTC)
        self._queued: set[str] = set()
        self._patterns = {
            (s.name, n): re.compile(listing.pattern) if listing.pattern else None
            for s in sources for n, listing in enumerate(s.listings)
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.response_failed, signal=signals.spider_error)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Known pages due for a recheck first, whether or not anything links to them any more (a
        # removed article vanishes from feeds and listings first), each with its conditional
        # headers; discovery then finds them queued and adds only what is new.
        for due in self.recheck:
            if due.source in self.sources:
                request = self._article(due.url, self.sources[due.source], None, recheck=due)
                if request is not None:
                    yield request
        for source in self.sources.values() if self.discover else ():
            for url in source.feeds:
                yield self._discovery(url, source, self.parse_feed, "feed")
            for url in source.sitemaps:
                yield self._discovery(url, source, self.parse_sitemap, "sitemap")
            for n, listing in enumerate(source.listings):
                yield self._discovery(listing.url, source, self.parse_listing, "listing",
                                      kz_listing=n, kz_page=1)

    # --- discovery ------------------------------------------------------------------------------

    def _discovery(self, url: str, source: Source, callback: Any, kind: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            url, callback=callback, errback=self.discovery_failed, dont_filter=True,
            meta={"kz_kind": kind, "kz_source": source.name, "download_slot": urlsplit(url).netloc, **meta},
        )

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self._count("discovery/feeds")
        source = self.sources[response.meta["kz_source"]]
        for link in feed_links(response.body, response.url):
            if (request := self._article(link, source, None)) is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        self._count("discovery/sitemaps")
        source = self.sources[response.meta["kz_source"]]
        found = sitemap_links(response.body)
        for nested in found.sitemaps:
            yield self._discovery(nested, source, self.parse_sitemap, "sitemap")
        for link in found.articles:
            if (request := self._article(link, source, None)) is not None:
                yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        self._count("discovery/listings")
        source = self.sources[response.meta["kz_source"]]
        n, page = response.meta["kz_listing"], response.meta["kz_page"]
        listing = source.listings[n]
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        found = listing_links(response.body, response.url, self._patterns[(source.name, n)], content_type)
        due = 0
        for link in found.articles:
            if (request := self._article(link, source, listing.category)) is not None:
                due += 1
                yield request
        # Pages further back only hold older articles: after a finished crawl, stop paginating once
        # a page had nothing due.
        limit = listing.max_pages or self.listing_max_pages
        if found.next_page and (due or source.name in self.deep_listings) and page < limit:
            yield self._discovery(found.next_page, source, self.parse_listing, "listing",
                                  kz_listing=n, kz_page=page + 1)

    def discovery_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on an errback's failure
        source = request.meta.get("kz_source")
        if failure.check(IgnoreRequest):
            self._count("skipped/robots", source, "robots")
            log.info("robots.txt forbids %s", request.url)
            return
        self._count("errors/discovery", source, "discovery")
        self._count(f"errors/source/{source}")
        log.warning("cannot read %s of %s (%s): %s", request.meta.get("kz_kind"), source, request.url,
                    failure.getErrorMessage())

    # --- articles -------------------------------------------------------------------------------

    def _article(self, url: str, source: Source, category: str | None,
                 recheck: Due | None = None) -> scrapy.Request | None:
        try:
            canonical = canonical_url(url)
        except ValueError as exc:
            self._count("skipped/bad-url", source.name, "bad-url")
            log.warning("bad URL in %s: %r (%s)", source.name, url, exc)
            return None
        if canonical in self._queued:
            return None
        self._queued.add(canonical)
        if self.rules and excluded(self.rules, urlkey(canonical), self.started):
            self._count("skipped/excluded", source.name, "excluded")
            log.info("excluded by an access rule, not fetched: %s", canonical)
            return None
        if recheck is None and canonical in self.known and not self.recrawl_all:
            due = self.known[canonical]
            if due is None or due > self.started:  # its schedule has ended, or its recheck has not come
                self._count("skipped/fresh", source.name, "fresh")
                return None
        self._count("requested/recheck" if recheck else "requested/discovered")
        conditional = {}
        if recheck is not None and not self.recrawl_all:
            if recheck.etag:
                conditional["If-None-Match"] = recheck.etag
            if recheck.last_modified:
                conditional["If-Modified-Since"] = recheck.last_modified
        return scrapy.Request(
            canonical, callback=self.parse_article, errback=self.article_failed, headers=conditional,
            meta={"kz_kind": "article", "kz_source": source.name, "kz_page_url": canonical,
                  "kz_category": category, "download_slot": urlsplit(canonical).netloc,
                  "handle_httpstatus_all": True},
        )

    def parse_article(self, response: Response) -> Iterator[Fetched]:
        raw = response.meta.get(RAW_KEY)
        if raw is None:  # cannot happen with RawResponseMiddleware enabled; never archive a guess
            log.error("no raw response recorded for %s", response.url)
            return
        source = self.sources[response.meta["kz_source"]]
        yield Fetched(
            page=raw, decoded_body=response.body, page_url=response.meta["kz_page_url"],
            source=source.name, category=response.meta.get("kz_category"), rules=source.site_rules,
            reread=self.recrawl_all,
        )

    def article_failed(self, failure: Failure) -> Iterator[FailedFetch]:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on an errback's failure
        source = request.meta["kz_source"]
        if failure.check(IgnoreRequest):
            self._count("skipped/robots", source, "robots")
            log.info("robots.txt forbids %s", request.url)
            return
        if failure.check(DownloadCancelledError) and "max size" in failure.getErrorMessage():
            self._count("skipped/oversized", source, "oversized")
            log.warning("not archived, body over the size limit: %s", request.url)
            return
        self._count("errors/unreachable", source, "unreachable")
        log.warning("unreachable: %s: %s", request.url, failure.getErrorMessage())
        yield FailedFetch(request.meta["kz_page_url"], datetime.now(UTC), request.meta["kz_source"],
                          failure.getErrorMessage()[:300])

    def response_failed(self, failure: Failure, response: Response, spider: Any = None) -> None:
        """An exception in a callback (Scrapy counts it crawl-wide): counted for its source too."""
        assert self.crawler.stats is not None
        request = getattr(response, "request", None)
        tally.count(self.crawler.stats, request.meta.get("kz_source") if request else None, "exception")

    def _count(self, key: str, source: str | None = None, kind: str | None = None) -> None:
        """Count crawl-wide (`kz/<key>`) and, given a kind, for the source (crawl/tally.py)."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"kz/{key}")
        if kind is not None:
            tally.count(self.crawler.stats, source, kind)
