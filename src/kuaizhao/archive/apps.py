from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "kuaizhao.archive"
    label = "archive"
    verbose_name = "快照存档"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import categories
        from .models import Category, Snapshot
        from .services import log_index_changes

        # Deletions are the one state change that does not go through services.py: the admin and
        # cascades (deleting a Page deletes its snapshots) delete rows directly. The index must
        # still hear of each one.
        def _deleted(sender: type, instance: Snapshot, **kwargs: object) -> None:
            log_index_changes([instance.pk])

        post_delete.connect(_deleted, sender=Snapshot, dispatch_uid="kuaizhao-index-on-delete", weak=False)
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(categories.forget, sender=Category, dispatch_uid=f"kuaizhao-categories-{name}", weak=False)
