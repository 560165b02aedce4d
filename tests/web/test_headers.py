"""Every page of the site, found by following links from the home page: a strict CSP (nothing
from another origin, no inline script or style), the other security headers, and no element
that would load anything from another origin (article images are not shown from the publisher)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kuaizhao.archive.models import Snapshot
from kuaizhao.search import sync

from .conftest import TEXT
from .test_takedown_sweep import Sweep

_LOADS = re.compile(r'<(?:img|script|link|iframe|source|video|audio|embed|object)\b[^>]*(?:src|href|data)="([^"]+)"')


def test_every_page_has_a_strict_csp_and_loads_nothing_from_elsewhere(client, archive, settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    url = archive.add("有图片的新闻", text=TEXT + "\n第二段正文，记者在现场拍到了照片。")
    snap = Snapshot.objects.get(page__url=url)
    Snapshot.objects.filter(pk=snap.pk).update(
        html=snap.html + '<figure><img src="http://img.example.cn/p.jpg" alt="现场" loading="lazy" '
                         'referrerpolicy="no-referrer"></figure><figcaption>现场照片</figcaption>')
    archive.add("另一篇新闻")
    sync.apply_pending(wait=10.0)
    sweep = Sweep(client)
    sweep.walk(["/", "/about/", "/takedown/", "/transparency/", "/search?q=新闻", f"/snapshot/{snap.pk}/raw/"])
    pages = 0
    for path, (_status, body) in sweep.bodies.items():
        answer = client.get(path)
        if not answer.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        csp = answer["Content-Security-Policy"]
        assert "default-src 'self'" in csp or csp.startswith("sandbox;"), path
        assert "'unsafe-inline'" not in csp.replace("style-src 'unsafe-inline'", "") or path.startswith("/admin"), path
        assert answer["X-Content-Type-Options"] == "nosniff" and answer["Referrer-Policy"], path
        assert "camera=()" in answer["Permissions-Policy"], path
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", body), path
        assert " style=" not in body, path
        elsewhere = [u for u in _LOADS.findall(body) if u.startswith(("http:", "https:", "//"))
                     and urlsplit(u).netloc != "testserver"]
        assert elsewhere == [], (path, elsewhere)
    assert pages >= 20, pages
    page = client.get(f"/snapshot/{snap.pk}/").content.decode()
    assert "图片未存档：现场" in page and 'src="http://img.example.cn' not in page
    feed = client.get("/feed/atom").content.decode()
    assert "img.example.cn/p.jpg&quot; alt" not in feed and "图片未存档" in feed
