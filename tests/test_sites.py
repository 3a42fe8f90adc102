"""The Wagtail site of a request's host comes from the cache once a request has looked it up
(``core/sites.py``), and every change of a site or of a site's root is seen by the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from core.sites import MAX_HOSTS, SITES_KEY

pytestmark = pytest.mark.django_db


def site_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, [
        q["sql"] for q in queries.captured_queries if 'FROM "wagtailcore_site"' in q["sql"] and "CASE WHEN" in q["sql"]
    ]


def titles(response):
    return sorted(item["title"] for item in response.json()["items"])


def test_the_site_is_looked_up_once_then_read_from_the_cache(client, article_factory):
    article_factory(title="Hamstrings")
    first, looked_up = site_queries(client, "/api/v2/pages/?type=articles.ArticlePage")
    assert first.status_code == 200 and len(looked_up) == 1
    cache_entry = cache.get(SITES_KEY)
    assert list(cache_entry) == ["testserver:80"]
    again, looked_up = site_queries(client, "/api/v2/pages/?type=articles.ArticlePage")
    assert looked_up == [] and again.json() == first.json()
    page, looked_up = site_queries(client, "/articles/")
    assert page.status_code == 200 and looked_up == [] and b"Hamstrings" in page.content


def test_a_request_that_never_asks_for_its_site_costs_no_lookup(client, article_factory):
    article = article_factory()
    response, looked_up = site_queries(client, f"/api/comments/?page={article.pk}")
    assert response.status_code == 200 and looked_up == []
    assert cache.get(SITES_KEY) is None


def test_a_site_saved_or_deleted_is_seen_by_the_next_request(client, settings, committed, home, index, article_factory):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    settings.PUBLIC_CACHE_ENABLED = False
    article_factory(title="Under the index")
    other = committed(Site.objects.create, hostname="other.example", port=80, root_page=index)
    host = {"HTTP_HOST": "other.example"}
    listing = "/api/v2/pages/?child_of=root"
    assert titles(client.get(listing, **host)) == ["Under the index"]
    assert titles(client.get(listing, **host)) == ["Under the index"]  # from the cache

    other.root_page = home
    committed(other.save)
    assert titles(client.get(listing, **host)) == [index.title]

    committed(other.delete)  # the host falls back to the default site, rooted at the home page too
    response, looked_up = site_queries(client, listing, **host)
    assert titles(response) == [index.title] and len(looked_up) == 1


def test_a_site_root_saved_or_any_page_moved_drops_the_cached_sites(client, committed, home, index, article_factory):
    article = article_factory()
    client.get("/api/v2/pages/")
    assert cache.get(SITES_KEY) is not None
    committed(article.save_revision().publish)  # not a root: the answers stay
    assert cache.get(SITES_KEY) is not None

    committed(home.save_revision().publish)
    assert cache.get(SITES_KEY) is None

    client.get("/api/v2/pages/")
    other_index = type(index)(title="Elsewhere", slug="elsewhere")
    home.add_child(instance=other_index)
    assert cache.get(SITES_KEY) is not None
    committed(article.move, other_index, pos="last-child")
    assert cache.get(SITES_KEY) is None


def test_hosts_are_kept_only_when_allowed_and_only_so_many(client, settings, home):
    assert client.get("/api/v2/pages/", HTTP_HOST="evil.example").status_code == 400
    assert cache.get(SITES_KEY) is None

    settings.ALLOWED_HOSTS = ["*"]
    for number in range(MAX_HOSTS + 5):
        assert client.get("/api/v2/pages/", HTTP_HOST=f"host{number}.example").status_code == 200
    assert len(cache.get(SITES_KEY)) == MAX_HOSTS


def test_a_cached_site_carries_nothing_a_request_added(client, home):
    client.get("/")
    cached = cache.get(SITES_KEY)["testserver:80"]
    site_values, root_values = cached
    assert site_values["root_page_id"] == home.pk and root_values["id"] == home.pk
    assert not any(isinstance(value, Model) for value in [*site_values.values(), *root_values.values()])
    assert set(root_values) == {field.attname for field in Page._meta.concrete_fields}


def test_no_cached_response_outlives_a_change_of_site(client, settings, committed, home, index, article_factory):
    """The response cache too: a site's root changed, no response of the old root is served again."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    article_factory(title="Under the index")
    other = committed(Site.objects.create, hostname="other.example", port=80, root_page=index)
    host = {"HTTP_HOST": "other.example"}
    assert titles(client.get("/api/v2/pages/?child_of=root", **host)) == ["Under the index"]
    assert client.get("/api/v2/pages/?child_of=root", **host)["X-Cache"] == "HIT"
    other.root_page = home
    committed(other.save)
    assert titles(client.get("/api/v2/pages/?child_of=root", **host)) == [index.title]
