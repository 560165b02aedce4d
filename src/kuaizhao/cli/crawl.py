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
              help="Fetch every discovered article, and every page still on its recheck schedule, now, "
                   "without conditional requests, and extract each one again.")
def crawl(sources_file: Path | None, only: tuple[str, ...], no_politeness: bool, recrawl_all: bool) -> None:
    """Crawl the configured sources once: discover, fetch, archive, extract, store; and recheck the
    captured articles whose scheduled recheck has come."""
    sources = _sources(sources_file, only)
    click.echo(f"crawling {len(sources)} source(s): {', '.join(s.name for s in sources)}")
    summary = run(sources, polite=not no_politeness, recrawl_all=recrawl_all)
    if summary.stats.get("finish_reason") == "shutdown":
        sys.exit(130)


@click.command()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources file (default: KUAIZHAO_SOURCES or ./sources.toml).")
@click.option("--source", "only", multiple=True, help="Recheck only this source's pages (by name); repeatable.")
@click.option("--no-politeness", is_flag=True, help="No delays or AutoThrottle: only for sites you run yourself.")
def recheck(sources_file: Path | None, only: tuple[str, ...], no_politeness: bool) -> None:
    """Look again at the captured articles whose scheduled recheck has come (no discovery): edits,
    deletions and returns are recorded; an unchanged page answers 304 and costs no extraction."""
    sources = _sources(sources_file, only)
    click.echo(f"rechecking the due pages of {len(sources)} source(s)")
    summary = run(sources, polite=not no_politeness, recrawl_all=False, recheck_only=True)
    if summary.stats.get("finish_reason") == "shutdown":
        sys.exit(130)


def _sources(sources_file: Path | None, only: tuple[str, ...]) -> list[Source]:
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
    return sources


def run(sources: list[Source], polite: bool, recrawl_all: bool, recheck_only: bool = False) -> CrawlSummary:
    """Crawl, print the summary, and return it (`kuaizhao demo` crawls this way too)."""
    from ..crawl.runner import CrawlOptions, run_crawl

    summary = run_crawl(sources, CrawlOptions(polite=polite, recrawl_all=recrawl_all, recheck_only=recheck_only))
    for line in summary.lines():
        click.echo(line)
    return summary
