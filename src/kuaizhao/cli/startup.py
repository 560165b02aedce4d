"""What every command needs before it runs: Django configured from the environment, the database
migrated, errors as one line, progress bars, and which archive the command works on."""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..exceptions import KuaizhaoError

DEFAULT_DATA_DIR = "./var"


def data_dir() -> Path:
    """The archive this command works on (KUAIZHAO_DATA_DIR, else ./var), before Django reads it."""
    return Path(os.environ.get("KUAIZHAO_DATA_DIR", DEFAULT_DATA_DIR)).resolve()


def django_setup(data: Path | None = None, database_url: str | None = None, migrate: bool = True,
                 reading: bool = False) -> None:
    """Configure Django (settings are read from the environment once, here) and migrate.

    `reading`: the command only looks at an archive; when the one it would look at is empty and
    the demo's is beside it, say how to use that one instead (a newcomer's first commands after
    `make demo`).
    """
    if data is not None:
        os.environ["KUAIZHAO_DATA_DIR"] = str(data)
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    if reading:
        _point_at_the_demo()
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


def demo_hint(data: Path) -> str:
    """The one line that points the command line at the demo's archive in `data`."""
    try:
        shown = data.relative_to(Path.cwd())
    except ValueError:
        shown = data
    return f"export KUAIZHAO_DATA_DIR={shown}"


def _point_at_the_demo() -> None:
    if os.environ.get("DATABASE_URL"):
        return
    data = data_dir()
    demo = data / "demo"
    if not (data / "kuaizhao.sqlite3").exists() and (demo / "kuaizhao.sqlite3").exists():
        click.echo(f"note: {data} holds no archive yet; `kuaizhao demo` made its own in {demo}. "
                   f"To use that one: {demo_hint(demo)}", err=True)


class Group(click.Group):
    """The `kuaizhao` group: our own errors are one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KuaizhaoError as exc:
            raise click.ClickException(str(exc)) from None


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
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


def pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)
