"""The README's command-line examples, run as a newcomer runs them right after `make demo`: the
demo's own output, then each `$ …` command of "Using the demo archive from the command line",
against the demo archive. What each prints must be what the README shows (times, dates, ports,
ids, paths and other numbers with a decimal point aside; a shown line ending in … is a prefix)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kuaizhao.demo import free_port, free_ports

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(after_heading: str) -> list[str]:
    """The lines of the first fenced block (``` … ```) after a heading."""
    section = README.split(f"## {after_heading}\n", 1)[1]
    return section.split("```", 2)[1].split("\n")[1:-1]


def _normalised(line: str, tmp: Path) -> str:
    line = line.replace(str(tmp), "…")
    line = re.sub(r"127\.0\.0\.1:\d+", "LOOPBACK:PORT", line)
    line = re.sub(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+08:00| \d{2}:\d{2})?", "DATE", line)
    line = re.sub(r"gen-\d{8}T\d{6}-[0-9a-f]{6}", "GEN", line)
    line = re.sub(r"KUAIZHAO-EXPORT-\d{14}-\d{5}", "EXPORT", line)
    line = re.sub(r"/snapshot/\d+/", "/snapshot/ID/", line)
    line = re.sub(r"\d+\.\d+", "X", line)  # rates, durations, sizes
    return re.sub(r"\s+", " ", line).strip()


def _matches(shown: list[str], printed: str, tmp: Path) -> None:
    want = [_normalised(line, tmp) for line in shown]
    got = [_normalised(line, tmp) for line in printed.splitlines() if line.strip()]
    assert len(got) == len(want), "\n".join(["README shows:", *want, "", "the command printed:", *got])
    for w, g in zip(want, got, strict=True):
        ok = g.startswith(w[:-1].rstrip()) if w.endswith("…") else g == w
        assert ok, f"README shows:\n  {w}\nthe command printed:\n  {g}"


@pytest.fixture(scope="module")
def after_make_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    """A checkout's directory after `make demo` (which runs `kuaizhao demo` from the repository)."""
    cwd = tmp_path_factory.mktemp("checkout")
    unset = ("KUAIZHAO_DATA_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PYTHONUNBUFFERED"] = "1"
    done = subprocess.run([sys.executable, "-m", "kuaizhao", "demo", "--no-serve", "--port", str(free_port()),
                           "--site-port", str(free_ports(3))], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)  # in the order a terminal shows
    assert done.returncode == 0, done.stdout
    return cwd, env, done.stdout


def test_make_demo_prints_what_the_readme_shows(after_make_demo):
    cwd, _, printed = after_make_demo
    shown = [line for line in _block("What `make demo` prints") if not line.startswith("serving the archive")]
    _matches(shown, printed, cwd)  # (--no-serve: the last line, "serving the archive…", is not printed)


def test_every_command_of_the_readme_works_on_the_demo_archive(after_make_demo):
    cwd, env, _ = after_make_demo
    lines = _block("Using the demo archive from the command line")
    steps: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    assert steps[0][0] == "export KUAIZHAO_DATA_DIR=var/demo"
    env = dict(env)
    for command, shown in steps:
        if command.startswith("export "):
            name, _, value = command.removeprefix("export ").partition("=")
            env[name] = value
            continue
        args = shlex.split(command)
        assert args[0] == ".venv/bin/kuaizhao", command
        args = [sys.executable, "-m", "kuaizhao", *args[1:]]
        if args[-1] == "createsuperuser":  # interactive in the README; here without a terminal
            args += ["--noinput", "--username", "admin", "--email", "admin@example.org"]
            done = subprocess.run(args, cwd=cwd, env={**env, "DJANGO_SUPERUSER_PASSWORD": "demo-only-7461"},
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0 and shown[-1] in done.stdout, done.stdout + done.stderr
            assert not (cwd / "var" / "kuaizhao.sqlite3").exists(), "it worked on the demo archive, not on ./var"
            continue
        # Files the README writes to /tmp go to this test's own directory.
        # (The command's own arguments only: the interpreter itself may live under /tmp.)
        args = args[:3] + [arg.replace("/tmp/", f"{cwd}/tmp/") for arg in args[3:]]
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}:\n{done.stdout}{done.stderr}"
        _matches([line.replace("/tmp/", f"{cwd}/tmp/") for line in shown], done.stdout, cwd)
