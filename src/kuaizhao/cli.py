"""The `kuaizhao` command: demo, crawl, serve, extract, search, reindex, status and friends."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click

from . import __version__
from .exceptions import KuaizhaoError


def _django(data_dir: Path | None = None, database_url: str | None = None, migrate: bool = True) -> None:
    """Configure Django (settings are read from the environment once, here) and migrate."""
    if data_dir is not None:
        os.environ["KUAIZHAO_DATA_DIR"] = str(data_dir)
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuaizhao.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            click.echo("preparing the database (migrations)…", err=True)
            call_command("migrate", interactive=False, verbosity=0)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KuaizhaoError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="kuaizhao")
def main() -> None:
    """快照 Kuaizhao: a Chinese news snapshot archive and search service."""


@main.command()
@click.option("--reset", is_flag=True, help="Delete var/demo and start over.")
@click.option("--articles", default=300, show_default=True, help="Size of the demo news site (first run only).")
@click.option("--port", default=8000, show_default=True, help="Port of the archive web site.")
@click.option("--site-port", default=8101, show_default=True, help="First of three ports for the demo news site.")
@click.option("--no-serve", is_flag=True, help="Crawl, then exit instead of serving.")
def demo(reset: bool, articles: int, port: int, site_port: int, no_serve: bool) -> None:
    """Start the demo news site, crawl it into var/demo and serve the archive."""
    from .demo.launch import DemoSiteProcess, DemoState

    base = Path(os.environ.get("KUAIZHAO_DATA_DIR", "./var")).resolve()
    data = base / "demo"
    if reset and data.exists():
        click.echo(f"deleting {data}")
        shutil.rmtree(data)
    state, fresh = DemoState.load_or_create(data / "demo-site.json", articles, 1, site_port)
    click.echo(("new demo site" if fresh else "reusing the demo site of the last run")
               + f": {state.articles} articles, newest at {state.anchor} (--reset starts over)")
    # The demo is self-contained: its own SQLite database whatever DATABASE_URL says.
    _django(data, f"sqlite:///{data / 'kuaizhao.sqlite3'}")
    site = DemoSiteProcess(state, data / "logs" / "demo-site.log")
    try:
        urls = site.start()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        from .demo.server import demo_sources_toml
        from .sources import load_sources

        sources_file = data / "sources.toml"
        sources_file.write_text(demo_sources_toml(urls))
        click.echo("demo news site: " + "  ".join(f"{k} {u}" for k, u in urls.items()))
        click.echo(f"crawling it (sources: {sources_file}); politeness is off because the site is ours, on loopback")
        summary = _crawl(load_sources(sources_file), polite=False, recrawl_all=False)
        if summary.stats.get("finish_reason") == "shutdown":
            raise click.ClickException("crawl interrupted; run `kuaizhao demo` again to resume it")
        _cluster()  # a var/demo of an older version has snapshots without stories
        _ensure_index()
        if no_serve:
            return
        _serve("127.0.0.1", port, None, access_log=False)
    finally:
        site.stop()


@main.command("demo-site")
@click.option("--port", default=8101, show_default=True, help="First port; the three outlets use port, port+1, port+2.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--articles", default=300, show_default=True, type=click.IntRange(30))
@click.option("--seed", default=1, show_default=True)
@click.option("--edition", default=0, show_default=True, help="1: some articles edited, some removed.")
@click.option("--anchor", default=None, help="ISO time of the newest article (default: now).")
def demo_site(port: int, host: str, articles: int, seed: int, edition: int, anchor: str | None) -> None:
    """Serve the demo news site (three outlets) in the foreground."""
    from .demo import DemoServer, DemoSite

    when = datetime.fromisoformat(anchor) if anchor else None
    server = DemoServer(DemoSite(articles, seed, when, edition), host, port)
    for key, url in server.urls.items():
        click.echo(f"{key:<9} {url}/")
    click.echo(f"{articles} articles, edition {edition}; Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@main.command()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Sources file (default: KUAIZHAO_SOURCES or ./sources.toml).")
@click.option("--source", "only", multiple=True, help="Crawl only this source (by name); repeatable.")
@click.option("--no-politeness", is_flag=True, help="No delays or AutoThrottle: only for sites you run yourself.")
@click.option("--recrawl-all", is_flag=True, help="Fetch every discovered article again, even if fresh.")
def crawl(sources_file: Path | None, only: tuple[str, ...], no_politeness: bool, recrawl_all: bool) -> None:
    """Crawl the configured sources once: discover, fetch, archive, extract, store."""
    from .sources import load_sources

    _django()
    from django.conf import settings

    sources = [s for s in load_sources(sources_file or settings.SOURCES_FILE) if s.enabled]
    if only:
        unknown = sorted(set(only) - {s.name for s in sources})
        if unknown:
            known = ", ".join(s.name for s in sources)
            raise click.ClickException(f"no such source: {', '.join(unknown)} (known: {known})")
        sources = [s for s in sources if s.name in only]
    click.echo(f"crawling {len(sources)} source(s): {', '.join(s.name for s in sources)}")
    summary = _crawl(sources, polite=not no_politeness, recrawl_all=recrawl_all)
    if summary.stats.get("finish_reason") == "shutdown":
        sys.exit(130)


def _crawl(sources: list, polite: bool, recrawl_all: bool):
    from .crawl.runner import CrawlOptions, run_crawl

    summary = run_crawl(sources, CrawlOptions(polite=polite, recrawl_all=recrawl_all))
    for line in summary.lines():
        click.echo(line)
    return summary


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", type=int, default=None, help="gunicorn workers (default: 2 per core, 2–8).")
@click.option("--access-log", is_flag=True, help="Log every request to stderr.")
def serve(host: str, port: int, workers: int | None, access_log: bool) -> None:
    """Serve the archive web site with gunicorn."""
    _django()
    _serve(host, port, workers, access_log)


def _serve(host: str, port: int, workers: int | None, access_log: bool) -> None:
    from .serve import serve as run

    def ready(server: object) -> None:
        click.echo(f"serving the archive on http://{host}:{port}/ (Ctrl-C to stop)")

    run(host, port, workers, access_log, on_ready=ready)


@main.command()
@click.argument("file", type=click.File("rb"), required=False)
@click.option("--url", default="http://example.invalid/", help="The page's URL (dates and categories in it count).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--captured", default=None, help="Capture time (ISO 8601) for relative times like 3分钟前; default now.")
@click.option("--charset", default=None, help="Decode with this charset instead of detecting it.")
@click.option("--eval", "eval_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Score a gold directory (gold.jsonl + pages/<id>.html) instead of extracting one page.")
def extract(file: click.utils.LazyFile | None, url: str, as_json: bool, captured: str | None, charset: str | None,
            eval_dir: Path | None) -> None:
    """Extract the article from a saved page (FILE, or - for standard input), or score a gold set."""
    from .extract import SiteRules
    from .extract import extract as run

    if eval_dir is not None:
        from .evaluate import evaluate

        try:
            report = evaluate(eval_dir)
        except (FileNotFoundError, KeyError, ValueError) as exc:
            raise click.ClickException(f"cannot evaluate {eval_dir}: {exc}") from None
        if as_json:
            click.echo(json.dumps({**report.figures(), "pages": report.pages, "no_article": report.none}))
        else:
            click.echo(f"{eval_dir}: {report.line()}")
            if report.none:
                click.echo(f"  no article found on: {', '.join(report.none)}")
        return
    if file is None:
        raise click.UsageError("give a FILE (or - for standard input), or --eval DIR")
    body = file.read()
    when = datetime.fromisoformat(captured) if captured else datetime.now(UTC)
    if when.tzinfo is None:
        raise click.BadParameter("give the capture time with its offset, e.g. 2026-11-24T08:00:00+08:00",
                                 param_hint="--captured")
    article = run(body, url, {}, captured=when, rules=SiteRules(encoding=charset))
    if article is None:
        if as_json:
            click.echo("null")
        raise click.ClickException("no article found on this page (index page, error page or too little text)")
    if as_json:
        click.echo(json.dumps(article.as_dict(), ensure_ascii=False, indent=2))
        return
    d = article.as_dict()
    for key in ("title", "published", "time_source", "updated", "source", "reposted_from", "original_title",
                "author", "editor", "category", "charset"):
        value = d[key]
        if value not in (None, [], ""):
            click.echo(f"{key + ':':<16}{'、'.join(value) if isinstance(value, list) else value}")
    click.echo()
    click.echo(article.text)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, drawn from the first report on (when the total is known)."""
    bar = None

    def report(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label=label, show_pos=True, show_percent=True,
                                    file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield report
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _ensure_index() -> None:
    """Rebuild the search index when it is missing, outdated or behind (data of an older version)."""
    from .search import sync

    state = sync.status()
    if state.generation is not None and state.pending:
        sync.apply_pending(wait=30.0)  # logged changes (a crawl's last, new stories) need no rebuild
        state = sync.status()
    if state.generation is not None and state.documents == state.indexable and not state.pending:
        click.echo(f"search index: {state.documents} documents, up to date")
        return
    found = state.problem or f"{state.documents} of {state.indexable} documents"
    click.echo(f"search index: {found}; rebuilding")
    _reindex()


def _reindex() -> None:
    from .search import sync

    with _progress("indexing") as progress:
        report = sync.reindex(progress)
    rate = report.documents / report.seconds if report.seconds else 0
    click.echo(f"indexed {report.documents} snapshots in {report.seconds:.1f} s ({rate:,.0f}/s), "
               f"{report.size_bytes / 1e6:.1f} MB; now live: {report.generation}"
               + (f"; caught up with {report.caught_up} changes made meanwhile" if report.caught_up else ""))
    if report.removed:
        click.echo(f"removed old or unfinished generations: {', '.join(report.removed)}")


@main.command()
@click.option("--pending", is_flag=True, help="Only apply the changes logged since the last update.")
def reindex(pending: bool) -> None:
    """Rebuild the search index from the database (search keeps answering meanwhile)."""
    _django()
    if pending:
        from .search import sync

        applied = sync.apply_pending(wait=30.0)
        state = sync.status()
        click.echo(f"applied {applied} changes; the index holds {state.documents} snapshots")
        return
    _reindex()


@main.command()
@click.argument("query")
@click.option("--sort", type=click.Choice(["relevance", "time"]), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(1, 50), default=1, show_default=True)
@click.option("--limit", "per_page", type=click.IntRange(1, 50), default=10, show_default=True,
              help="Results per page.")
@click.option("--json", "as_json", is_flag=True, help="Print the result page as JSON (the /api/search shape).")
def search(query: str, sort: str, page: int, per_page: int, as_json: bool) -> None:
    """Search the archive, e.g. kuaizhao search '"解散国会" 来源:新华社 after:2023'."""
    _django()
    import html
    import re

    from django.conf import settings
    from django.utils import timezone

    from .exceptions import QueryError
    from .search import service

    try:
        found = service.search(query, sort=sort, page=page, per_page=per_page)
    except QueryError as e:
        raise click.ClickException(f"检索式有误：{e.message}") from None
    if as_json:
        click.echo(json.dumps(service.as_json(found, settings.PUBLIC_URL), ensure_ascii=False, indent=2))
        return
    results = found.results
    styled = sys.stdout.isatty()

    def plain(fragment: str) -> str:
        def mark(m: re.Match[str]) -> str:
            inner = m.group(1)
            return click.style(inner, fg="red", bold=True) if styled else f"[{inner}]"

        return html.unescape(re.sub(r"<mark>(.*?)</mark>", mark, fragment))

    click.echo(f"{results.total} found · {results.query.explain()} · page {results.page} · {results.took_ms:.1f} ms")
    for note in results.query.notes:
        click.echo(f"  ({note})")
    for n, item in enumerate(found.items, start=(results.page - 1) * results.per_page + 1):
        s = item.snapshot
        credit = f"（来源：{s.other_credit}）" if s.other_credit else ""
        meta = [timezone.localtime(s.sort_time).strftime("%Y-%m-%d %H:%M"), s.site_label + credit,
                s.category.name if s.category else ""]
        if item.original:
            meta.append(f"首发：{item.original.site_label}")
        if item.reprints:
            meta.append(f"{item.reprints} 家转载")
        click.echo(f"{n:>3}. {plain(item.title)}")
        click.echo("     " + " · ".join(m for m in meta if m))
        click.echo("     " + plain(item.excerpt))
        click.echo(f"     {settings.PUBLIC_URL}/snapshot/{s.pk}/")
    if results.has_next:
        click.echo(f"more: --page {results.page + 1}")
    if found.hints.parts:
        click.echo("  each part alone: " + " · ".join(f"{h.label} {h.total}" for h in found.hints.parts))
    for hint in found.hints.instead:
        click.echo(f"  try {hint.label}: kuaizhao search {shlex.quote(hint.query)}  ({hint.total} found)")


def _cluster(quiet_when_none: bool = True) -> None:
    from .archive import services
    from .archive.models import Snapshot

    if quiet_when_none and not Snapshot.objects.filter(story__isnull=True).exists():
        return
    started = time.perf_counter()
    with _progress("finding stories") as progress:
        done = services.cluster_unassigned(progress=progress)
    seconds = time.perf_counter() - started
    rate = f" in {seconds:.1f} s ({done / seconds:,.0f}/s)" if done else ""
    click.echo(f"assigned a story to {done} snapshots{rate}; {_story_counts()}")


def _story_counts() -> str:
    from django.db.models import Count

    from .archive.models import Story

    stories = Story.objects.count()
    shared = Story.objects.annotate(pages=Count("snapshots__page", distinct=True)).filter(pages__gt=1).count()
    return f"{stories} stories, {shared} of them on more than one page"


@main.command()
def stories() -> None:
    """Group snapshots stored before stories existed into stories (reprints and copies); new ones
    are grouped as they are crawled. Search picks the groups up without a rebuild."""
    _django()
    _cluster(quiet_when_none=False)
    from .search import sync

    sync.apply_pending(wait=30.0)


@main.command()
def status() -> None:
    """What the archive holds: snapshots, pages by status, captures by outcome, per source."""
    _django()
    from django.db.models import Count, Max

    from .archive.models import Capture, Page, Snapshot, Source

    click.echo(f"snapshots: {Snapshot.objects.count()} ({Snapshot.objects.public().count()} public)")
    by_status = dict(Page.objects.values_list("status").annotate(n=Count("pk")))
    click.echo("pages: " + (", ".join(f"{k} {v}" for k, v in sorted(by_status.items())) or "none"))
    by_outcome = dict(Capture.objects.values_list("outcome").annotate(n=Count("pk")))
    click.echo("captures: " + (", ".join(f"{k} {v}" for k, v in sorted(by_outcome.items())) or "none"))
    unassigned = Snapshot.objects.filter(story__isnull=True).count()
    click.echo(f"stories: {_story_counts()}"
               + (f"; {unassigned} snapshots not grouped yet (`kuaizhao stories`)" if unassigned else ""))
    from django.utils import timezone

    for source in Source.objects.annotate(pages=Count("page", distinct=True), last=Max("page__last_fetched")):
        when = timezone.localtime(source.last).strftime("%Y-%m-%d %H:%M") if source.last else "never"
        click.echo(f"  {_pad(source.name, 14)} {source.pages:>7} pages, last fetch {when}")
    from .search import sync

    index = sync.status()
    if index.generation is None:
        click.echo(f"search index: none ({index.problem})")
    else:
        behind = f", {index.pending} changes pending" if index.pending else ""
        click.echo(f"search index: {index.documents} of {index.indexable} searchable snapshots{behind}, "
                   f"{index.size_bytes / 1e6:.1f} MB ({index.generation})")


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `kuaizhao manage createsuperuser`."""
    _django(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kuaizhao manage", *args])


from .transfer.commands import warc  # noqa: E402 (registered last: it imports nothing from here at load)

main.add_command(warc)
