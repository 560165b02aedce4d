"""Do once, when a server starts, what each of its workers would otherwise do on its first request.

A fresh gunicorn worker took ~0.35 s of CPU to answer its first search (four fresh workers asked
at once: 0.73 s each on two cores), against ~6 ms afterwards: importing the views (and with them
numpy and rjieba), building the fold tables and compiling the templates. `kuaizhao serve` loads
the application before forking (gunicorn's preload), so done at import of the WSGI application
this happens once and the workers share the result copy-on-write; under a plain `gunicorn
kuaizhao.wsgi` each worker does it while booting, before it takes a request.

Nothing here opens the database or the search index: forked workers must not share a
connection, and tantivy's reader starts threads, which do not survive a fork.
"""

from __future__ import annotations

from typing import cast


def warm() -> None:
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2
    from django.urls import get_resolver

    from .. import fold
    from ..search import tokenize

    get_resolver().url_patterns  # noqa: B018 — evaluating it imports every view
    fold.tables()
    tokenize.tagged_words("预热")  # the same rjieba calls a search makes, so nothing loads lazily later
    tokenize.segment("预热")
    pages = cast(Jinja2, engines["jinja2"]).env
    for name in pages.list_templates():
        pages.get_template(name)  # compiled once; the environment keeps it
