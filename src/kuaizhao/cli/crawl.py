"""`kuaizhao crawl`: one crawl of the configured sources."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .startup import django_setup

if TYPE_CHECKING:
    from ..crawl.runner import CrawlSummary
    from ..sources import Source


@click.command()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources file (default: KUAIZHAO_SOURCES or ./sources.toml).")
@click.option("--source", "only", multiple=True, help="Crawl only this source (by name); repeatable.")
@click.option("--no-politeness", is_flag=True, help="No delays or AutoThrottle: only for sites you run yourself.")
@click.option("--recrawl-all", is_flag=True,
              help="Fetch every discovered article, and every page still on its recheck schedule, now.")
def crawl(sources_file: Path | None, only: tuple[str, ...], no_politeness: bool, recrawl_all: bool) -> None:
    """Crawl the configured sources once: discover, fetch, archive, extract, store."""
    from ..sources import load_sources

    django_setup()
    from django.conf import settings

    sources = [s for s in load_sources(sources_file or settings.SOURCES_FILE) if s.enabled]
    if only:
        unknown = sorted(set(only) - {s.name for s in sources})
        if unknown:
            known = ", ".join(s.name for s in sources)
            raise click.ClickException(f"no such source: {', '.join(unknown)} (known: {known})")
        sources = [s for s in sources if s.name in only]
    click.echo(f"crawling {len(sources)} source(s): {', '.join(s.name for s in sources)}")
    summary = run(sources, polite=not no_politeness, recrawl_all=recrawl_all)
    if summary.stats.get("finish_reason") == "shutdown":
        sys.exit(130)


def run(sources: list[Source], polite: bool, recrawl_all: bool) -> CrawlSummary:
    """Crawl, print the summary, and return it (`kuaizhao demo` crawls this way too)."""
    from ..crawl.runner import CrawlOptions, run_crawl

    summary = run_crawl(sources, CrawlOptions(polite=polite, recrawl_all=recrawl_all))
    for line in summary.lines():
        click.echo(line)
    return summary
