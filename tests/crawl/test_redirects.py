"""What the crawler fetched is what it keeps: a page with <meta http-equiv="refresh"> is captured
as it was served (never followed), and a redirect to a host the crawl was not asked to fetch is
not followed either, for articles and for discovery."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kuaizhao.archive.models import Capture, Snapshot

BODY = "".join(f"<p>第{n}段：市政府今日召开新闻发布会，通报重点项目的建设进展，并回答记者提问。</p>" for n in range(6))


def _site(other_port: int) -> ThreadingHTTPServer:
    class Site(BaseHTTPRequestHandler):
        def do_GET(self):
            port = self.server.server_address[1]
            status, headers, body = 200, {"Content-Type": "text/html; charset=utf-8"}, ""
            if self.path == "/robots.txt":
                body = ""
            elif self.path == "/feed":
                items = "".join(f"<item><link>http://127.0.0.1:{port}/a/{n}.html</link></item>" for n in (1, 2, 3))
                body = f'<rss version="2.0"><channel>{items}</channel></rss>'
                headers["Content-Type"] = "application/rss+xml"
            elif self.path == "/a/1.html":  # refreshes to another host: an app-download page, say
                body = (f'<html><head><title>刷新到别处的新闻</title><meta http-equiv="refresh" content="0; '
                        f'url=http://127.0.0.2:{other_port}/app.html"></head><body><h1>刷新到别处的新闻</h1>{BODY}</body></html>')
            elif self.path == "/a/2.html":  # refreshes to itself (a common "auto-reload" tag)
                body = (f'<html><head><meta http-equiv="refresh" content="60"></head>'
                        f'<body><h1>自动刷新的新闻</h1>{BODY}</body></html>')
            elif self.path == "/a/3.html":  # redirects to a host the crawl does not cover
                status, headers = 302, {"Location": f"http://127.0.0.2:{other_port}/elsewhere.html"}
            elif self.path == "/sitemap.xml":  # discovery, redirected off the source's hosts
                status, headers = 301, {"Location": f"http://127.0.0.2:{other_port}/sitemap.xml"}
            else:
                status = 404
            data = body.encode()
            self.send_response(status)
            for k, v in {**headers, "Content-Length": str(len(data))}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Site)


def test_meta_refresh_and_offsite_redirects_are_captured_not_followed(kuaizhao, tmp_path: Path):
    hits: list[str] = []

    class Other(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    other = ThreadingHTTPServer(("127.0.0.2", 0), Other)
    site = _site(other.server_address[1])
    for server in (other, site):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = site.server_address[1]
        sources = tmp_path / "s.toml"
        sources.write_text(f'[[source]]\nname = "本地"\nhomepage = "http://127.0.0.1:{port}/"\n'
                           f'feeds = ["http://127.0.0.1:{port}/feed"]\nsitemaps = ["http://127.0.0.1:{port}/sitemap.xml"]\n')
        kuaizhao.crawl(sources)
    finally:
        site.shutdown()
        other.shutdown()
    assert hits == [], "nothing was fetched from a host the crawl was not asked to crawl"
    titles = set(Snapshot.objects.values_list("title", flat=True))
    assert {"刷新到别处的新闻", "自动刷新的新闻"} <= titles
    for n in (1, 2):
        capture = Capture.objects.get(url=f"http://127.0.0.1:{port}/a/{n}.html")
        assert capture.http_status == 200 and capture.warc_file, "the page as served is in the WARC file"
    redirect = Capture.objects.get(url=f"http://127.0.0.1:{port}/a/3.html")
    assert redirect.http_status == 302
