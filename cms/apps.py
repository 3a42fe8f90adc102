from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        from cms import (
            invalidation,  # noqa: F401 - connects the cache invalidation handlers
            webhooks,
        )
        from cms.groups import ensure_groups

        # Every app's post_migrate: the last one runs when all permissions exist.
        post_migrate.connect(ensure_groups, dispatch_uid="cms.ensure_groups")
        # Signed webhooks on publish, unpublish and comment moderation, and their settings check.
        webhooks.connect()
