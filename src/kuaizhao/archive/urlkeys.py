"""SURT keys: the form of a URL that web archives sort and match by (Wayback, pywb, CDX files).

`https://www.Example.com/a/?b=2&a=1` and `http://example.com/a?a=1&b=2` share the key
`com,example)/a?a=1&b=2`: scheme, `www.`, case, default port, trailing slash, fragment,
percent-encoding and query order are folded, so a reader who types the URL the way tools and
people usually do (no scheme, http for an https page, decoded Chinese) still finds the page.
"""

from __future__ import annotations

import surt

KEY_LENGTH = 2000  # Page.urlkey's column; longer keys are cut (the cut key still sorts and prefixes right)


def urlkey(url: str) -> str:
    """The SURT key of `url` (a URL without a scheme is read as http://, as Wayback does).

    A URL that cannot be parsed (a port that is not a number from 0 to 65535) has no SURT form. It
    is keyed by itself, lower-cased: no archived page has such a URL, so a lookup by it finds
    nothing, as it should, instead of failing (schemathesis sent `/api/pages?url=L…:©°…`).
    """
    try:
        key: str = surt.surt(url)
        return key[:KEY_LENGTH]
    except ValueError:  # urllib.parse: "Port could not be cast to integer value", "Port out of range"
        return url.strip().lower()[:KEY_LENGTH]


def host_prefixes(host: str) -> list[str]:
    """Key prefixes of every page on `host`: with its port if it names one, else on any port."""
    key = urlkey(f"http://{host}/")[: -len(")/")]
    return [key + ")/"] if ":" in host.rsplit("]", 1)[-1] else [key + ")/", key + ":"]
