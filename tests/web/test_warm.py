"""Warming a server before it forks its workers (kuaizhao/web/warm.py)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.template import engines

from kuaizhao import fold
from kuaizhao.web.warm import warm


def test_warm_compiles_every_page_template_and_opens_no_connection(settings):
    # No `db` fixture: pytest-django refuses any database access, so a query or a connection
    # opened here (one the forked workers would then share) fails the test.
    pages = engines["jinja2"].env
    pages.cache.clear()
    fold.tables.cache_clear()
    warm()
    names = pages.list_templates()
    assert len(names) >= 10 and len(pages.cache) == len(names)
    assert fold.tables.cache_info().currsize == 1
    assert all(c.connection is None for c in connections.all())


def test_a_broken_template_stops_the_start_not_a_later_request(settings, tmp_path):
    from jinja2 import TemplateSyntaxError

    broken = tmp_path / "broken.html"
    broken.write_text("{% if %}")
    pages = engines["jinja2"].env
    loader = pages.loader
    pages.loader = type(loader)([str(tmp_path), *loader.searchpath])
    try:
        with pytest.raises(TemplateSyntaxError):
            warm()
    finally:
        pages.loader = loader
        pages.cache.clear()
