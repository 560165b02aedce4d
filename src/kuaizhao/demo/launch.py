"""Run the demo news site in a child process and remember it between `kuaizhao demo` runs."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .site import SHANGHAI

DEFAULT_PORT = 8101  # the first of the demo site's three ports


@dataclass
class DemoState:
    """What makes the demo site the same site on the next run: size, seed, time anchor, ports."""

    articles: int
    seed: int
    anchor: str  # ISO time of the newest article
    port: int
    edition: int = 0  # 1 once the demo has moved on to the site's second edition (edits, deletions)

    @classmethod
    def load_or_create(cls, path: Path, articles: int, seed: int, port: int | None) -> tuple[DemoState, bool]:
        """The saved state (with `port` instead of the saved one, when given), or a new one; and
        whether it is new. The size, seed and time anchor are kept: they make the site the same."""
        if path.exists():
            state = cls(**json.loads(path.read_text()))
            if port is not None and port != state.port:
                state.port = port
                state.save(path)
            return state, False
        anchor = datetime.now(SHANGHAI).replace(second=0, microsecond=0).isoformat()
        state = cls(articles, seed, anchor, port if port is not None else DEFAULT_PORT)
        state.save(path)
        return state, True

    @staticmethod
    def saved_port(path: Path) -> int | None:
        """The port the saved demo site used (None: no saved site)."""
        return int(json.loads(path.read_text())["port"]) if path.exists() else None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2))

    def urls(self, host: str = "127.0.0.1") -> dict[str, str]:
        from .outlets import OUTLET_CLASSES

        return {cls.key: f"http://{host}:{self.port + n}" for n, cls in enumerate(OUTLET_CLASSES)}


class DemoSiteProcess:
    """`kuaizhao demo-site` as a child process, stopped when the parent is done with it."""

    def __init__(self, state: DemoState, log_file: Path) -> None:
        self.state = state
        self.log_file = log_file
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> dict[str, str]:
        urls = self.state.urls()
        busy = [u for u in urls.values() if _listening(u)]
        if busy:
            raise RuntimeError(f"port in use: {', '.join(busy)} (another demo site running? stop it, or "
                               f"start this one elsewhere: kuaizhao demo --site-port {self.state.port + 100})")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kuaizhao", "demo-site", "--port", str(self.state.port),
                 "--articles", str(self.state.articles), "--seed", str(self.state.seed), "--anchor", self.state.anchor,
                 "--edition", str(self.state.edition)],
                stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while not all(_listening(u) for u in urls.values()):
            if self.proc.poll() is not None:
                raise RuntimeError(f"the demo site exited early; see {self.log_file}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the demo site did not start within {timeout:.0f}s; see {self.log_file}")
            time.sleep(0.1)
        return urls

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _listening(url: str) -> bool:
    host, port = url.split("//", 1)[1].split(":")
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, int(port))) == 0
