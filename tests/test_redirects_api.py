"""The editors' redirects over the API: found by path, listed, and never pointing at a private page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


def find(client, path):
    return client.get("/api/v2/redirects/find/", {"path": path})


def test_a_redirect_to_a_page_gives_its_path_and_whether_it_is_permanent(client, article_factory):
    article = article_factory(slug="new-home")
    Redirect.add_redirect("/old-home/", article, is_permanent=True)
    Redirect.add_redirect("/for-now", article, is_permanent=False)

    for asked in ("/old-home/", "/old-home", "old-home", "/old-home/?utm_source=mail"):
        response = find(client, asked)
        assert response.status_code == 200, asked
        assert response.json() == {
            "old_path": "/old-home",
            "location": article.url,
            "is_permanent": True,
            "page_id": article.pk,
        }
    assert find(client, "/for-now/").json()["is_permanent"] is False


def test_a_redirect_to_a_url_gives_the_url(client, home):
    Redirect.add_redirect("/shop", "https://shop.example/", is_permanent=False)
    assert find(client, "/shop/").json() == {
        "old_path": "/shop",
        "location": "https://shop.example/",
        "is_permanent": False,
        "page_id": None,
    }


def test_no_redirect_is_the_json_404_and_bad_input_a_400(client, home):
    response = find(client, "/nowhere/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    for query in ({}, {"path": "  "}, {"path": "/x", "other": "1"}):
        response = client.get("/api/v2/redirects/find/", query)
        assert response.status_code == 400, query
        assert set(response.json()) == {"detail"}
    for query in ({"limit": "abc"}, {"limit": "51"}, {"offset": "-1"}, {"offset": "99999999999"}, {"type": "x"}):
        response = client.get("/api/v2/redirects/", query)
        assert response.status_code == 400, query
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("hide", ["draft", "unpublished", "login", "password", "private parent"])
def test_a_redirect_to_a_page_that_is_not_public_is_not_revealed(client, index, article_factory, hide):
    target = article_factory(title="Hidden target", slug="hidden-target", publish=hide != "draft")
    if hide == "unpublished":
        target.unpublish()
    elif hide in ("login", "password"):
        PageViewRestriction.objects.create(page=target, restriction_type=hide, password="x")
    elif hide == "private parent":
        PageViewRestriction.objects.create(page=index, restriction_type="login")
    Redirect.add_redirect("/to-hidden", target)

    response = find(client, "/to-hidden")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    listing = client.get("/api/v2/redirects/")
    assert listing.json() == {"meta": {"total_count": 0}, "items": []}
    assert b"hidden-target" not in response.content + listing.content
    # Nor on the rendered site: Wagtail's own middleware would answer with the page's URL in Location.
    page = client.get("/to-hidden/?utm_source=mail")
    assert page.status_code == 404
    assert "hidden-target" not in page.get("Location", "") + page.content.decode()


def test_the_rendered_site_follows_a_redirect_to_a_public_page_or_a_url(client, article_factory):
    article = article_factory(slug="moved-here")
    Redirect.add_redirect("/moved", article, is_permanent=True)
    Redirect.add_redirect("/elsewhere", "https://shop.example/", is_permanent=False)
    moved = client.get("/moved/?utm_source=mail")
    assert (moved.status_code, moved["Location"]) == (301, article.url)
    elsewhere = client.get("/elsewhere/")
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "https://shop.example/")


def test_the_listing_shows_this_sites_redirects_in_path_order(client, home, article_factory, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    article = article_factory()
    other_site = Site.objects.create(hostname="other.example", root_page=home, is_default_site=False)
    Redirect.add_redirect("/b-old", article)
    Redirect.add_redirect("/a-old", "https://elsewhere.example/")
    Redirect.add_redirect("/elsewhere-only", article, site=other_site)

    response = client.get("/api/v2/redirects/")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"total_count": 2}
    assert [item["old_path"] for item in body["items"]] == ["/a-old", "/b-old"]
    assert client.get("/api/v2/redirects/", {"limit": 1, "offset": 1}).json()["items"][0]["old_path"] == "/b-old"
    assert find(client, "/elsewhere-only").status_code == 404
    on_other = client.get("/api/v2/redirects/find/", {"path": "/elsewhere-only"}, HTTP_HOST="other.example")
    assert on_other.status_code == 200


def test_a_redirect_saved_or_a_target_made_private_is_seen_at_once(client, committed, article_factory):
    article = article_factory(slug="target")
    redirect = committed(Redirect.add_redirect, "/old", article)
    first = client.get("/api/v2/redirects/")
    assert first.json()["meta"]["total_count"] == 1
    assert client.get("/api/v2/redirects/")["X-Cache"] == "HIT"
    assert find(client, "/old").status_code == 200
    assert find(client, "/old")["X-Cache"] == "HIT"

    redirect.is_permanent = False
    committed(redirect.save)
    assert find(client, "/old").json()["is_permanent"] is False

    committed(PageViewRestriction.objects.create, page=article, restriction_type="login")
    assert find(client, "/old").status_code == 404
    assert client.get("/api/v2/redirects/").json()["meta"]["total_count"] == 0


def test_the_listing_costs_the_same_queries_at_two_sizes(client, article_factory, settings):
    settings.PUBLIC_CACHE_ENABLED = False
    Redirect.add_redirect("/first", article_factory())
    client.get("/api/v2/redirects/")
    counts = []
    for extra in (0, 6):
        for n in range(extra):
            Redirect.add_redirect(f"/more-{n}", article_factory())
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v2/redirects/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_editors_manage_redirects_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/redirects/").status_code == 200
    assert client.get("/admin/redirects/add/").status_code == 200
