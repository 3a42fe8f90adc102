"""Shared fixtures: a site with an article index, articles, staff users and comments.

The data itself comes from the factories (``articles.factories``, ``core.factories``); the fixtures
only put it in place.
"""

import os

import hypothesis
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Site

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from comments.models import ArticleComment
from comments.services import comment_approve, comment_create
from core.factories import UserFactory
from tests.webhook_receiver import Receiver

# Hypothesis: `make test` draws the same examples every run (derandomized, no example database), so a
# red run is reproducible; `make fuzz` (FUZZ_EXPLORE=1) draws new ones and remembers what failed.
hypothesis.settings.register_profile("suite", derandomize=True, database=None)
hypothesis.settings.register_profile("explore")
hypothesis.settings.load_profile("explore" if os.environ.get("FUZZ_EXPLORE") == "1" else "suite")


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
    return ArticleIndexPageFactory(parent=home, slug="articles")


@pytest.fixture
def article_factory(index):
    """``ArticlePageFactory`` with the article index as the default parent."""

    def build(**kwargs):
        return ArticlePageFactory(**{"parent": index, **kwargs})

    return build


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def moderator(db):
    return UserFactory(username="mod", groups=["Moderators"])


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", groups=["Editors"])


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


@pytest.fixture
def receiver():
    """A started webhook receiver (``tests/webhook_receiver.py``), stopped after the test."""
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
