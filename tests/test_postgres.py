"""PostgreSQL end to end: migrations and a crawl into a fresh database on a real server."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

URL = os.environ.get("KUAIZHAO_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="KUAIZHAO_TEST_DATABASE_URL is not set (CI sets it; locally: a PostgreSQL URL you may write to)"
)


@pytest.fixture
def fresh_postgres():
    import psycopg

    name = f"kuaizhao_e2e_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(URL)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_crawl_into_a_fresh_postgres_database(fresh_postgres, demo_sources, tmp_path):
    env = {**os.environ, "DATABASE_URL": fresh_postgres, "KUAIZHAO_DATA_DIR": str(tmp_path / "data"),
           "DJANGO_SETTINGS_MODULE": "kuaizhao.settings"}

    def kz(*args):
        done = subprocess.run([sys.executable, "-m", "kuaizhao", *args], env=env, capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    first = kz("crawl", "--sources", str(demo_sources), "--no-politeness")
    assert "new snapshots      118" in first
    again = kz("crawl", "--sources", str(demo_sources), "--no-politeness", "--recrawl-all")
    assert "new snapshots      0" in again and "unchanged          118" in again
    assert "snapshots: 118 (118 public)" in kz("status")
