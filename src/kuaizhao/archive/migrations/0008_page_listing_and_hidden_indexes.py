"""Indexes for /api/pages (newest pages first, by host) and for the few taken-down snapshots."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0007_listing_order_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='page',
            index=models.Index(fields=['-first_seen', '-id'], name='page_first_seen_id'),
        ),
        migrations.AddIndex(
            model_name='page',
            index=models.Index(fields=['host', '-first_seen', '-id'], name='page_host_first_seen_id'),
        ),
        migrations.AddIndex(
            model_name='snapshot',
            index=models.Index(condition=models.Q(('takedown', 'none'), _negated=True), fields=['page'], name='snap_hidden_page'),
        ),
    ]
