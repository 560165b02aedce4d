"""Listing indexes end in -id: listings order by (-sort_time, -pk), and without the id SQLite
sorted the whole snapshot table for a home page's newest ten. New indexes first, so that an
archive migrating while it serves is never without one."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0006_page_urlkey"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="snapshot",
            index=models.Index(fields=["category", "-sort_time", "-id"], name="snap_category_time_id"),
        ),
        migrations.AddIndex(
            model_name="snapshot",
            index=models.Index(fields=["-sort_time", "-id"], name="snap_time_id"),
        ),
        migrations.AddIndex(
            model_name="snapshot",
            index=models.Index(fields=["source", "-sort_time", "-id"], name="snap_source_time_id"),
        ),
        migrations.RemoveIndex(model_name="snapshot", name="snap_category_time"),
        migrations.RemoveIndex(model_name="snapshot", name="snap_time"),
        migrations.RemoveIndex(model_name="snapshot", name="snap_source_time"),
    ]
