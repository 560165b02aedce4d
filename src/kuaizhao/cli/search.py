"""`kuaizhao search` and `kuaizhao reindex`: the archive's search from the terminal, and its index."""

from __future__ import annotations

import json
import shlex
import sys

import click

from ..exceptions import SearchUnavailable
from .startup import demo_hint, django_setup, progress


@click.command()
@click.argument("query")
@click.option("--sort", type=click.Choice(["relevance", "time"]), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(1, 50), default=1, show_default=True)
@click.option("--limit", "per_page", type=click.IntRange(1, 50), default=10, show_default=True,
              help="Results per page.")
@click.option("--json", "as_json", is_flag=True, help="Print the result page as JSON (the /api/search shape).")
def search(query: str, sort: str, page: int, per_page: int, as_json: bool) -> None:
    """Search the archive, e.g. kuaizhao search '"解散国会" 来源:新华社 after:2023'."""
    django_setup(reading=True)
    import html
    import re

    from django.conf import settings
    from django.utils import timezone

    from ..exceptions import QueryError, SearchUnavailable
    from ..search import service

    try:
        found = service.search(query, sort=sort, page=page, per_page=per_page)
    except QueryError as e:
        raise click.ClickException(f"检索式有误：{e.message}") from None
    except SearchUnavailable as e:
        raise click.ClickException(_unavailable(e)) from None
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

    about = "" if results.exact else "about "
    click.echo(f"{about}{results.total} found · {results.query.explain()} · page {results.page} · "
               f"{results.took_ms:.1f} ms")
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


def _unavailable(error: SearchUnavailable) -> str:
    """Why search cannot answer, and the command that helps: a rebuild only when there is
    something to index."""
    from django.conf import settings

    from ..archive.models import Snapshot

    if Snapshot.objects.exists():
        return str(error)
    demo = settings.DATA_DIR / "demo"
    advice = f"; the demo's archive is in {demo}: {demo_hint(demo)}" if (demo / "kuaizhao.sqlite3").exists() else ""
    return f"the archive in {settings.DATA_DIR} is empty: nothing to search yet (`kuaizhao crawl` fills it{advice})"


def ensure_index() -> None:
    """Rebuild the search index when it is missing, outdated or behind (data of an older version)."""
    from ..search import sync

    state = sync.status()
    if state.generation is not None and state.pending:
        sync.apply_pending(wait=30.0)  # logged changes (a crawl's last, new stories) need no rebuild
        state = sync.status()
    if state.generation is not None and state.documents == state.indexable and not state.pending:
        click.echo(f"search index: {state.documents} documents, up to date")
        return
    found = state.problem or f"{state.documents} of {state.indexable} documents"
    click.echo(f"search index: {found}; rebuilding")
    rebuild()


def rebuild() -> None:
    """`kuaizhao reindex`: a new generation from the database, with a progress bar."""
    from ..search import rebuild as rebuild_index

    with progress("indexing") as report_progress:
        report = rebuild_index.reindex(report_progress)
    rate = report.documents / report.seconds if report.seconds else 0
    click.echo(f"indexed {report.documents} snapshots in {report.seconds:.1f} s ({rate:,.0f}/s), "
               f"{report.size_bytes / 1e6:.1f} MB; now live: {report.generation}"
               + (f"; caught up with {report.caught_up} changes made meanwhile" if report.caught_up else ""))
    if report.removed:
        click.echo(f"removed old or unfinished generations: {', '.join(report.removed)}")


@click.command()
@click.option("--pending", is_flag=True, help="Only apply the changes logged since the last update.")
def reindex(pending: bool) -> None:
    """Rebuild the search index from the database (search keeps answering meanwhile)."""
    django_setup(reading=True)
    if pending:
        from ..search import sync

        applied = sync.apply_pending(wait=30.0)
        state = sync.status()
        click.echo(f"applied {applied} changes; the index holds {state.documents} snapshots")
        return
    rebuild()
