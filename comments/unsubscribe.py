"""Signed, expiring unsubscribe links for thread notifications.

The token is ``django.core.signing`` over JSON (never a pickle, unlike django-comments-xtd's own
mute links) and carries only the e-mail address and the article; no login is needed to use it.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from comments.models import ArticleComment
from core.links import admin_url

SALT = "comments.unsubscribe"


def make_unsubscribe_token(email, article_id):
    return signing.dumps({"e": email.lower(), "a": int(article_id)}, salt=SALT, compress=True)


def read_unsubscribe_token(token):
    """``(email, article_id)``; raises ``signing.BadSignature`` (or its ``SignatureExpired``)."""
    max_age = settings.COMMENTS_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600
    data = signing.loads(token, salt=SALT, max_age=max_age)
    return data["e"], int(data["a"])


def unsubscribe_url(email, article_id):
    path = reverse("comments-unsubscribe", kwargs={"token": make_unsubscribe_token(email, article_id)})
    return admin_url(path)


def unsubscribe(email, article_id):
    """Stop thread e-mails about one article to one address; the number of comments changed."""
    return ArticleComment.objects.filter(article_id=article_id, user_email__iexact=email, followup=True).update(
        followup=False
    )


class UnsubscribeView(View):
    """GET shows a confirmation button (so link scanners do not unsubscribe anyone); POST acts."""

    template_name = "comments/unsubscribe.html"

    def _read(self, token):
        try:
            return read_unsubscribe_token(token)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    def _invalid(self, request):
        response = render(request, self.template_name, {"invalid": True})
        return HttpResponseBadRequest(response.content)

    def get(self, request, token):
        if self._read(token) is None:
            return self._invalid(request)
        return render(request, self.template_name, {"token": token})

    def post(self, request, token):
        data = self._read(token)
        if data is None:
            return self._invalid(request)
        unsubscribe(*data)
        return render(request, self.template_name, {"done": True})
