"""Sources and crawls: the configured outlets, what a crawl may skip, what it must look at again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import transaction

from ...sources import Source as SourceConfig
from ..crawl_report import CrawlReport
from ..models import Category, Page, PageStatus, Source


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


def known_pages() -> dict[str, datetime]:
    """Canonical URL → last fetch time of every page, for deciding what a crawl may skip."""
    return dict(Page.objects.values_list("url", "last_fetched").iterator(chunk_size=5000))


def pages_to_recheck(source_names: Iterable[str], first_seen_after: datetime) -> list[tuple[str, str, datetime]]:
    """(url, source, last fetch) of the pages a crawl of these sources should look at again even
    if no feed or listing links to them any more: that is how removals and edits are noticed.
    Pages excluded by noarchive are left alone until rediscovered."""
    return list(
        Page.objects.filter(source__name__in=list(source_names), first_seen__gte=first_seen_after)
        .exclude(status=PageStatus.EXCLUDED)
        .values_list("url", "source__name", "last_fetched")
        .iterator(chunk_size=5000)
    )

