"""The peers the benchmark compares the app's cache with (bench/urls.py): Django's ``cache_page`` over the
project's own views answers the same bytes, and its second read comes from the cache without a query."""

import pytest

from articles.factories import AuthorFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.PUBLIC_CACHE_ENABLED = False  # as on the bench's peers server: cache_page alone


@pytest.mark.parametrize("kind", ["api", "page"])
def test_cache_page_peer_serves_the_same_article_from_the_cache(
    client, bench_urls, article_factory, django_assert_num_queries, kind
):
    article = article_factory(title="Peer")
    url = f"/api/v2/pages/{article.pk}/" if kind == "api" else article.url
    direct = client.get(url)
    first = client.get(f"/bench/cache-page{url}")
    with django_assert_num_queries(0):
        second = client.get(f"/bench/cache-page{url}")
    assert direct.status_code == first.status_code == second.status_code == 200
    assert first.content == second.content
    if kind == "api":
        assert second.content == direct.content


def test_the_stock_viewset_peer_builds_the_same_body_per_request(client, bench_urls, article_factory):
    """The peer of ``uncached_vs_stock``: Wagtail's StreamField serialization, never the stored body."""
    from articles.models import StoredBody

    body = [{"type": "quote", "value": {"text": "Same either way.", "attribution": "Someone"}}]
    article = article_factory(body=body, hero_image=ImageFactory(), author=AuthorFactory(), tags=["one", "two"])
    stock = client.get(f"/bench/stock/api/v2/pages/{article.pk}/")
    assert stock.status_code == 200
    assert not StoredBody.objects.exists()
    ours = client.get(f"/api/v2/pages/{article.pk}/")
    assert StoredBody.objects.count() == 1
    for name in ("body", "hero_image", "author", "tags"):
        assert stock.json()[name] == ours.json()[name], name
    assert stock.json()["body"][0]["value"] == {"text": "Same either way.", "attribution": "Someone"}
