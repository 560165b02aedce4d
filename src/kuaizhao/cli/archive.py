"""`kuaizhao status` and `kuaizhao stories`: what the archive holds, and grouping old snapshots
into stories (through the services, as a crawl does)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

import click

from .startup import django_setup, pad, progress

if TYPE_CHECKING:
    from ..archive.crawl_report import CrawlReport


@click.command()
def status() -> None:
    """What the archive holds: snapshots, pages by status, captures by outcome, per source."""
    django_setup(reading=True)
    from django.db.models import Count, Max
    from django.utils import timezone

    from ..archive.models import Capture, Page, Snapshot, Source
    from ..search import sync

    click.echo(f"snapshots: {Snapshot.objects.count()} ({Snapshot.objects.public().count()} public)")
    by_status = dict(Page.objects.values_list("status").annotate(n=Count("pk")))
    click.echo("pages: " + (", ".join(f"{k} {v}" for k, v in sorted(by_status.items())) or "none"))
    by_outcome = dict(Capture.objects.values_list("outcome").annotate(n=Count("pk")))
    click.echo("captures: " + (", ".join(f"{k} {v}" for k, v in sorted(by_outcome.items())) or "none"))
    unassigned = Snapshot.objects.filter(story__isnull=True).count()
    click.echo(f"stories: {story_counts()}"
               + (f"; {unassigned} snapshots not grouped yet (`kuaizhao stories`)" if unassigned else ""))
    for source in Source.objects.annotate(pages=Count("page", distinct=True), last=Max("page__last_fetched")):
        when = timezone.localtime(source.last).strftime("%Y-%m-%d %H:%M") if source.last else "never"
        click.echo(f"  {pad(source.name, 14)} {source.pages:>7} pages, last fetch {when}")
        click.echo(f"  {'':14}   {crawl_health(source.crawl_report)}")
    index = sync.status()
    if index.generation is None:
        click.echo(f"search index: none ({index.problem})")
    else:
        behind = f", {index.pending} changes pending" if index.pending else ""
        click.echo(f"search index: {index.documents} of {index.indexable} searchable snapshots{behind}, "
                   f"{index.size_bytes / 1e6:.1f} MB ({index.generation})")


def crawl_health(report: CrawlReport) -> str:
    """One line on a source's last crawl: when, how it ended, what it stored, what went wrong."""
    from django.utils import timezone

    from ..archive.crawl_report import CrawlKind

    if report.started is None:
        return "last crawl: never"

    def when(t: datetime) -> str:
        return timezone.localtime(t).strftime("%Y-%m-%d %H:%M")

    if report.completed:
        end = f"finished {when(report.finished)}" if report.finished else "finished"
    elif report.reason:
        end = f"NOT FINISHED ({report.reason}" + (f", stopped {when(report.finished)})" if report.finished else ")")
    else:
        return f"last crawl {when(report.started)}, NOT FINISHED (running, or its process was killed): no counts"
    counts = (f"{report.count(CrawlKind.FETCHED)} fetched, {report.count(CrawlKind.NEW)} new, "
              f"{report.count(CrawlKind.UNCHANGED)} unchanged")
    skipped = ", ".join(f"{k.value} {n}" for k, n in report.skipped().items())
    problems = ", ".join(f"{k.value} {n}" for k, n in report.problems().items())
    return (f"last crawl {when(report.started)}, {end}: {counts}" + (f"; skipped: {skipped}" if skipped else "")
            + f"; problems: {problems or 'none'}")


def story_counts() -> str:
    from django.db.models import Count

    from ..archive.models import Story

    stories = Story.objects.count()
    shared = Story.objects.annotate(pages=Count("snapshots__page", distinct=True)).filter(pages__gt=1).count()
    return f"{stories} stories, {shared} of them on more than one page"


def cluster(quiet_when_none: bool = True) -> None:
    """Group the snapshots without a story, with a progress bar (`kuaizhao demo` does it too)."""
    from ..archive import services
    from ..archive.models import Snapshot

    if quiet_when_none and not Snapshot.objects.filter(story__isnull=True).exists():
        return
    started = time.perf_counter()
    with progress("finding stories") as report:
        done = services.cluster_unassigned(progress=report)
    seconds = time.perf_counter() - started
    rate = f" in {seconds:.1f} s ({done / seconds:,.0f}/s)" if done else ""
    click.echo(f"assigned a story to {done} snapshots{rate}; {story_counts()}")


@click.command()
def stories() -> None:
    """Group snapshots stored before stories existed into stories (reprints and copies); new ones
    are grouped as they are crawled. Search picks the groups up without a rebuild."""
    django_setup(reading=True)
    cluster(quiet_when_none=False)
    from ..search import sync

    sync.apply_pending(wait=30.0)
