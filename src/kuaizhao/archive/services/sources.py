"""Sources and crawls: the configured outlets, what a crawl may skip, what it must look at again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from ...sources import Source as SourceConfig
from ..crawl_report import CrawlReport
from ..models import Category, Page, Source


def sync_sources(configs: Iterable[SourceConfig]) -> dict[str, Source]:
    """Create or update a Source row per configured source (config kept for display)."""
    categories = category_map()
    rows = {}
    for config in configs:
        row, _ = Source.objects.update_or_create(
            name=config.name,
            defaults={
                "homepage": config.homepage,
                "default_category": categories.get(config.category) if config.category else None,
                "config": config.model_dump(mode="json"),
            },
        )
        rows[config.name] = row
    return rows


def start_crawl(names: Iterable[str], when: datetime) -> set[str]:
    """Record that a crawl of these sources starts; returns those whose previous crawl never
    finished, whose listings must therefore be followed to full depth again."""
    rows = list(Source.objects.filter(name__in=list(names)))
    interrupted = {s.name for s in rows if s.last_crawl_interrupted}
    # The report of the previous crawl goes: until this one ends, the source shows a crawl started
    # and not finished, which is also what a killed crawl leaves behind.
    Source.objects.filter(pk__in=[s.pk for s in rows]).update(
        crawl_started_at=when, last_crawl=CrawlReport(started=when).to_json())
    return interrupted


def end_crawl(names: Iterable[str], started: datetime, ended: datetime, reason: str,
              counts: Mapping[str, Mapping[str, int]]) -> None:
    """Record how a crawl of these sources ended (Scrapy's finish reason: "finished" when it ran
    to its end) and what it counted per source (`counts`: source name → CrawlKind value → n)."""
    with transaction.atomic():
        for source in Source.objects.filter(name__in=list(names)):
            source.last_crawl = CrawlReport(started, ended, reason, dict(counts.get(source.name, {}))).to_json()
            fields = ["last_crawl"]
            if reason == "finished":
                source.crawl_completed_at = ended
                fields.append("crawl_completed_at")
            source.save(update_fields=fields)


def category_map() -> dict[str, Category]:
    return {c.name: c for c in Category.objects.all()}


def known_pages() -> dict[str, datetime | None]:
    """Canonical URL → next scheduled recheck (None: its schedule has ended) of every page, for
    deciding what a crawl may skip when discovery links to a page it already has."""
    return dict(Page.objects.values_list("url", "next_check").iterator(chunk_size=5000))


@dataclass(frozen=True)
class Due:
    """A page due for a recheck, with what a conditional request needs."""

    url: str
    source: str
    etag: str | None
    last_modified: str | None


def pages_to_recheck(source_names: Iterable[str], now: datetime) -> list[Due]:
    """The pages of these sources whose scheduled recheck has come, found on the `next_check`
    index whether or not a feed still links to them: that is how edits and removals are noticed.
    The last version's ETag and Last-Modified go along, so an unchanged page answers 304."""
    rows = (Page.objects.filter(source__name__in=list(source_names), next_check__lte=now)
            .order_by("next_check")
            .values_list("url", "source__name", "latest_snapshot__capture__headers")
            .iterator(chunk_size=5000))
    return [Due(url, source, _header(headers, "etag"), _header(headers, "last-modified"))
            for url, source, headers in rows]


def _header(headers: list[list[str]] | None, name: str) -> str | None:
    return next((value for key, value in headers or [] if key.lower() == name), None)

