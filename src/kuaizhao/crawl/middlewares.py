"""Downloader middlewares: keep the response as received; keep each host's delay at its floor;
follow no redirect off the hosts a source names."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response

from ..archive.fetched import FetchedPage

RAW_KEY = "kz_raw"


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    """Scrapy Headers → [(name, value)] in received order, one pair per repeated header."""
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items()
            for value in values]


class RawResponseMiddleware:
    """Record each article response exactly as the downloader returned it.

    Runs closest to the downloader (priority 950), before Scrapy decompresses the body, follows
    redirects or retries, so the WARC record gets the bytes that came over the wire. Only the last
    response of a redirect chain survives in `request.meta` and is archived.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("kz_kind") == "article":
            request.meta[RAW_KEY] = FetchedPage(
                url=response.url,
                status=response.status,
                headers=_pairs(response.headers),
                body=response.body,
                fetched_at=datetime.now(UTC),
                request_headers=_pairs(request.headers),
                method=request.method,
                protocol=response.protocol or "HTTP/1.1",
                ip=str(response.ip_address) if response.ip_address else None,
            )
        return response


class PolitenessMiddleware:
    """Keep each host's delay at or above its floor: the source's `delay` and robots.txt Crawl-delay.

    Scrapy reads robots.txt for Disallow but ignores Crawl-delay, and AutoThrottle lowers every
    slot's delay towards the global DOWNLOAD_DELAY, erasing per-source delays. This middleware runs
    after AutoThrottle has adjusted a slot (the response_downloaded signal fires first) and raises
    the delay back to the floor. Slots are keyed by host:port (see the spider's `download_slot`).
    """

    def __init__(self, crawler: Crawler, floors: dict[str, float], robots_agent: str, max_delay: float) -> None:
        self.crawler = crawler
        self.floors = dict(floors)
        self.robots_agent = robots_agent
        self.max_delay = max_delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        settings = crawler.settings
        if not settings.getbool("KZ_POLITE", True):
            raise NotConfigured("politeness off")
        return cls(crawler, settings.getdict("KZ_HOST_DELAYS"), settings.get("ROBOTSTXT_USER_AGENT") or "*",
                   settings.getfloat("KZ_MAX_CRAWL_DELAY", 30.0))

    def process_response(self, request: Request, response: Response) -> Response:
        netloc = urlsplit(response.url).netloc
        is_robots = request.meta.get("dont_obey_robotstxt") and urlsplit(response.url).path == "/robots.txt"
        if is_robots and response.status == 200:
            delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.robots_agent)
            if delay:
                self.floors[netloc] = max(self.floors.get(netloc, 0.0), min(float(delay), self.max_delay))
        key = request.meta.get("download_slot", netloc)
        floor = self.floors.get(key)
        if floor:
            slot = self.crawler.engine.downloader.slots.get(key) if self.crawler.engine else None
            if slot is not None and slot.delay < floor:
                slot.delay = floor
        return response


class OffsiteRedirectMiddleware:
    """Follow no redirect to a host the crawl was not asked to fetch.

    Article requests follow nothing (the spider asks for every status: a 3xx is captured as it
    came), and <meta http-equiv="refresh"> is never followed (METAREFRESH_ENABLED off): what was
    fetched is what is archived. Discovery (feeds, sitemaps, listings) may be redirected, within
    the hosts its source names (homepage, feeds, sitemaps, listings) and their subdomains.
    """

    def __init__(self, hosts: dict[str, set[str]]) -> None:
        self.hosts = hosts  # source name → host names

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirectMiddleware:
        hosts = {}
        for source in crawler.settings.get("KZ_SOURCES") or []:
            urls = [source.homepage, *source.feeds, *source.sitemaps, *(listing.url for listing in source.listings)]
            hosts[source.name] = {h for u in urls if (h := urlsplit(u).hostname)}
        return cls(hosts)

    def process_request(self, request: Request, spider: object = None) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain:
            return
        host = urlsplit(request.url).hostname or ""
        allowed = {*self.hosts.get(request.meta.get("kz_source", ""), set()), urlsplit(chain[0]).hostname}
        if not any(host == a or host.endswith("." + a) for a in allowed if a):
            raise IgnoreRequest(f"redirect to another host, not followed: {chain[0]} → {request.url}")
