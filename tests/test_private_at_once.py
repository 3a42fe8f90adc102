"""A page made private is private at once: in the app's cache, the API and the HTTP cache in front.

The privacy is set the way an editor sets it, through the admin's privacy dialog
(``/admin/pages/<id>/privacy/``), after anonymous readers have filled every cache.
"""

import pytest
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from articles.factories import ImageFactory
from core.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Members only, soon"


@pytest.fixture
def admin_client(client, db):
    boss = UserFactory(username="boss", superuser=True)
    staff = type(client)()
    staff.force_login(boss)  # a password sign-in is tested in tests/test_admin_login.py
    return staff


def set_privacy(admin_client, committed, page, **form):
    response = committed(admin_client.post, f"/admin/pages/{page.pk}/privacy/", form)
    assert response.status_code == 200, response.content[:300]
    assert b"set_privacy_done" in response.content


def public_urls(article, index):
    return [
        article.url,
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=articles.ArticlePage",
        index.url,
    ]


@pytest.mark.parametrize(
    ("form", "page_status"),
    [
        ({"restriction_type": PageViewRestriction.PASSWORD, "password": "letmein"}, 200),  # the password form
        ({"restriction_type": PageViewRestriction.LOGIN}, 302),  # to the login page
    ],
    ids=["password", "login"],
)
def test_a_page_made_private_leaves_every_cache_at_once(
    client, admin_client, committed, purged, index, article_factory, form, page_status, cached_twice
):
    article = article_factory(title=SECRET_TITLE)
    for url in public_urls(article, index):
        assert SECRET_TITLE.encode() in cached_twice(client, url).content

    set_privacy(admin_client, committed, article, **form)

    detail = client.get(f"/api/v2/pages/{article.pk}/")
    assert detail.status_code == 404
    assert detail.json() == {"detail": "Not found."}
    page = client.get(article.url)
    assert page.status_code == page_status
    assert SECRET_TITLE.encode() not in page.content
    for url in ("/api/v2/pages/?type=articles.ArticlePage", index.url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Cache"] == "MISS", url
        assert SECRET_TITLE.encode() not in response.content, url
    assert {f"http://testserver{article.url}", f"http://testserver/api/v2/pages/{article.pk}/"} <= set(purged)


def test_an_ancestor_made_private_takes_its_articles_out_at_once(
    client, admin_client, committed, purged, index, article_factory, cached_twice
):
    article = article_factory(title=SECRET_TITLE)
    cached_twice(client, f"/api/v2/pages/{article.pk}/")
    cached_twice(client, article.url)

    set_privacy(admin_client, committed, index, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    assert SECRET_TITLE.encode() not in client.get(article.url).content
    assert f"http://testserver{article.url}" in purged


def test_a_page_made_public_again_is_shown_at_once(client, admin_client, committed, index, article_factory):
    article = article_factory(title="Open again")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    listing = client.get("/api/v2/pages/?type=articles.ArticlePage")
    assert b"Open again" not in listing.content
    assert client.get("/api/v2/pages/?type=articles.ArticlePage")["X-Cache"] == "HIT"

    set_privacy(admin_client, committed, article, restriction_type=PageViewRestriction.NONE)

    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 200
    listing = client.get("/api/v2/pages/?type=articles.ArticlePage")
    assert listing["X-Cache"] == "MISS"
    assert b"Open again" in listing.content


def test_a_collection_made_private_makes_its_images_stale(
    client, committed, purged, index, article_factory, cached_twice
):
    private = Collection.get_first_root_node().add_child(name="Private pictures")
    image = ImageFactory(collection=private, title="Private figure")
    article = article_factory(title="Shows the figure", hero_image=image)
    cached_twice(client, f"/api/v2/pages/{article.pk}/")

    committed(
        CollectionViewRestriction.objects.create, collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )

    assert client.get(f"/api/v2/pages/{article.pk}/")["X-Cache"] == "MISS"
    assert f"http://testserver/api/v2/pages/{article.pk}/" in purged
