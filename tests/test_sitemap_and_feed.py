"""``/sitemap.xml`` and ``/feed/``: every live public page (article) and nothing else, and a page that
leaves the public (unpublished, made private) leaves both at once, cached as they are."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from articles.factories import ArticleIndexPageFactory, AuthorFactory
from core.factories import UserFactory
from tests.test_private_at_once import set_privacy

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}


def feed_entries(client):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - our own response


def full(page):
    return f"http://testserver{page.url}"


@pytest.fixture
def staff(client, db):
    """A superuser's client, for the admin's privacy dialog."""
    admin = type(client)()
    admin.force_login(UserFactory(username="boss", superuser=True))
    return admin


@pytest.fixture
def hidden(index, article_factory):
    """A draft, an unpublished article, password- and login-restricted ones, and one in a private section."""
    unpublished = article_factory(title="Taken down")
    unpublished.unpublish()
    password = article_factory(title="Password only")
    PageViewRestriction.objects.create(page=password, restriction_type="password", password="x")
    login = article_factory(title="Members only")
    PageViewRestriction.objects.create(page=login, restriction_type="login")
    section = ArticleIndexPageFactory(parent=index.get_parent(), title="Private section", slug="private-section")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    return [
        article_factory(title="Still a draft", publish=False),
        unpublished,
        password,
        login,
        section,
        article_factory(parent=section, title="In the private section"),
    ]


def test_the_sitemap_lists_every_live_public_page_with_its_last_publication(client, home, index, article_factory):
    article = article_factory(title="Public")
    article.save_revision()  # a newer draft does not take a live page out

    urls = sitemap_urls(client)

    assert set(urls) == {full(home), full(index), full(article)}
    assert urls[full(article)] == article.last_published_at.date().isoformat()


def test_the_sitemap_leaves_out_drafts_unpublished_and_private_pages(client, home, index, hidden):
    urls = sitemap_urls(client)
    assert set(urls) == {full(home), full(index)}
    for page in hidden:
        assert page.slug not in str(urls)


def test_the_feed_lists_live_public_articles_newest_first_with_author_names_only(client, article_factory, hidden):
    author = AuthorFactory(name="Dana Writer")
    older = article_factory(title="Older", date=datetime.date(2026, 3, 1), author=author, tags=["neck"])
    newer = article_factory(title="Newer", date=datetime.date(2026, 3, 2), intro="What is new.")

    entries = feed_entries(client)

    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Newer", "Older"]
    first, second = entries
    assert first.find(f"{ATOM}link").get("href") == full(newer)
    assert first.findtext(f"{ATOM}summary") == "What is new."
    assert first.findtext(f"{ATOM}published") == "2026-03-02T00:00:00+00:00"
    assert first.find(f"{ATOM}author") is None
    assert second.findtext(f"{ATOM}author/{ATOM}name") == "Dana Writer"
    assert second.find(f"{ATOM}author/{ATOM}email") is None
    assert [c.get("term") for c in second.findall(f"{ATOM}category")] == ["neck"]
    assert second.findtext(f"{ATOM}updated") == older.last_published_at.isoformat()
    body = client.get("/feed/").content
    assert b"@" not in body
    feed = ET.fromstring(body)  # noqa: S314 - our own response
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": "http://testserver/", "self": "http://testserver/feed/"}  # not example.com
    for page in hidden:
        assert page.title.encode() not in body


def test_every_page_links_the_feed_from_its_head(client, home, index, article_factory):
    article = article_factory()
    for page in (home, index, article):
        html = client.get(page.url).content.decode()
        head = html[: html.index("</head>")]
        assert '<link rel="alternate" type="application/atom+xml" title="Articles" href="/feed/">' in head


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feed/"])
def test_the_sitemap_and_feed_are_cached_like_pages(client, article_factory, url, cached_twice):
    article_factory()
    response = cached_twice(client, url)
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=600"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feed/"])
def test_an_unpublished_article_leaves_at_once(client, committed, purged, article_factory, url, cached_twice):
    article = article_factory(title="Soon gone", slug="soon-gone")
    assert b"soon-gone" in cached_twice(client, url).content

    committed(article.unpublish)

    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert b"soon-gone" not in response.content
    assert f"http://testserver{url}" in purged


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feed/"])
def test_an_article_made_private_in_the_admin_leaves_at_once(
    client,
    staff,
    committed,
    purged,
    article_factory,
    url,
    cached_twice,
):
    article = article_factory(title="Members soon", slug="members-soon")
    assert b"members-soon" in cached_twice(client, url).content

    set_privacy(staff, committed, article, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert b"members-soon" not in response.content
    assert f"http://testserver{url}" in purged


# The sitemap: the view restrictions, a count, the pages' types, one query per page type (3).
# The feed: the view restrictions, the articles with their authors, their tags. The site comes from the
# cache after the first request (core/sites.py).
BUDGETS = {"/sitemap.xml": 6, "/feed/": 3}


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feed/"])
def test_the_cost_does_not_grow_with_the_number_of_articles(client, article_factory, url, settings):
    settings.PUBLIC_CACHE_ENABLED = False
    article_factory(author=AuthorFactory(), tags=["a"])
    client.get(url)  # the site and Wagtail's site root paths, cached from here on
    counts = []
    for extra in (0, 5):
        for _ in range(extra):
            article_factory(author=AuthorFactory(), tags=["a", "b"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [BUDGETS[url]] * 2
