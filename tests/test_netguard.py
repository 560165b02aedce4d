"""The SSRF guard (kuaizhao/netguard.py): forbidden ranges refused, names that resolve into them
refused (with a stub resolver), redirects into them refused, and a public name fetched through
the address that was checked (DNS rebinding cannot move it)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kuaizhao import netguard
from kuaizhao.netguard import Policy, Refused

FORBIDDEN = ["127.0.0.1", "127.8.8.8", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
             "0.0.0.0", "224.0.0.1",  # noqa: S104 (an address refused, not bound) "240.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "fe80::1", "fc00::1",
             "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "::"]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_forbidden_ranges(address):
    assert netguard.forbidden(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses(address):
    assert not netguard.forbidden(address)


@pytest.mark.parametrize("address", FORBIDDEN)
def test_a_name_that_resolves_into_a_forbidden_range_is_refused(address):
    with pytest.raises(Refused) as refused:
        netguard.check("http://innocent.example.cn/a.html", Policy(), lambda host, port: [address])
    assert refused.value.code == "forbidden-address"


def test_one_bad_address_among_good_ones_is_enough_to_refuse():
    with pytest.raises(Refused, match="内部或保留地址"):
        netguard.check("http://a.example.cn/", Policy(), lambda h, p: ["93.184.216.34", "10.0.0.1"])


@pytest.mark.parametrize(("url", "code"), [
    ("ftp://a.example.cn/x", "scheme"), ("file:///etc/passwd", "scheme"), ("gopher://a.cn:70/", "scheme"),
    ("http://a.example.cn:22/", "port"), ("http://a.example.cn:6379/", "port"), ("http://[::1/", "bad-url"),
    ("http://user:pw@a.example.cn/", "bad-url"), ("http:///nohost", "bad-url"), ("http://a.cn:99999/", "bad-url"),
])
def test_urls_that_are_refused_before_any_lookup(url, code):
    def never(host, port):
        raise AssertionError("no lookup for a URL refused on its face")

    with pytest.raises(Refused) as refused:
        netguard.check(url, Policy(), never)
    assert refused.value.code == code


class _Server:
    def __init__(self, routes):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers, body = routes.get(self.path, (404, {}, b""))
                self.server.seen.append((self.path, self.headers.get("Host")))
                self.send_response(status)
                for k, v in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.seen = []
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def test_a_public_name_is_fetched_through_the_checked_address_even_if_it_rebinds():
    server = _Server({"/a.html": (200, {"Content-Type": "text/html"}, b"<p>ok</p>")})
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])  # a second lookup would say "private": never made
    try:
        policy = Policy(ports=frozenset({server.port}), allow_loopback=True)
        got = netguard.fetch(f"http://news.example.cn:{server.port}/a.html", policy, lambda h, p: next(answers))
    finally:
        server.close()
    assert (got.status, got.body, got.address) == (200, b"<p>ok</p>", "127.0.0.1")
    assert server.httpd.seen == [("/a.html", f"news.example.cn:{server.port}")], "the name went in the Host header"


def test_a_redirect_into_a_forbidden_range_is_refused():
    server = _Server({"/go": (302, {"Location": "http://metadata.internal/latest/meta-data/"}, b"")})
    names = {"public.example.cn": ["127.0.0.1"], "metadata.internal": ["169.254.169.254"]}
    try:
        policy = Policy(ports=frozenset({server.port, 80}), allow_loopback=True)
        with pytest.raises(Refused) as refused:
            netguard.fetch(f"http://public.example.cn:{server.port}/go", policy, lambda h, p: names[h])
    finally:
        server.close()
    assert refused.value.code == "forbidden-address"


def test_redirects_are_counted_and_bodies_are_capped():
    loop = {f"/r{n}": (302, {"Location": f"/r{n + 1}"}, b"") for n in range(10)}
    loop["/big"] = (200, {}, b"x" * 5000)
    server = _Server(loop)
    try:
        policy = Policy(ports=frozenset({server.port}), allow_loopback=True, max_redirects=3, max_bytes=1000)
        with pytest.raises(Refused) as many:
            netguard.fetch(f"http://127.0.0.1:{server.port}/r0", policy)
        with pytest.raises(Refused) as big:
            netguard.fetch(f"http://127.0.0.1:{server.port}/big", policy)
    finally:
        server.close()
    assert many.value.code == "too-many-redirects" and big.value.code == "too-large"


def test_loopback_is_refused_unless_the_test_setting_allows_it():
    with pytest.raises(Refused):
        netguard.check("http://127.0.0.1/", Policy())
    assert netguard.check("http://127.0.0.1/", Policy(allow_loopback=True))[2] == "127.0.0.1"
