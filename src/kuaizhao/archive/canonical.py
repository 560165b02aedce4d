"""URL canonicalisation: one Page per article, however the link to it was written."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that track where a click came from and never change the page.
# Deliberately short: a parameter that might select content (t, id, source) is kept.
TRACKING_PARAMS = frozenset({
    "from", "spm", "ref", "referer", "share_token", "share_from", "sharer", "tt_from", "fbclid",
    "gclid", "scene", "isappinstalled", "wfr", "fr", "s_trans", "share_medium", "share_source",
})


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query.

    Raises ValueError for URLs that are not http(s).
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")]
    host = parts.hostname.lower()
    port = parts.port  # raises ValueError on a malformed port
    default = {"http": 80, "https": 443}[parts.scheme.lower()]
    netloc = host if port in (None, default) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port in (None, default) else f"[{host}]:{port}"
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)
