"""`kuaizhao demo` and `kuaizhao demo-site`: the built-in demo news site, and an archive of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from datetime import datetime

import click

from . import archive, crawl, search, site
from .startup import data_dir, demo_hint, django_setup


@click.command()
@click.option("--reset", is_flag=True, help="Delete var/demo and start over.")
@click.option("--articles", default=300, show_default=True, help="Size of the demo news site (first run only).")
@click.option("--port", default=8000, show_default=True, help="Port of the archive web site.")
@click.option("--site-port", type=int, default=None,
              help="First of three ports for the demo news site (default: the last run's, else 8101).")
@click.option("--no-serve", is_flag=True, help="Crawl, then exit instead of serving.")
def demo(reset: bool, articles: int, port: int, site_port: int | None, no_serve: bool) -> None:
    """Start the demo news site, crawl it into var/demo and serve the archive."""
    from ..demo.launch import DemoSiteProcess, DemoState

    data = data_dir() / "demo"
    if reset and data.exists():
        click.echo(f"deleting {data}")
        shutil.rmtree(data)
    saved = data / "demo-site.json"
    before = DemoState.saved_port(saved)
    state, fresh = DemoState.load_or_create(saved, articles, 1, site_port)
    click.echo(("new demo site" if fresh else "reusing the demo site of the last run")
               + f": {state.articles} articles, newest at {state.anchor} (--reset starts over)")
    if before is not None and before != state.port:
        click.echo(f"the demo site moves from port {before} to {state.port}: its articles have new addresses, so "
                   "this crawl archives them again (each joins its story beside the old copy)")
    # The demo is self-contained: its own SQLite database whatever DATABASE_URL says.
    django_setup(data, f"sqlite:///{data / 'kuaizhao.sqlite3'}")
    news_site = DemoSiteProcess(state, data / "logs" / "demo-site.log")
    try:
        urls = news_site.start()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        from ..demo.server import demo_sources_toml
        from ..sources import load_sources

        sources_file = data / "sources.toml"
        sources_file.write_text(demo_sources_toml(urls))
        click.echo("demo news site: " + "  ".join(f"{k} {u}" for k, u in urls.items()))
        click.echo(f"crawling it (sources: {sources_file}); politeness is off because the site is ours, on loopback")
        summary = crawl.run(load_sources(sources_file), polite=False, recrawl_all=False)
        if summary.stats.get("finish_reason") == "shutdown":
            raise click.ClickException("crawl interrupted; run `kuaizhao demo` again to resume it")
        if state.edition == 0:
            # Time passes on the demo site: its second edition edits some articles and deletes
            # others; every page is looked at again now, as its rechecks would over the next hours.
            news_site.stop()
            state.edition = 1
            state.save(saved)
            news_site = DemoSiteProcess(state, data / "logs" / "demo-site.log")
            news_site.start()
            click.echo("the demo site moves on to its second edition (some articles edited, some deleted); "
                       "rechecking every page")
            # In a child process: Twisted's reactor runs once per process.
            env = {**os.environ, "KUAIZHAO_DATA_DIR": str(data),
                   "DATABASE_URL": f"sqlite:///{data / 'kuaizhao.sqlite3'}"}
            again = subprocess.run([sys.executable, "-m", "kuaizhao", "crawl", "--sources", str(sources_file),
                                    "--no-politeness", "--recrawl-all"], env=env, check=False)
            if again.returncode != 0:
                raise click.ClickException("recheck interrupted; run `kuaizhao demo` again")
            click.echo("see what changed: /changes/edited/ (with sentence diffs) and /changes/removed/")
        archive.cluster()  # a var/demo of an older version has snapshots without stories
        search.ensure_index()
        click.echo(f"to use this archive from the command line: {demo_hint(data)}")
        if no_serve:
            return
        site.run("127.0.0.1", port, None, access_log=False)
    finally:
        news_site.stop()


@click.command("demo-site")
@click.option("--port", default=8101, show_default=True, help="First port; the three outlets use port, port+1, port+2.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--articles", default=300, show_default=True, type=click.IntRange(30))
@click.option("--seed", default=1, show_default=True)
@click.option("--edition", default=0, show_default=True, help="1: some articles edited, some removed.")
@click.option("--anchor", default=None, help="ISO time of the newest article (default: now).")
def demo_site(port: int, host: str, articles: int, seed: int, edition: int, anchor: str | None) -> None:
    """Serve the demo news site (three outlets) in the foreground."""
    from ..demo import DemoServer, DemoSite

    when = datetime.fromisoformat(anchor) if anchor else None
    server = DemoServer(DemoSite(articles, seed, when, edition), host, port)
    for key, url in server.urls.items():
        click.echo(f"{key:<9} {url}/")
    click.echo(f"{articles} articles, edition {edition}; Ctrl-C to stop", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
