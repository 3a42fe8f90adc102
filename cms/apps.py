from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project shell: settings, URLs, the API router, site-wide admin hooks and commands."""

    name = "cms"
    verbose_name = "CMS"
