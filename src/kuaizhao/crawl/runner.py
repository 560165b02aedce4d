"""Run one crawl in this process: Scrapy settings from ours, the spider, and the summary."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from scrapy.crawler import CrawlerProcess

from ..archive.services import access, end_crawl, known_pages, pages_to_recheck, start_crawl, sync_sources
from ..sources import Source
from .progress import counts
from .spiders.archive import ArchiveSpider
from .tally import per_source


@dataclass(frozen=True)
class CrawlOptions:
    polite: bool = True  # delays, AutoThrottle and low per-host concurrency; off only for your own sites
    recrawl_all: bool = False  # fetch every discovered article, and every page on its schedule, now
    recheck_only: bool = False  # no discovery: only the pages whose scheduled recheck has come
    progress: bool = True
    progress_interval: float | None = None


@dataclass(frozen=True)
class CrawlSummary:
    stats: dict[str, Any]
    seconds: float
    log_file: Path

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.stats)

    def lines(self) -> list[str]:
        """A human summary: what was fetched and stored, and every reason something was not."""
        s = self.stats
        c = self.counts
        rate = c["fetched"] / self.seconds if self.seconds else 0.0
        out = [
            (f"crawl finished in {self.seconds:.1f}s ({s.get('finish_reason', 'unknown')}): "
             f"{c['fetched']} pages fetched ({rate:.1f}/s), "
             f"{s.get('kz/requested/discovered', 0)} new or due from feeds/sitemaps/listings, "
             f"{s.get('kz/requested/recheck', 0)} known pages rechecked"),
            f"  new snapshots      {s.get('kz/outcome/new', 0)}",
            f"  unchanged          {c['unchanged']}"
            + (f" ({n} answered 304: not extracted)" if (n := s.get("kz/outcome/not-modified")) else "")
            + (f" ({n} with the article's parts unchanged: not extracted)"
               if (n := s.get("kz/outcome/same-article")) else ""),
        ]
        reasons = {
            "already fresh (recheck not due)": s.get("kz/skipped/fresh", 0),
            "forbidden by robots.txt": s.get("kz/skipped/robots", 0),
            "excluded by an access rule (takedown)": s.get("kz/skipped/excluded", 0),
            "noarchive (publisher forbids archiving)": s.get("kz/outcome/noarchive", 0),
            "not HTML": s.get("kz/outcome/not-html", 0),
            "no article on the page": s.get("kz/outcome/not-article", 0),
            "read as far less text: to be fetched again": s.get("kz/outcome/suspect", 0),
            "body over the size limit": s.get("kz/skipped/oversized", 0),
            "bad URL": s.get("kz/skipped/bad-url", 0),
            "HTTP error (404/410/5xx)": s.get("kz/outcome/http-error", 0),
            "unreachable (timeout, refused, DNS)": s.get("kz/errors/unreachable", 0),
            "feed/sitemap/listing unreadable": s.get("kz/errors/discovery", 0),
            "errors while processing a response (see log)": s.get("spider_exceptions/count", 0),
            "batches that could not be stored": s.get("kz/errors/store", 0),
        }
        out += [f"  {label:<46} {n}" for label, n in reasons.items() if n]
        failing = sorted(k.split("/", 3)[3] for k in s if k.startswith("kz/errors/source/"))
        if failing:
            out.append(f"  sources with unreadable discovery pages: {', '.join(failing)}")
        if s.get("kz/store_failure"):
            out.append(f"  STOPPED: captures could not be stored: {s['kz/store_failure']}")
        if s.get("kz/recovered_warc_files"):
            out.append(f"  WARC files recovered from an interrupted crawl: {s['kz/recovered_warc_files']}")
        out.append(f"  log: {self.log_file}")
        return out


def scrapy_settings(sources: list[Source], options: CrawlOptions, log_file: Path) -> dict[str, Any]:
    s = django_settings
    polite = options.polite
    host_delays = {urlsplit(u).netloc: src.delay for src in sources if src.delay is not None
                   for u in [src.homepage, *src.feeds, *src.sitemaps, *(li.url for li in src.listings)]}
    per_host = s.CONCURRENCY_PER_HOST if polite else 32
    settings: dict[str, Any] = {
        "BOT_NAME": "kuaizhao",
        "USER_AGENT": s.USER_AGENT,
        "ROBOTSTXT_OBEY": s.OBEY_ROBOTS,
        "ROBOTSTXT_USER_AGENT": "Kuaizhao",
        "CONCURRENT_REQUESTS": s.CONCURRENCY if polite else 96,
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": s.DOWNLOAD_DELAY if polite else 0,
        "DOWNLOAD_DELAY_JITTER": 0.5 if polite else 0,
        "AUTOTHROTTLE_ENABLED": polite and s.AUTOTHROTTLE,
        "AUTOTHROTTLE_START_DELAY": max(s.DOWNLOAD_DELAY, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_SLOTS": {h: {"delay": d, "concurrency": per_host} for h, d in host_delays.items()} if polite else {},
        "KZ_HOST_DELAYS": host_delays if polite else {},
        "KZ_POLITE": polite,
        "DOWNLOAD_TIMEOUT": s.DOWNLOAD_TIMEOUT,
        "DOWNLOAD_MAXSIZE": s.MAX_BODY_BYTES,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": 2,
        # Items are stored synchronously in batches, so parallel item processing buys nothing, and
        # Scrapy pays for each of CONCURRENT_ITEMS cooperative tasks on every callback's output.
        "CONCURRENT_ITEMS": 4,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy checks every callback for a generator that returns a value by parsing its source;
        # the check's cache is keyed weakly on the bound method, which dies at once, so it parses
        # again for every response: 15 % of a recheck's crawl process. Our callbacks return nothing.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_INSTALL_ROOT_HANDLER": True,
        "DNSCACHE_ENABLED": True,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        # Not asyncio: with no event loop running in this thread, Django's ORM can be called
        # from the pipeline directly.
        "TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor",
        "DOWNLOADER_MIDDLEWARES": {
            "kuaizhao.crawl.middlewares.RawResponseMiddleware": 950,
            "kuaizhao.crawl.middlewares.PolitenessMiddleware": 580,
            # Before robots.txt (100), which would fetch the other host's robots.txt first.
            "kuaizhao.crawl.middlewares.OffsiteRedirectMiddleware": 90,
        },
        # A refresh tag is part of the page as served: capture it, never follow it (to another
        # host, or back to the page itself, where the duplicate filter would drop the article).
        "METAREFRESH_ENABLED": False,
        "ITEM_PIPELINES": {"kuaizhao.crawl.pipelines.ArchivePipeline": 300},
        "EXTENSIONS": {"kuaizhao.crawl.progress.ProgressReporter": 500},
        "KZ_PROGRESS": options.progress,
        "KZ_SOURCES": sources,
        "KZ_WARC_DIR": str(s.WARC_DIR),
        "KZ_WARC_MAX_BYTES": s.WARC_MAX_BYTES,
        "KZ_STORE_BATCH": s.STORE_BATCH,
        "KZ_STORE_PROCESS": s.STORE_PROCESS,
        "LOG_FILE": str(log_file),
        "LOG_LEVEL": s.LOG_LEVEL,
        "LOG_FILE_APPEND": True,
    }
    if options.progress_interval:
        settings["KZ_PROGRESS_INTERVAL"] = options.progress_interval
    return settings


def run_crawl(sources: list[Source], options: CrawlOptions = CrawlOptions()) -> CrawlSummary:
    """Crawl the given sources once, to completion (or Ctrl-C), in this process."""
    log_dir = Path(django_settings.DATA_DIR) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "crawl.log"
    sync_sources(sources)
    names = [s.name for s in sources]
    started_at = datetime.now(UTC)
    deep = start_crawl(names, started_at)
    process = CrawlerProcess(scrapy_settings(sources, options, log_file))
    # Our crawl warnings go to the crawl log with Scrapy's; the terminal gets progress and counts.
    ours = logging.getLogger("kuaizhao")
    ours.handlers.clear()
    ours.propagate = True
    ours.setLevel(django_settings.LOG_LEVEL)
    crawler = process.create_crawler(ArchiveSpider)
    process.crawl(
        crawler, sources=sources, known=known_pages(),
        recrawl_all=options.recrawl_all, listing_max_pages=django_settings.LISTING_MAX_PAGES,
        # --recrawl-all looks at every page still on its schedule, due or not
        recheck=pages_to_recheck(names, datetime.max.replace(tzinfo=UTC) if options.recrawl_all else started_at),
        deep_listings=deep, discover=not options.recheck_only, rules=access.rules_in_force(),
    )
    started = time.monotonic()
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    # Finished or not (Ctrl-C, a store failure): each source's report says how far it got.
    end_crawl(names, started_at, datetime.now(UTC), stats.get("finish_reason", ""), per_source(stats))
    return CrawlSummary(stats, time.monotonic() - started, log_file)
