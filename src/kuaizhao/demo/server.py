"""Serve the demo outlets on 127.0.0.1, one port each, in background threads."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import unquote

from . import vocab
from .outlets import OUTLET_CLASSES, OutletSite
from .outlets.huaxia import SECTION
from .site import DemoSite


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real news sites and Scrapy use it
    server_version = "DemoNews/1.0"
    server: _OutletServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK hold the body back ~40 ms on every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        path, _, query = self.path.partition("?")
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        response = self.server.outlet.handle(unquote(path), query, gzip_ok, self.headers.get("If-None-Match"))
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        length = response.stream[0] if response.stream else len(response.body)
        self.send_header("Content-Length", str(length))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not with_body:
            return
        try:
            if response.stream:
                total, chunk = response.stream
                block = (b"<p>" + "很长的页面。".encode() * 1000 + b"</p>\n")[:chunk]
                for _ in range(total // len(block)):
                    self.wfile.write(block)
                self.wfile.write(block[: total % len(block)])
            else:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the crawler gave up on an oversized body, as it should

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # a crawl makes thousands of requests; the crawler reports what matters


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    outlet: OutletSite

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a crawler that went away (or was killed) mid-connection
        super().handle_error(request, client_address)


class DemoServer:
    """The demo news site: three outlets on 127.0.0.1 at `port`, `port+1`, `port+2` (0: any free)."""

    def __init__(self, site: DemoSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.host = host
        self._servers: list[_OutletServer] = []
        for n in range(len(OUTLET_CLASSES)):
            self._servers.append(_OutletServer((host, port + n if port else 0), _Handler))
        pairs = list(zip(OUTLET_CLASSES, self._servers, strict=True))
        self.urls = {cls.key: f"http://{host}:{srv.server_address[1]}" for cls, srv in pairs}
        for cls, srv in zip(OUTLET_CLASSES, self._servers, strict=True):
            srv.outlet = cls(site, self.urls[cls.key], self.urls)
        self._threads: list[threading.Thread] = []

    def start(self) -> Self:
        for srv in self._servers:
            thread = threading.Thread(target=srv.serve_forever, name=f"demo-{srv.outlet.key}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def article_urls(self) -> dict[str, int]:
        """The URL of every article → its id (what tests compare a crawl's results with)."""
        outlets = {srv.outlet.key: srv.outlet for srv in self._servers}
        return {outlets[self.site.outlet_of(i).key].url(i): i for i in range(self.site.count)}

    def set_edition(self, edition: int) -> None:
        """Move the site forward in time: later editions have edited and removed articles."""
        self.site.set_edition(edition)

    def serve_forever(self) -> None:
        self.start()
        try:
            threading.Event().wait()
        finally:
            self.stop()


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the system says is free now (for tests and benchmarks that start servers)."""
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def free_ports(n: int, host: str = "127.0.0.1") -> int:
    """The first of n consecutive free ports: the demo site's outlets use port, port+1, port+2."""
    for _ in range(50):
        first = free_port(host)
        if all(port_free(host, port) for port in range(first, first + n)):
            return first
    raise RuntimeError(f"no run of {n} free ports on {host}")


def demo_sources_toml(urls: dict[str, str], delay: float = 0.25) -> str:
    """A sources.toml for the demo site: every discovery method, one outlet each."""
    hx, df, nf = urls["huaxia"], urls["dongfang"], urls["nanfeng"]
    hx_listings = ",\n  ".join(
        f'{{ url = "{hx}/{s}/index.htm", pattern = "/content_\\\\d+\\\\.htm$", category = "{n}" }}'
        for n, s in SECTION.items()
    )
    df_feeds = ", ".join(f'"{df}/rss/{c["slug"]}.xml"' for c in vocab.CATEGORIES.values())
    nf_listings = ",\n  ".join(
        f'{{ url = "{nf}/list/{c["slug"]}", pattern = "/a/\\\\d+\\\\.html", category = "{n}" }}'
        for n, c in vocab.CATEGORIES.items()
    )
    return f"""# Sources of the built-in demo news site (written by `kuaizhao demo`).

[[source]]
name = "华夏日报"
homepage = "{hx}/"
listings = [
  {hx_listings},
]
delay = {delay}

[[source]]
name = "东方新闻网"
homepage = "{df}/"
feeds = [{df_feeds}]
sitemaps = ["{df}/sitemap.xml"]
delay = {delay}

[[source]]
name = "南风资讯"
homepage = "{nf}/"
feeds = ["{nf}/feed.atom"]
listings = [
  {nf_listings},
]
delay = {delay}
"""
