from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project shell: settings, URLs, the API router, site-wide admin hooks and commands."""

    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        """The editors' redirects: readable over the API (cached by tag), and Editors may manage them."""
        from wagtail.contrib.redirects.models import Redirect

        from core import groups, invalidation

        invalidation.watch_model(Redirect)
        groups.grant(
            groups.EDITORS,
            groups.model_permissions("wagtailredirects", {"redirect": ["add", "change", "delete"]}),
        )
