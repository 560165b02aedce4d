"""Template context every page needs: the site name and the category navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .models import Category


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SITE_NAME,
        # Lazy: evaluated only by templates that draw the navigation.
        "nav_categories": Category.objects.all(),
    }
