"""Schemathesis against the API of a running `kuaizhao demo`: generated requests (valid and not)
from our OpenAPI document, checking for server errors, undocumented status codes and content
types, responses that break their schema, and invalid input that is accepted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_schemathesis_finds_nothing_wrong_with_the_api(demo_archive, artifacts):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    report = artifacts / "schemathesis.txt"
    result = subprocess.run(
        [str(schemathesis), "run", f"{demo_archive}/api/openapi.json", "--max-examples", "30", "--seed", "7",
         # A cursor is opaque: every string is schema-valid, but only the cursors we issued are accepted
         # (400 bad-cursor otherwise), which this one check would count as a schema-valid rejection.
         "--exclude-checks", "positive_data_acceptance", "--request-timeout", "30"],
        capture_output=True, text=True, timeout=600,
        cwd=artifacts,  # schemathesis keeps a .schemathesis/ cache in its working directory
    )
    report.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "No issues found" in result.stdout


def test_the_longest_query_we_accept_reaches_us(demo_archive):
    """500 Chinese characters are 4.5 kB percent-encoded: past gunicorn's default request-line limit."""
    import urllib.error
    import urllib.request
    from urllib.parse import quote

    url = f"{demo_archive}/api/search?q={quote('经济' * 250)}"
    try:
        urllib.request.urlopen(url, timeout=30).close()
        return
    except urllib.error.HTTPError as e:
        code, content_type, body = e.code, e.headers["Content-Type"], e.read()
    # The query language answers (too many words), or the rate limit does; gunicorn's 414 never.
    assert code in (400, 429), code
    assert content_type == "application/problem+json"
    assert b'"code": "bad-query"' in body or code == 429
