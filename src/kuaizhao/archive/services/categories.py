"""Categories: the operators' edits (name, slug, position), as search must see them."""

from __future__ import annotations

from django.db import transaction

from ..models import Category, Snapshot
from .changes import log_index_changes


def save_category(category: Category) -> None:
    """Save a new or edited category. Search filters and facets by category name (the index
    stores it per snapshot), so a rename logs every snapshot of the category for the index."""
    with transaction.atomic():
        before = Category.objects.filter(pk=category.pk).values_list("name", flat=True).first() if category.pk else None
        category.save()
        if before is not None and before != category.name:
            log_index_changes(Snapshot.objects.filter(category=category).values_list("pk", flat=True).iterator())
