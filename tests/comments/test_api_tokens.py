"""Moderation API tokens expire, record when they were last used, and moderators see both in the admin."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient
from wagtail.models import APIToken

from comments.models import APITokenExpiry

pytestmark = pytest.mark.django_db
QUEUE = "/api/moderation/comments/"
EXPIRED = "This API token has expired; create a new one in the admin under Settings › API tokens."


def client_for(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def issued(moderator):
    return APIToken.create_token(user=moderator, name="frontend")


def test_a_new_token_expires_after_the_lifetime(issued):
    instance, token = issued
    assert settings.COMMENTS_API_TOKEN_LIFETIME_DAYS == 90
    expires_at = APITokenExpiry.objects.get(token=instance).expires_at
    assert expires_at == instance.created + timedelta(days=90)
    assert client_for(token).get(QUEUE).status_code == 200


def test_an_expired_token_is_refused_with_a_json_401_that_says_so(issued):
    instance, token = issued
    APITokenExpiry.objects.filter(token=instance).update(expires_at=timezone.now() + timedelta(minutes=1))
    assert client_for(token).get(QUEUE).status_code == 200

    APITokenExpiry.objects.filter(token=instance).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(token).get(QUEUE)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": EXPIRED}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert client_for(token).post(f"{QUEUE}bulk/", {"action": "approve", "ids": [1]}, format="json").status_code == 401


def test_without_an_expiry_of_its_own_a_token_expires_a_lifetime_after_it_was_made(issued):
    instance, token = issued
    APITokenExpiry.objects.filter(token=instance).delete()  # a token made behind the signal's back
    APIToken.objects.filter(pk=instance.pk).update(created=timezone.now() - timedelta(days=89))
    assert client_for(token).get(QUEUE).status_code == 200
    APIToken.objects.filter(pk=instance.pk).update(created=timezone.now() - timedelta(days=91))
    assert client_for(token).get(QUEUE).json() == {"detail": EXPIRED}


def test_a_lifetime_of_zero_means_tokens_do_not_expire(settings, moderator):
    settings.COMMENTS_API_TOKEN_LIFETIME_DAYS = 0
    instance, token = APIToken.create_token(user=moderator, name="forever")
    assert APITokenExpiry.objects.get(token=instance).expires_at is None
    APIToken.objects.filter(pk=instance.pk).update(created=timezone.now() - timedelta(days=3650))
    assert client_for(token).get(QUEUE).status_code == 200


def token_writes(ctx):
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]]


def test_the_last_use_is_recorded_at_most_once_a_minute(issued):
    instance, token = issued
    assert instance.last_used_at is None
    client = client_for(token)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            assert client.get(QUEUE).status_code == 200
    assert len(token_writes(ctx)) == 1
    first = APIToken.objects.get(pk=instance.pk).last_used_at
    assert timezone.now() - first < timedelta(seconds=30)

    APIToken.objects.filter(pk=instance.pk).update(last_used_at=first - timedelta(seconds=61))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE).status_code == 200
        assert client.get(QUEUE).status_code == 200
    assert len(token_writes(ctx)) == 1
    assert APIToken.objects.get(pk=instance.pk).last_used_at > first


def test_a_refused_token_is_not_recorded_as_used(issued):
    instance, token = issued
    APITokenExpiry.objects.filter(token=instance).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(token).get(QUEUE).status_code == 401
    assert APIToken.objects.get(pk=instance.pk).last_used_at is None


def test_moderators_see_their_own_tokens_with_created_expires_and_last_used(issued, moderator, editor, admin_user):
    instance, token = issued
    client_for(token).get(QUEUE)
    used_at = APIToken.objects.get(pk=instance.pk).last_used_at
    stale, _ = APIToken.create_token(user=moderator, name="stale")
    APITokenExpiry.objects.filter(token=stale).update(expires_at=timezone.now() - timedelta(days=1))
    APIToken.create_token(user=editor, name="editors-token")
    admin = Client()
    admin.force_login(moderator)
    response = admin.get("/admin/api-tokens/")
    assert response.status_code == 200
    text = response.content.decode()
    for heading in ("Created", "Expires", "Last used"):
        assert f">{heading}<" in text.replace("\n", "").replace("  ", "")
    assert "frontend" in text and instance.prefix in text
    shown = [instance.created, instance.created + timedelta(days=90), used_at]
    for moment in shown:
        assert date_format(timezone.localtime(moment), "DATETIME_FORMAT") in text
    assert "(expired)" in text  # the stale one
    assert "editors-token" not in text  # nobody else's
    assert token not in text  # the secret is shown once, at creation, never again

    admin.force_login(admin_user)
    assert "editors-token" in admin.get("/admin/api-tokens/").content.decode()  # a superuser sees all


def test_a_moderator_creates_a_token_in_the_admin_and_it_expires(moderator):
    admin = Client()
    admin.force_login(moderator)
    response = admin.post("/admin/api-tokens/new/", {"name": "my script", "user": moderator.pk})
    assert response.status_code == 200
    made = APIToken.objects.get(name="my script", user=moderator)
    assert made.prefix in response.content.decode()
    assert APITokenExpiry.objects.get(token=made).expires_at == made.created + timedelta(days=90)


def test_tokens_made_before_expiry_existed_get_one_lifetime_from_the_migration(moderator):
    old, token = APIToken.create_token(user=moderator, name="old")
    APITokenExpiry.objects.filter(token=old).delete()
    APIToken.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=400))
    migration = importlib.import_module("comments.migrations.0002_apitokenexpiry")
    before = timezone.now()
    migration.give_existing_tokens_a_lifetime(apps, None)
    expires_at = APITokenExpiry.objects.get(token=old).expires_at
    assert before + timedelta(days=90) <= expires_at <= timezone.now() + timedelta(days=90)
    assert client_for(token).get(QUEUE).status_code == 200
