"""robots.txt and sitemaps for our own site."""

from __future__ import annotations

import re

from kuaizhao.archive.models import Snapshot

from ..conftest import take_down


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_raw_captures(client, db, settings):
    settings.PUBLIC_URL = "https://kz.example.org"
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://kz.example.org/sitemap.xml" in text
    assert "Disallow: /snapshot/*/raw/" in text and "Disallow: /search" in text


def test_sitemaps_list_public_snapshots_and_listings(client, archive):
    urls = [archive.add(f"新闻{i}", text=f"正文{i}。") for i in range(3)]
    gone = Snapshot.objects.get(page__url=urls[0])
    take_down([gone.pk])
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and b"<sitemapindex" in index.content
    sections = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index.content.decode())
    assert sorted(sections) == ["/sitemap-pages.xml", "/sitemap-snapshots.xml"]
    snapshots = client.get("/sitemap-snapshots.xml").content.decode()
    listed = re.findall(r"<loc>http://testserver/snapshot/(\d+)/</loc>", snapshots)
    assert sorted(map(int, listed)) == sorted(s.pk for s in Snapshot.objects.public())
    assert str(gone.pk) not in listed and "<lastmod>" in snapshots
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "/category/world/" in pages and "/source/" in pages


def test_pages_are_light_and_self_contained(client, archive):
    """No external assets (scripts, fonts, styles from elsewhere), and HTML sent compressed."""
    for i in range(12):
        archive.add(f"新闻{i}", text="这是一段足够长的新闻正文，用来估计页面的重量。" * 8)
    for path in ("/", "/category/china/", "/api/docs"):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        html = __import__("gzip").decompress(response.content).decode()
        # What a browser loads by itself: scripts, images, frames, stylesheets, icons, fonts. (Links a
        # reader may follow, such as an article's original URL, are not loads.)
        loads = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]+)"', html)
        stylesheet = r'<link\b(?=[^>]*\brel="(?:stylesheet|icon|preload|modulepreload)")[^>]*\bhref="([^"]+)"'
        loads += re.findall(stylesheet, html)
        loads += re.findall(r'url\(\s*[\'"]?([^\'")]+)', html)
        assert loads, f"{path}: found nothing loaded at all; the patterns are wrong"
        assert [u for u in loads if not u.startswith("/") or u.startswith("//")] == [], (path, loads)
        if len(html) > 5000:  # (the padding against BREACH dominates a tiny page)
            assert len(response.content) < len(html.encode()) / 2
