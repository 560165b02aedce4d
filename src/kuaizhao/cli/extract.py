"""`kuaizhao extract`: the article of a saved page, or the scores of a gold directory."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import click


@click.command()
@click.argument("file", type=click.File("rb"), required=False)
@click.option("--url", default="http://example.invalid/", help="The page's URL (dates and categories in it count).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--captured", default=None,
              help="When the page was fetched (ISO 8601 with offset, or 'now'), for times like 3分钟前 and 10-08 "
                   "12:00; default unknown: such times count only when the page gives their date elsewhere.")
@click.option("--charset", default=None, help="Decode with this charset instead of detecting it.")
@click.option("--eval", "eval_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Score a gold directory (gold.jsonl + pages/<id>.html) instead of extracting one page.")
@click.option("--pages", "per_page", is_flag=True, help="With --eval: a line per page, ours → gold where wrong.")
def extract(file: BinaryIO | None, url: str, as_json: bool, captured: str | None, charset: str | None,
            eval_dir: Path | None, per_page: bool) -> None:
    """Extract the article from a saved page (FILE, or - for standard input), or score a gold set."""
    from ..extract import SiteRules
    from ..extract import extract as run

    if eval_dir is not None:
        from ..evaluate import evaluate, table

        try:
            report = evaluate(eval_dir)
        except (FileNotFoundError, KeyError, ValueError) as exc:
            raise click.ClickException(f"cannot evaluate {eval_dir}: {exc}") from None
        if as_json:
            rows = [asdict(r) for r in report.rows] if per_page else None
            click.echo(json.dumps({**report.figures(), "pages": report.pages, "no_article": report.none,
                                   **({"rows": rows} if per_page else {})}, ensure_ascii=False))
        else:
            if per_page:
                click.echo("\n".join(table(report.rows)))
            click.echo(f"{eval_dir}: {report.line()}")
            if report.none:
                click.echo(f"  no article found on: {', '.join(report.none)}")
        return
    if file is None:
        raise click.UsageError("give a FILE (or - for standard input), or --eval DIR")
    body = file.read()
    when = _capture_time(captured)
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


def _capture_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    if value == "now":
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise click.BadParameter("give the capture time with its offset, e.g. 2026-11-24T08:00:00+08:00, or 'now'",
                                 param_hint="--captured")
    return when
