from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What every app uses: the public response cache and its tags, purging the HTTP cache, API errors,
    absolute URLs, client addresses, the HTML sanitizer and the two groups. Imports no project app."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import client_address, groups, invalidation, sites

        checks.register(client_address.check_trusted_proxies, checks.Tags.security, deploy=True)
        invalidation.connect()
        sites.connect()
        # Every app's post_migrate: the last one runs when all permissions exist.
        post_migrate.connect(groups.ensure_groups, dispatch_uid="core.ensure_groups")
