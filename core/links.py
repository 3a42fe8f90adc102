"""Absolute URLs for e-mails, webhooks and API responses: one place joins a path to a base URL."""

from django.conf import settings


def join_base(base, path):
    """``base`` (``https://cms.example`` with or without a trailing slash) followed by ``path``."""
    return base.rstrip("/") + path


def absolute_url(url, request=None):
    """A site path made absolute: from the request when there is one, else ``WAGTAILAPI_BASE_URL``.

    Anything that is not a site path (empty, or already absolute) comes back as it is.
    """
    if not url or not url.startswith("/"):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return join_base(settings.WAGTAILAPI_BASE_URL, url)


def admin_url(path):
    """A path of the admin or of a page meant for e-mails: on ``WAGTAILADMIN_BASE_URL``."""
    return join_base(settings.WAGTAILADMIN_BASE_URL, path)
