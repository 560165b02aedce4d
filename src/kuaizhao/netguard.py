"""Fetching a URL a stranger gave us, without letting them aim us at our own network (SSRF).

Save-page-now fetches what readers submit. The classic holes: a name that resolves to 127.0.0.1
or 169.254.169.254 (cloud metadata), a public name re-resolving to a private address between the
check and the connection (DNS rebinding), and a redirect into either. So:

- only http and https, on the allowed ports (80 and 443 by default);
- the host is resolved once, and every address it resolves to must be public: no loopback,
  private, link-local, CGNAT, multicast, reserved, unique-local, IPv4-mapped private, or the
  cloud metadata addresses;
- the connection is made to that checked address (the name still goes in the Host header and
  TLS's SNI and certificate check), so a second resolution cannot change where it goes;
- every redirect is checked the same way, up to a limit; the body is read up to a size limit,
  within a time limit.

`allow_loopback` exists for the test suite, which serves pages on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3

Resolver = Callable[[str, int], Sequence[str]]

# Addresses no fetch for a stranger may reach, besides what `ipaddress` calls private, loopback,
# link-local, multicast, reserved or unspecified.
_EXTRA_FORBIDDEN = [ipaddress.ip_network(n) for n in (
    "100.64.0.0/10",  # CGNAT (carrier-grade NAT), not "private" to ipaddress
    "192.0.0.0/24", "198.18.0.0/15",  # IETF protocol assignments, benchmarking
    "169.254.169.254/32", "fd00:ec2::254/128",  # cloud metadata (link-local already, named for clarity)
    "64:ff9b::/96",  # NAT64: an IPv6 way to any IPv4 address, private ones included
)]


class Refused(Exception):
    """A URL this guard will not fetch; the message says why, for the person who submitted it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # stable, for the API: bad-url, scheme, port, forbidden-address, dns, too-many-redirects, …


@dataclass
class Policy:
    ports: frozenset[int] = frozenset({80, 443})
    max_bytes: int = 8 * 1024 * 1024
    timeout: float = 20.0  # seconds for the whole fetch, redirects included
    max_redirects: int = 5
    allow_loopback: bool = False  # tests only
    user_agent: str = "Kuaizhao"


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # as received (content-encoded)
    address: str  # the checked address the connection went to
    redirects: list[str] = field(default_factory=list)
    fetched_at: float = 0.0


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("dns", f"无法解析网站名 {host}") from exc
    return sorted({str(info[4][0]) for info in infos})


def forbidden(address: str, allow_loopback: bool = False) -> bool:
    """Whether an address is one a stranger's fetch must not reach."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return False
    if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or getattr(ip, "is_site_local", False)):
        return True
    return any(ip in net for net in _EXTRA_FORBIDDEN if net.version == ip.version)


def check(url: str, policy: Policy, resolve: Resolver = system_resolver) -> tuple[str, int, str]:
    """(host, port, the one address to connect to) for a URL the guard accepts; else Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("bad-url", f"不是有效的网址：{url[:200]}") from None
    if parts.scheme not in ("http", "https"):
        raise Refused("scheme", "只能保存 http 或 https 网址")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("bad-url", f"网址里没有网站名：{url[:200]}")
    if parts.username or parts.password:
        raise Refused("bad-url", "网址里不能带用户名或密码")
    if port not in policy.ports:
        raise Refused("port", f"只能访问这些端口：{', '.join(map(str, sorted(policy.ports)))}")
    addresses = list(resolve(host, port))
    if not addresses:
        raise Refused("dns", f"无法解析网站名 {host}")
    bad = [a for a in addresses if forbidden(a, policy.allow_loopback)]
    if bad:
        raise Refused("forbidden-address", f"{host} 指向内部或保留地址，不能保存")
    return host, port, addresses[0]


def fetch(url: str, policy: Policy, resolve: Resolver = system_resolver) -> Fetched:
    """GET the URL under the policy, following checked redirects; Refused for anything unsafe."""
    deadline = time.monotonic() + policy.timeout
    redirects: list[str] = []
    current = url
    for _ in range(policy.max_redirects + 1):
        host, port, address = check(current, policy, resolve)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Refused("timeout", "抓取超时")
        status, headers, body = _get(current, host, port, address, policy, remaining)
        location = next((v for k, v in headers if k.lower() == "location"), None)
        if status in (301, 302, 303, 307, 308) and location:
            redirects.append(current)
            current = urljoin(current, location)
            continue
        return Fetched(current, status, headers, body, address, redirects, time.time())
    raise Refused("too-many-redirects", f"跳转超过 {policy.max_redirects} 次")


def _get(url: str, host: str, port: int, address: str, policy: Policy,
         remaining: float) -> tuple[int, list[tuple[str, str]], bytes]:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = urllib3.Timeout(connect=min(10.0, remaining), read=remaining)
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": policy.user_agent, "Accept-Encoding": "gzip"}
    if parts.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, server_hostname=host, assert_hostname=host)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    try:
        response = pool.urlopen("GET", path, headers=headers, redirect=False, preload_content=False,
                                decode_content=False)
        body = b""
        for chunk in response.stream(64 * 1024, decode_content=False):
            body += chunk
            if len(body) > policy.max_bytes:
                raise Refused("too-large", f"网页超过 {policy.max_bytes // (1024 * 1024)} MB")
        return response.status, list(response.headers.items()), body
    except urllib3.exceptions.HTTPError as exc:
        raise Refused("unreachable", f"无法连接 {host}：{type(exc).__name__}") from exc
    finally:
        pool.close()
