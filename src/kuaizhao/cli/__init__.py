"""The `kuaizhao` command: one module per group of commands, start-up in startup.py.

    demo.py      demo, demo-site         the built-in demo news site and an archive of it
    crawl.py     crawl, recheck          one crawl of the configured sources; rechecks of due pages
    site.py      serve, manage           the web site; Django's own commands
    search.py    search, reindex         search from the terminal; the index
    archive.py   status, stories
    takedown.py  takedown …              takedown requests and access rules, as in the admin
    extract.py   extract                 one saved page, or a gold directory's scores
    warc.py      warc export, warc import
"""

import click

from .. import __version__
from . import archive, crawl, demo, extract, search, site, takedown, warc
from .startup import Group


@click.group(cls=Group)
@click.version_option(__version__, prog_name="kuaizhao")
def main() -> None:
    """快照 Kuaizhao: a Chinese news snapshot archive and search service."""


for command in (demo.demo, demo.demo_site, crawl.crawl, crawl.recheck, site.serve, extract.extract, search.search,
                search.reindex, archive.status, archive.stories, takedown.takedown, warc.warc, site.manage):
    main.add_command(command)
