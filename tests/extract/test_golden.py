"""Golden cases: tests/data/extract/<case>/in/page.html → out/page.json (see the README there)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from kuaizhao.extract import extract

CASES = Path(__file__).resolve().parent.parent / "data" / "extract"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "in").is_dir()))
def test_golden(case):
    folder = CASES / case
    request_file = folder / "in" / "request.json"
    request = json.loads(request_file.read_text()) if request_file.exists() else {}
    captured = datetime.fromisoformat(request["captured"]) if "captured" in request else None
    # A case may read a page kept elsewhere in tests/data (`"page"`, relative to its in/ folder)
    # rather than hold a second copy of it.
    page = (folder / "in" / request.get("page", "page.html")).resolve()
    article = extract(page.read_bytes(), request.get("url", "http://example.invalid/"),
                      request.get("headers", {}), captured=captured)
    expected = json.loads((folder / "out" / "page.json").read_text(encoding="utf-8"))
    if expected is None:
        assert article is None, f"{case}: expected no article, got {article.title!r}"
        return
    assert article is not None, f"{case}: no article extracted"
    got = article.as_dict()
    mismatched = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert not mismatched, f"{case}: (got, expected) per field: {json.dumps(mismatched, ensure_ascii=False, indent=1)}"
