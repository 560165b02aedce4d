"""`kuaizhao warc export|import`: the command side (progress, summaries); the work is in
transfer/export.py and transfer/importer.py."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click

from .startup import django_setup


@click.group()
def warc() -> None:
    """Export the archive as WARC files, or import WARC files made elsewhere."""


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    from django.utils.timezone import is_aware, make_aware

    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {value!r} (e.g. 2026-01-17)") from None
    return when if is_aware(when) else make_aware(when)


@warc.command("export")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for the WARC files (created if missing).")
@click.option("--source", default=None, help="Only captures of this source (by name).")
@click.option("--since", default=None, help="Only captures fetched at or after this date/time (ISO 8601).")
def export_command(out: Path, source: str | None, since: str | None) -> None:
    """Write the archive's captures (one per public snapshot) as WARC 1.1 files."""
    django_setup(reading=True)
    from django.conf import settings

    from ..archive.models import Snapshot, Source
    from ..archive.warc import WarcStore
    from ..transfer.export import export

    when = _since(since)
    if source and not Source.objects.filter(name=source).exists():
        raise click.BadParameter(f"no source named {source!r}", param_hint="--source")
    qs = Snapshot.objects.public().filter(capture__warc_file__gt="")
    if source:
        qs = qs.filter(source__name=source)
    if when:
        qs = qs.filter(capture__fetched_at__gte=when)
    total = qs.count()
    started = time.monotonic()
    with click.progressbar(length=max(total, 1), label="exporting", show_pos=True, file=sys.stderr) as bar:
        summary = export(out, WarcStore(settings.WARC_DIR), source, when, settings.WARC_MAX_BYTES, bar.update)
    click.echo(f"exported {summary.records} captures ({summary.requests} with their request record) "
               f"into {len(summary.files)} file(s) in {time.monotonic() - started:.1f} s:")
    for path in summary.files:
        click.echo(f"  {path} ({path.stat().st_size / 1e6:.1f} MB)")
    for line in summary.missing:
        click.echo(f"  not exported (WARC bytes unreadable): {line}", err=True)
    if summary.missing:
        sys.exit(1)


@warc.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(files: tuple[Path, ...]) -> None:
    """Import WARC files (.warc or .warc.gz): each HTML response becomes a capture and a snapshot."""
    django_setup(reading=True)
    from django.conf import settings

    from ..archive.warc import WarcStore
    from ..transfer.importer import ImportSummary, import_files

    started = time.monotonic()

    def progress(s: ImportSummary) -> None:
        stored = sum(s.stored.values())
        click.echo(f"\r  {s.records} records read, {stored} stored, {sum(s.skipped.values())} skipped, "
                   f"{len(s.errors)} unreadable", nl=False, err=True)

    summary = import_files(list(files), WarcStore(settings.WARC_DIR, settings.WARC_MAX_BYTES, prefix="KUAIZHAO-IMPORT"),
                           progress=progress)
    click.echo("", err=True)
    click.echo(f"read {summary.records} records from {summary.files} file(s) in {time.monotonic() - started:.1f} s")
    click.echo("stored: " + (", ".join(f"{k} {v}" for k, v in sorted(summary.stored.items())) or "nothing"))
    if summary.skipped:
        click.echo("skipped:")
        for reason, n in summary.skipped.most_common():
            click.echo(f"  {reason:<40} {n}")
    for line in summary.errors[:50]:
        click.echo(f"  unreadable: {line}", err=True)
    if len(summary.errors) > 50:
        click.echo(f"  … and {len(summary.errors) - 50} more unreadable records", err=True)
    if summary.errors and not any(summary.stored.values()):
        # Unreadable records and nothing stored: a wrong or broken file, which a script must notice.
        raise click.ClickException(f"{len(summary.errors)} unreadable record(s) in {summary.files} file(s) "
                                   "and nothing was imported")
