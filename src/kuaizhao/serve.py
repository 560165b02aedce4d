"""Serve the archive with gunicorn (whitenoise serves the static files inside Django)."""

from __future__ import annotations

import os
from typing import Any

from django.db import connections
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from .wsgi import application

        return application


def default_workers() -> int:
    return max(2, min(8, (os.cpu_count() or 1) * 2))


def serve(host: str, port: int, workers: int | None = None, access_log: bool = False, on_ready: Any = None) -> None:
    """Run gunicorn in the foreground until interrupted."""
    connections.close_all()  # never share the master's database connection with forked workers
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "sync",
        "preload_app": True,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 5,
        # gunicorn's default (4094 bytes) refuses a 500-character Chinese query: percent-encoded,
        # each character takes 9 bytes. 8190 is its ceiling; longer lines get 414.
        "limit_request_line": 8190,
    }
    if on_ready is not None:
        options["when_ready"] = on_ready
    _Gunicorn(options).run()
