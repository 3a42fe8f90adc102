"""Shared fixtures: a site with an article index, builders for articles, users and comments."""

import datetime
import io
import itertools
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from rest_framework.test import APIClient
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.images import get_image_model
from wagtail.models import Site

from articles.models import ArticleIndexPage, ArticlePage
from comments.models import ArticleComment
from comments.services import comment_approve, comment_create

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _clear_cache():
    from core import cache  # the public response cache and its URL registry, besides Django's cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and what it queued for after its commit (``on_commit``), as a real request does."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


PURGED = []


class RecordingBackend(BaseBackend):
    """A frontend-cache backend that keeps the URLs it is asked to purge (the nginx test purges for real)."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def purged(settings):
    """The URLs purged from the HTTP cache in front of the app, in order."""
    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.conftest.RecordingBackend"}}
    PURGED.clear()
    return PURGED


@pytest.fixture
def cached_twice():
    """Read a URL twice as an anonymous reader; the second read must come from the cache, without a query."""

    def read(client, url):
        first = client.get(url)
        assert first.status_code == 200, first.content[:300]
        assert first["X-Cache"] == "MISS"
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second["X-Cache"] == "HIT"
        assert len(queries) == 0, [q["sql"] for q in queries]
        assert second.content == first.content
        return second

    return read


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def index(home):
    page = ArticleIndexPage(title="Articles", slug="articles")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_image(title="Picture", color=(200, 80, 60), size=(640, 360)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    image = get_image_model()(title=title, description=f"{title} (alt)")
    image.file = ImageFile(buffer, name=f"img{next(_counter)}.png")
    image.save()
    return image


def make_article(parent, *, publish=True, tags=(), body=(), **fields):
    n = next(_counter)
    defaults = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "intro": f"Intro of article {n}",
        "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
    }
    defaults.update(fields)
    page = ArticlePage(body=json.dumps(list(body)), live=publish, **defaults)
    parent.add_child(instance=page)
    for tag in tags:
        page.tags.add(tag)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def article_factory(index):
    def build(**kwargs):
        parent = kwargs.pop("parent", index)
        return make_article(parent, **kwargs)

    return build


@pytest.fixture
def api():
    return APIClient()


def make_user(username, *groups, superuser=False, email=None):
    from django.contrib.auth import get_user_model

    email = f"{username}@staff.example" if email is None else email
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, email=email)
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def moderator(db):
    return make_user("mod", "Moderators")


@pytest.fixture
def editor(db):
    return make_user("ed", "Editors")


@pytest.fixture
def make_comment(moderator):
    """A comment stored through the service, optionally approved."""

    counter = iter(range(1, 1_000_000))

    def make(article, *, parent=None, approve=True, body=None, email="someone@example.com", name="Someone"):
        comment = comment_create(
            article=article,
            parent=parent,
            name=name,
            email=email,
            body=body or f"Comment number {next(counter)}",
            client_ip="203.0.113.77",
        )
        if approve:
            comment, _ = comment_approve(comment=comment, moderator=moderator)
        return ArticleComment.objects.get(pk=comment.pk)

    return make
