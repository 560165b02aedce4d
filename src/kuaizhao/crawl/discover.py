"""Finding article links: in RSS/Atom feeds, sitemaps (index, Google news) and listing pages.

Pure functions of bytes and URLs, so they are tested without a crawl.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from scrapy.utils.sitemap import Sitemap

from ..extract.decode import decode

_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|后页|next|›|»|>)\s*$", re.IGNORECASE)
# Without a pattern, a link looks like an article when its path carries an id or a date.
_ARTICLE_LIKE = re.compile(r"(\d{5,}|\d{4}[-/]?\d{2}[-/]?\d{2}|[0-9a-f]{8,})[^/]*$|\.s?html?$", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed


@dataclass(frozen=True)
class SitemapLinks:
    articles: list[str]
    sitemaps: list[str]  # nested sitemaps of a sitemap index


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order."""
    root = etree.fromstring(body, _XML_PARSER) if body.strip() else None
    if root is None:
        return []
    links: list[str] = []
    for item in root.iter("{*}item", "{*}entry"):
        href = None
        for link in item.iter("{*}link"):
            rel = link.get("rel", "alternate")
            if link.get("href") and rel == "alternate":
                href = link.get("href")
                break
            if link.text and link.text.strip():
                href = link.text.strip()
                break
        if href is None:
            guid = next(item.iter("{*}guid"), None)
            if guid is not None and guid.text and guid.get("isPermaLink", "true") != "false":
                href = guid.text.strip()
        if href:
            links.append(_join(base_url, href))
    return links


def _join(base: str, href: str) -> str:
    """Resolve a link; a malformed one is returned as written for the caller to count as bad."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def sitemap_links(body: bytes) -> SitemapLinks:
    """URLs of a sitemap (<urlset>, Google news sitemaps included) or sitemap index."""
    if body[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            body = f.read(MAX_SITEMAP_BYTES + 1)[:MAX_SITEMAP_BYTES]
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, ValueError):
        return SitemapLinks([], [])
    locs = [entry["loc"].strip() for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return SitemapLinks([], locs)
    return SitemapLinks(locs, [])


@dataclass(frozen=True)
class ListingLinks:
    articles: list[str]
    next_page: str | None


def listing_links(body: bytes, url: str, pattern: re.Pattern[str] | None,
                  content_type: str | None = None) -> ListingLinks:
    """Article links of a listing page and the link to its next page."""
    # Decoded as extraction decodes: libxml2 given GBK bytes labelled gb2312 stops at the first
    # GBK-only character and silently drops the rest of the page.
    text = _XML_DECL.sub("", decode(body, content_type).text, count=1)
    if not text.strip():
        return ListingLinks([], None)
    tree = lxml_html.document_fromstring(text)
    base = tree.find(".//base")
    base_url = urljoin(url, base.get("href")) if base is not None and base.get("href") else url
    host = urlsplit(url).netloc.lower()
    articles: list[str] = []
    seen: set[str] = set()
    next_page = None
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = _join(base_url, href).split("#", 1)[0]
        if next_page is None and ("next" in (a.get("rel") or "").lower().split() or _NEXT_TEXT.match(a.text_content())):
            if absolute != url:
                next_page = absolute
            continue
        if absolute in seen or absolute == url:
            continue
        if pattern is not None:
            if not pattern.search(absolute):
                continue
        elif urlsplit(absolute).netloc.lower() != host or not _ARTICLE_LIKE.search(urlsplit(absolute).path):
            continue
        seen.add(absolute)
        articles.append(absolute)
    return ListingLinks(articles, next_page)
