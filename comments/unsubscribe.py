"""Signed, expiring unsubscribe links for thread notifications, that name no one.

A link names a follow-up subscription by its comment's ``unsubscribe_key``: 32 random bytes, signed
with a timestamp (``TimestampSigner``) so that it expires after ``COMMENTS_UNSUBSCRIBE_MAX_AGE_DAYS``.
No e-mail address is in it, encoded or not, so none lands in URLs, server logs, proxies' logs or
browser history. The key leads to the comment, the comment to its address and article, and using
the link stops every follow-up of that address on that article. No login is needed to use it.

Links sent before keys existed are signed JSON with the address in readable base64 (salt
``comments.unsubscribe``). They are still honoured until they expire like any link (the
deployment that introduced keys plus ``COMMENTS_UNSUBSCRIBE_MAX_AGE_DAYS``): an unsubscribe link
that stops working before its time is a reader who keeps getting mail they asked to stop. No new
link is made in that form; ``LEGACY_SALT`` and its branch can go once those days have passed.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from comments.models import ArticleComment
from core.links import admin_url

SALT = "comments.unsubscribe.key"
LEGACY_SALT = "comments.unsubscribe"


def new_unsubscribe_key():
    return secrets.token_urlsafe(32)


def _max_age():
    return settings.COMMENTS_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600


def make_unsubscribe_token(key):
    return signing.TimestampSigner(salt=SALT).sign(key)


def subscription_key(email, article_id):
    """The key of ``email``'s follow-up of ``article_id`` (its first keyed following comment), or None
    if the address follows nothing there. A following comment without a key (one stored by other
    means than ``comment_create``) is given one, so that no thread e-mail goes out without its link."""
    following = ArticleComment.objects.filter(article_id=article_id, user_email__iexact=email, followup=True)
    while True:
        key = following.exclude(unsubscribe_key=None).order_by("pk").values_list("unsubscribe_key", flat=True).first()
        if key is not None:
            return key
        first = following.order_by("pk").values_list("pk", flat=True).first()
        if first is None:
            return None
        ArticleComment.objects.filter(pk=first, unsubscribe_key=None).update(unsubscribe_key=new_unsubscribe_key())


def read_unsubscribe_token(token):
    """``(email, article_id)`` of the subscription a link names, or None if it names none (tampered,
    expired, or its comment erased)."""
    try:
        key = signing.TimestampSigner(salt=SALT).unsign(token, max_age=_max_age())
    except signing.BadSignature:
        return _read_legacy_token(token)
    found = ArticleComment.objects.filter(unsubscribe_key=key).values_list("user_email", "article_id").first()
    if found is None or not found[0]:
        return None
    return found


def _read_legacy_token(token):
    try:
        data = signing.loads(token, salt=LEGACY_SALT, max_age=_max_age())
        return str(data["e"]), int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(key):
    return admin_url(reverse("comments-unsubscribe", kwargs={"token": make_unsubscribe_token(key)}))


def unsubscribe(email, article_id):
    """Stop thread e-mails about one article to one address; the number of comments changed."""
    return ArticleComment.objects.filter(article_id=article_id, user_email__iexact=email, followup=True).update(
        followup=False
    )


class UnsubscribeView(View):
    """GET shows a confirmation button (so link scanners do not unsubscribe anyone); POST acts.
    A link that names no subscription is a 400 page that says so."""

    template_name = "comments/unsubscribe.html"

    def _invalid(self, request):
        response = render(request, self.template_name, {"invalid": True})
        return HttpResponseBadRequest(response.content)

    def get(self, request, token):
        if read_unsubscribe_token(token) is None:
            return self._invalid(request)
        return render(request, self.template_name, {"token": token})

    def post(self, request, token):
        subscription = read_unsubscribe_token(token)
        if subscription is None:
            return self._invalid(request)
        unsubscribe(*subscription)
        return render(request, self.template_name, {"done": True})
