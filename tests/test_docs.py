"""Docs that must match the code: every setting documented with its default (datasette's test_docs)."""

import re
from pathlib import Path

from kuaizhao import settings

DOCS = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented_with_its_default():
    text = DOCS.read_text(encoding="utf-8")
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `([A-Z_]+)` \| (.+?) \|", text, re.M)}
    missing = sorted(set(settings.DOCUMENTED) - set(rows))
    assert not missing, f"docs/settings.md does not list: {missing}"
    for name, default in settings.DOCUMENTED.items():
        assert default in rows[name].replace("`", ""), f"{name}: docs say {rows[name]!r}, code default is {default!r}"
    stale = sorted(set(rows) - set(settings.DOCUMENTED))
    assert not stale, f"docs/settings.md lists settings the code does not read: {stale}"


def test_every_cli_command_is_in_the_readme():
    from kuaizhao.cli import main

    readme = (DOCS.parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"kuaizhao {name}" in readme, f"README.md does not show `kuaizhao {name}`"
