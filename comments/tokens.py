"""Moderation API tokens: Wagtail's hashed ``APIToken`` with an expiry and a recorded last use.

Wagtail stores the token (Settings › API tokens, or ``manage.py api_tokens``); ``APITokenExpiry``
adds when it stops working. The last use is written at most once per
``WAGTAILAPI_TOKEN_LAST_USED_INTERVAL`` seconds per token (Wagtail's own setting), so a busy
client does not cost a write per request.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from wagtail.models import APIToken

from comments.models import APITokenExpiry


def default_expiry(created):
    """``COMMENTS_API_TOKEN_LIFETIME_DAYS`` after ``created``; ``None`` (never) for a lifetime of 0."""
    days = settings.COMMENTS_API_TOKEN_LIFETIME_DAYS
    return created + timedelta(days=days) if days else None


def expires_at(token):
    """When ``token`` stops working (``None``: never). Reads ``token.expiry``: select it with the token."""
    try:
        return token.expiry.expires_at
    except APITokenExpiry.DoesNotExist:
        return default_expiry(token.created)


def is_expired(token, now=None):
    ends = expires_at(token)
    return ends is not None and ends <= (now or timezone.now())


def give_expiry(sender, instance, created, raw=False, **kwargs):
    """``post_save`` of ``APIToken``: every new token gets its expiry, whoever made it."""
    if created and not raw:
        APITokenExpiry.objects.get_or_create(token=instance, defaults={"expires_at": default_expiry(instance.created)})


def record_use(token, now=None):
    """Set ``last_used_at``, unless it was set less than the interval ago: then no query at all.

    The ``WHERE`` repeats the check, so app servers racing on one token write it once.
    """
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
    if interval is None:
        return
    now = now or timezone.now()
    since = now - timedelta(seconds=interval)
    if token.last_used_at is not None and token.last_used_at > since:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=since)
    if APIToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now
