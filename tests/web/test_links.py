"""links.path must give exactly what reverse() gives; the category cache must follow changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kuaizhao.archive import categories
from kuaizhao.archive.models import Category
from kuaizhao.web import links


@pytest.mark.parametrize(("name", "args"), [
    ("web:home", ()),
    ("web:search", ()),
    ("web:snapshot", (7,)),
    ("web:snapshot", (123456789012,)),
    ("web:raw-source", (42,)),
    ("web:category", ("china",)),
    ("web:category", ("world-news",)),
])
def test_path_equals_reverse(name, args):
    assert links.path(name, *args) == reverse(name, args=args)


def test_path_reuses_the_pattern_for_other_arguments():
    assert links.path("web:snapshot", 1) == "/snapshot/1/"
    assert links.path("web:snapshot", 2) == "/snapshot/2/"


@pytest.mark.django_db
def test_category_cache_follows_saves_and_deletes():
    before = [c.name for c in categories.all_categories()]
    added = Category.objects.create(slug="kz-test", name="测试类", position=999)
    assert [c.name for c in categories.all_categories()] == [*before, "测试类"]
    added.name = "测试类二"
    added.save()
    assert categories.all_categories()[-1].name == "测试类二"
    added.delete()
    assert [c.name for c in categories.all_categories()] == before
