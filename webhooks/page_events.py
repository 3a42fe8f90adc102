"""``page.published`` and ``page.unpublished``: Wagtail's page signals, for every page type."""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from wagtail.signals import page_published, page_unpublished

from core.links import join_base
from webhooks.delivery import configured_urls, send_event

logger = logging.getLogger(__name__)

PAGE_PUBLISHED = "page.published"
PAGE_UNPUBLISHED = "page.unpublished"


def page_data(page):
    """Publication metadata only: the page row's (live) title, never a draft revision's content."""
    model = page.specific_class or type(page)
    return {
        "id": page.pk,
        "type": model._meta.label,
        "title": page.title,
        "url": page.get_full_url() or None,
        "api_url": join_base(settings.WAGTAILAPI_BASE_URL, reverse("wagtailapi:pages:detail", args=[page.pk])),
    }


def _send_page_event(event, page):
    try:
        if not configured_urls() or page.get_view_restrictions().exists():
            return  # a page that is not public sends nothing
        # Built now, while the page exists (a deleted live page is unpublished just before its
        # row goes), and sent only once the publish, unpublish or delete has committed.
        data = page_data(page)
    except Exception:
        logger.exception("Could not build the %s webhook for page %s", event, page.pk)
        return
    transaction.on_commit(lambda: send_event(event, data))


def on_page_published(sender, instance, **kwargs):
    if not instance.live:
        # Wagtail sends ``page_published`` when an editor schedules a page that is not live yet (a
        # go-live time in the future): nothing is public until ``publish_scheduled`` publishes it.
        return
    _send_page_event(PAGE_PUBLISHED, instance)


def on_page_unpublished(sender, instance, **kwargs):
    _send_page_event(PAGE_UNPUBLISHED, instance)


def connect():
    page_published.connect(on_page_published, dispatch_uid="webhooks.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="webhooks.page_unpublished")
