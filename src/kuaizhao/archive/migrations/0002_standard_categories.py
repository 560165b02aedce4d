"""Seed the six standard news categories (the navigation of every page)."""

from django.db import migrations

CATEGORIES = (("china", "国内"), ("world", "国际"), ("finance", "财经"), ("tech", "科技"), ("sports", "体育"), ("ent", "娱乐"))


def seed(apps, schema_editor):
    Category = apps.get_model("archive", "Category")
    for position, (slug, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
