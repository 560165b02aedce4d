"""Docs that must match the code: every setting documented with its default, the command-line
reference generated from the commands themselves (datasette's test_docs)."""

import difflib
import importlib.util
import re
from pathlib import Path

import pytest

from kuaizhao import settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "settings.md"
CLI_DOCS = ROOT / "docs" / "cli.md"


def test_every_setting_is_documented_with_its_default():
    text = DOCS.read_text(encoding="utf-8")
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `([A-Z_]+)` \| (.+?) \|", text, re.MULTILINE)}
    missing = sorted(set(settings.DOCUMENTED) - set(rows))
    assert not missing, f"docs/settings.md does not list: {missing}"
    for name, default in settings.DOCUMENTED.items():
        assert default in rows[name].replace("`", ""), f"{name}: docs say {rows[name]!r}, code default is {default!r}"
    stale = sorted(set(rows) - set(settings.DOCUMENTED))
    assert not stale, f"docs/settings.md lists settings the code does not read: {stale}"


def _cli_docs():
    """scripts/cli_docs.py, imported from its file (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_generated_from_the_commands():
    cli_docs = _cli_docs()
    expected, actual = cli_docs.render(), CLI_DOCS.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(actual.splitlines(True), expected.splitlines(True),
                                                 "docs/cli.md", "generated"))[:60])
        pytest.fail(f"docs/cli.md is out of date: run `{cli_docs.REGENERATE}`\n{diff}")


def _command_paths(group, prefix="kuaizhao"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _command_paths(command, f"{prefix} {name}")


def test_every_cli_command_is_in_the_cli_reference_and_the_readme_links_it():
    from kuaizhao.cli import main

    reference = CLI_DOCS.read_text(encoding="utf-8")
    paths = list(_command_paths(main))
    assert "kuaizhao warc export" in paths  # the walk reaches subcommands
    for path in paths:
        assert f"# `{path}`" in reference, f"docs/cli.md has no section for `{path}`"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/cli.md)" in readme, "README.md does not link to docs/cli.md"
