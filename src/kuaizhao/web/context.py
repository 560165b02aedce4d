"""Template context every page needs: the site name and the category navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ..archive import categories


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SITE_NAME,
        "nav_categories": categories.all_categories(),
    }
