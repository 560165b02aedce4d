"""`kuaizhao serve` and `kuaizhao manage`: the archive web site and Django's own commands."""

from __future__ import annotations

import click

from .startup import django_setup


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", type=int, default=None, help="gunicorn workers (default: 2 per core, 2–8).")
@click.option("--access-log", is_flag=True, help="Log every request to stderr.")
def serve(host: str, port: int, workers: int | None, access_log: bool) -> None:
    """Serve the archive web site with gunicorn."""
    django_setup(reading=True)
    run(host, port, workers, access_log)


def run(host: str, port: int, workers: int | None, access_log: bool) -> None:
    """Serve in the foreground until Ctrl-C (`kuaizhao demo` serves this way too)."""
    from ..serve import serve as gunicorn

    def ready(server: object) -> None:
        click.echo(f"serving the archive on http://{host}:{port}/ (Ctrl-C to stop)")

    gunicorn(host, port, workers, access_log, on_ready=ready)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `kuaizhao manage createsuperuser`."""
    django_setup(migrate=False, reading=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kuaizhao manage", *args])
