"""Our own sitemaps and robots.txt, so that search engines find every public snapshot.

Snapshots come through `Snapshot.objects.public()`: a taken-down page drops out of the sitemap
at the next fetch. The index at /sitemap.xml lists sections; the snapshot section is split into
pages of 10,000 URLs (well under the protocol's 50,000 limit and 50 MB).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from ..archive.models import Category, Snapshot, Source
from ..archive.querysets import SnapshotQuerySet
from . import links


class SnapshotSitemap(Sitemap):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    limit = 10_000
    changefreq = "never"  # a snapshot is a capture: it does not change (new versions get new pages)

    def items(self) -> SnapshotQuerySet:
        return Snapshot.objects.public().only("pk", "captured_at").order_by("pk")

    def location(self, item: Snapshot) -> str:
        return links.path("web:snapshot", item.pk)

    def lastmod(self, item: Snapshot) -> datetime:
        return item.captured_at

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default builds every item to take the max: 1 s for /sitemap.xml at 75k snapshots.
        latest: datetime | None = Snapshot.objects.public().aggregate(latest=Max("captured_at"))["latest"]
        return latest


class ListingSitemap(Sitemap):  # type: ignore[type-arg]  # generic in the stubs only, not at run time
    changefreq = "hourly"

    def items(self) -> list[str]:
        return [links.path("web:home"), links.path("web:about")] + [
            links.path("web:category", c.slug) for c in Category.objects.all()
        ] + [links.path("web:source", pk) for pk in Source.objects.values_list("pk", flat=True)]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {"pages": ListingSitemap, "snapshots": SnapshotSitemap}

# Crawlers may read everything a reader may, except what is not ours to have indexed (the raw
# captures: the publisher's page, not our archive page) and endless result pages.
ROBOTS = """User-agent: *
Disallow: /search
Disallow: /api/
Disallow: /cdx
Disallow: /timemap/
Disallow: /timegate/
Disallow: /web/
Disallow: /admin/
Disallow: /snapshot/*/raw/

Sitemap: {public_url}/sitemap.xml
"""


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS.format(public_url=settings.PUBLIC_URL), content_type="text/plain; charset=utf-8")
