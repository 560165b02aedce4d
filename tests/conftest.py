"""Shared fixtures: the demo news site, running the `kuaizhao` command against the test database,
the shared data sets, and the artifacts directory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from kuaizhao.demo import DemoServer, DemoSite, demo_sources_toml, free_port, free_ports
from kuaizhao.demo.site import SHANGHAI

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("KUAIZHAO_SHARED_DATA", ROOT.parent / "shared" / "data"))
ARTIFACTS = Path(os.environ.get("KUAIZHAO_TEST_ARTIFACTS", ROOT / "test-artifacts"))


def shared_data(name: str) -> Path:
    """A data set under ../shared/data; skips the test when absent, unless CI requires it."""
    path = SHARED_DATA / name
    if not path.exists():
        if os.environ.get("KUAIZHAO_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"{path} is missing and KUAIZHAO_REQUIRE_SHARED_DATA=1")
        pytest.skip(f"shared data set {name} not found at {path} (it sits beside the repository in CI)")
    return path


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test sees the categories and listing totals its own database holds (rollbacks send
    no signals, and the cache outlives a test's transaction)."""
    from django.core.cache import cache

    from kuaizhao.archive import categories
    from kuaizhao.web import examples

    categories.forget()
    examples.forget()
    cache.clear()
    yield
    categories.forget()
    examples.forget()
    cache.clear()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def demo_site() -> Iterator[DemoServer]:
    """A 120-article demo news site on loopback; the newest article published now."""
    anchor = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    with DemoServer(DemoSite(articles=120, seed=7, anchor=anchor)) as server:
        yield server


def subprocess_database_url() -> str:
    """The URL of the test database pytest-django created, for subprocesses."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    base = urlsplit(os.environ["KUAIZHAO_TEST_DATABASE_URL"])
    return urlunsplit((base.scheme, base.netloc, f"/{name}", base.query, ""))


class Kuaizhao:
    """Runs the `kuaizhao` command in a subprocess against the test database and a data dir."""

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "KUAIZHAO_DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
                    "KUAIZHAO_LOG_LEVEL": "DEBUG", "PYTHONUNBUFFERED": "1",
                    "DJANGO_SETTINGS_MODULE": "kuaizhao.settings"}

    def run(self, *args: str, timeout: float = 120, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "kuaizhao", *args], env={**self.env, **env},
                              capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"kuaizhao {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "kuaizhao", *args], env={**self.env, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def crawl(self, sources: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run("crawl", "--sources", str(sources), "--no-politeness", *args, **env)

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"


@pytest.fixture
def kuaizhao(tmp_path: Path, django_db_serialized_rollback: None, transactional_db: None, settings) -> Kuaizhao:
    """The command against the test database; WARC files in this test's own data dir.

    Transactional (the subprocess commits), with serialized rollback so that the categories the
    migrations seed are back for the next test."""
    data = tmp_path / "data"
    settings.WARC_DIR = data / "warc"  # views read captures from where the subprocess wrote them
    settings.INDEX_DIR = data / "index"  # …and search the index it keeps
    return Kuaizhao(data, subprocess_database_url())


@pytest.fixture
def demo_sources(tmp_path: Path, demo_site: DemoServer) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(demo_sources_toml(demo_site.urls, delay=0))
    return path


def wait_for_http(url: str, timeout: float = 60, proc: subprocess.Popen[str] | None = None) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process exited early:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kuaizhao demo` exactly as `make demo` runs it, on free ports, in a throwaway data dir.

    One per test session: the tests that use it (browser walks, API fuzzing) only read."""
    import signal
    import sys

    port, site_port = free_port(), free_ports(3)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(KUAIZHAO_DATA_DIR=str(tmp_path_factory.mktemp("demo") / "var"), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kuaizhao", "demo", "--port", str(port), "--site-port", str(site_port),
         "--articles", "120"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=120, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except Exception:  # noqa: BLE001
            os.killpg(proc.pid, signal.SIGKILL)


def take_down(snapshot_ids: list[int], versions_only: bool = False, action: str = "block") -> list[int]:
    """Take snapshots down as operators do (the admin action, `kuaizhao takedown`): the service
    (a block rule on each page's URL; `versions_only`: on just these versions), then the search
    index catches up with the change log."""
    from kuaizhao.archive import services
    from kuaizhao.search import sync

    done = services.take_down(snapshot_ids, action=action, versions_only=versions_only)
    sync.apply_pending(wait=10.0)
    return done


def restore(snapshot_ids: list[int]) -> list[int]:
    """Show taken-down snapshots again, as operators do."""
    from kuaizhao.archive import services
    from kuaizhao.search import sync

    done = services.restore(snapshot_ids)
    sync.apply_pending(wait=10.0)
    return done
