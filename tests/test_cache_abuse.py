"""Nobody can fill the public cache: parameters no view reads make no new entries; big bodies are not stored."""

import pytest

from core import cache

pytestmark = pytest.mark.django_db


def entries():
    backend = cache._cache()
    return [key for key in backend._cache if cache.ENTRY_KEY in key]  # the local-memory cache of the tests


def test_random_unread_parameters_make_no_entries(client, article_factory):
    article = article_factory(title="Popular")
    assert client.get(article.url)["X-Cache"] == "MISS"
    assert client.get(article.url)["X-Cache"] == "HIT"
    before = len(entries())
    for n in range(40):
        response = client.get(f"{article.url}?utm_source=campaign-{n}")
        assert response.status_code == 200
        assert b"Popular" in response.content
    assert len(entries()) == before


def test_parameters_a_view_reads_are_still_cached(client, article_factory, index):
    article_factory(title="Tagged", tags=["knees"])
    url = f"{index.url}?tag=knees"
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"


def test_a_response_past_the_size_bound_is_served_but_not_stored(client, article_factory, settings):
    article = article_factory(title="Long read")
    settings.PUBLIC_CACHE_MAX_ENTRY_BYTES = 100
    before = len(entries())
    for _ in range(2):
        response = client.get(article.url)
        assert response.status_code == 200 and b"Long read" in response.content
        assert "X-Cache" not in response  # neither served from nor stored in the cache
    assert len(entries()) == before
