"""The public response cache: what it serves without the database, and that every change is seen at once.

Changes go through the paths editors and moderators use (publishing revisions, saving snippets, the
moderation services), and their ``on_commit`` work runs as it does after a real commit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.models import Author, Disclaimer, Promo, Testimonial
from comments.services import comment_approve, comment_mark_spam, comment_reject, comment_remove
from core import cache

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    return client.get(url, headers=headers)


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


# --- what is served and with which headers -------------------------------------------------------------
def test_repeated_reads_come_from_the_cache_without_a_query(client, article_factory, cached_twice):
    article = article_factory(title="Cached article")
    for url in [
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=articles.ArticlePage&fields=author,date",
        f"/api/comments/?page={article.pk}",
        "/api/v2/testimonials/",
        article.url,
        "/articles/",
        "/",
    ]:
        cached_twice(client, url)


def test_etag_and_conditional_requests(client, article_factory):
    article = article_factory()
    url = f"/api/v2/pages/{article.pk}/"
    first = get(client, url)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=600"
    with CaptureQueriesContext(connection) as queries:
        again = get(client, url, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert len(queries) == 0
    assert get(client, url, if_none_match='"something-else"').status_code == 200
    # The rendered page too, on its first read already.
    page = get(client, article.url)
    assert get(client, article.url, if_none_match=page["ETag"]).status_code == 304


def test_only_canonical_urls_may_be_kept_by_a_shared_cache(client, article_factory):
    article = article_factory()
    shared = [f"/api/v2/pages/{article.pk}/", article.url, f"/api/comments/?page={article.pk}"]
    app_only = [
        f"/api/v2/pages/{article.pk}/?fields=title",
        f"/api/comments/?page={article.pk}&offset=20",
        f"{article.url}?comment=pending",
        "/api/v2/pages/?type=articles.ArticlePage",
    ]
    for url in shared:
        response = get(client, url)
        assert response["X-Accel-Expires"] == "600", url
        assert "s-maxage=600" in response["Cache-Control"], url
    for url in app_only:
        response = get(client, url)
        assert response.status_code == 200, url
        assert not response.has_header("X-Accel-Expires"), url
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate", url


def test_public_api_reads_are_the_same_bytes_for_every_origin(client, article_factory):
    article = article_factory()
    url = f"/api/v2/pages/{article.pk}/"
    ours = get(client, url, origin="https://frontend.example")
    theirs = get(client, url, origin="https://elsewhere.example")
    assert ours["Access-Control-Allow-Origin"] == theirs["Access-Control-Allow-Origin"] == "*"
    assert "Origin" not in ours.get("Vary", "")
    assert ours.content == theirs.content


def test_rendered_article_page_carries_nothing_personal(client, article_factory):
    article = article_factory()
    response = get(client, article.url)
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies
    assert response["X-Cache"] == "MISS"


def test_signed_in_readers_and_errors_are_never_cached(client, article_factory, editor):
    article = article_factory(title="Seen by an editor")
    client.force_login(editor)
    response = get(client, article.url)
    assert response.status_code == 200 and not response.has_header("X-Cache")
    assert cache._cache().get(cache._entry_key(response.wsgi_request)) is None
    client.logout()
    missing = get(client, "/api/v2/pages/999999/")
    assert missing.status_code == 404 and not missing.has_header("X-Cache")


def test_the_cache_can_be_switched_off(client, article_factory, settings):
    settings.PUBLIC_CACHE_ENABLED = False
    article = article_factory()
    get(client, f"/api/v2/pages/{article.pk}/")
    with CaptureQueriesContext(connection) as queries:
        response = get(client, f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200 and not response.has_header("X-Cache")
    assert len(queries) > 0


# --- exact invalidation: pages ---------------------------------------------------------------------------
def test_publishing_a_new_revision_is_seen_everywhere_at_once(client, committed, purged, article_factory, cached_twice):
    article = article_factory(title="Old title")
    urls = [f"/api/v2/pages/{article.pk}/", article.url, "/api/v2/pages/?type=articles.ArticlePage", "/articles/"]
    for url in urls:
        cached_twice(client, url)
    committed(publish, article, title="New title")
    for url in urls:
        response = get(client, url)
        assert response["X-Cache"] == "MISS", url
        assert b"New title" in response.content and b"Old title" not in response.content, url
    assert f"http://testserver/api/v2/pages/{article.pk}/" in purged
    assert f"http://testserver{article.url}" in purged


def test_a_publish_purges_each_url_once(client, committed, purged, article_factory, cached_twice):
    """Our invalidation purges exactly what a shared cache holds; nothing else (such as Wagtail's own
    frontend-cache signal handlers) purges the same page a second time."""
    article = article_factory(title="Purged once")
    cached_twice(client, article.url)
    cached_twice(client, f"/api/v2/pages/{article.pk}/")
    committed(publish, article, title="Purged once, again")
    assert sorted(purged) == sorted(set(purged))
    assert purged.count(f"http://testserver{article.url}") == 1


def test_unpublishing_removes_the_page_thread_and_listing_entry_at_once(
    client, committed, purged, article_factory, cached_twice
):
    article = article_factory(title="Soon gone")
    for url in [f"/api/v2/pages/{article.pk}/", article.url, f"/api/comments/?page={article.pk}", "/articles/"]:
        cached_twice(client, url)
    committed(article.unpublish)
    assert {
        f"http://testserver/api/v2/pages/{article.pk}/",
        f"http://testserver{article.url}",
        f"http://testserver/api/comments/?page={article.pk}",
        "http://testserver/articles/",
    } <= set(purged)
    assert get(client, f"/api/v2/pages/{article.pk}/").status_code == 404
    assert get(client, article.url).status_code == 404
    assert get(client, f"/api/comments/?page={article.pk}").status_code == 404
    assert b"Soon gone" not in get(client, "/articles/").content


def test_moving_a_page_changes_its_url_at_once(client, committed, purged, home, index, article_factory, cached_twice):
    other = ArticleIndexPageFactory(parent=home, title="Elsewhere", slug="elsewhere")
    article = article_factory(title="Moving article", slug="moving")
    cached_twice(client, f"/api/v2/pages/{article.pk}/")
    cached_twice(client, "/articles/moving/")
    committed(article.move, other, pos="last-child")
    assert {f"http://testserver/api/v2/pages/{article.pk}/", "http://testserver/articles/moving/"} <= set(purged)
    data = get(client, f"/api/v2/pages/{article.pk}/").json()
    assert data["meta"]["html_url"].endswith("/elsewhere/moving/")
    moved = get(client, "/articles/moving/")  # Wagtail's redirects app leaves a permanent redirect
    assert moved.status_code == 301 and moved["Location"] == "/elsewhere/moving/"
    assert get(client, "/elsewhere/moving/").status_code == 200


def test_deleting_a_page_is_seen_at_once(client, committed, purged, article_factory, cached_twice):
    article = article_factory(title="Deleted soon")
    url, api_url = article.url, f"/api/v2/pages/{article.pk}/"
    cached_twice(client, api_url)
    cached_twice(client, url)
    committed(article.delete)
    assert {f"http://testserver{api_url}", f"http://testserver{url}"} <= set(purged)
    assert get(client, api_url).status_code == 404
    assert get(client, url).status_code == 404


def test_publishing_a_neighbour_updates_previous_and_next(client, committed, index, article_factory, cached_twice):
    import datetime

    older = article_factory(title="Older", date=datetime.date(2026, 3, 1))
    url = f"/api/v2/pages/{older.pk}/"
    assert cached_twice(client, url).json()["next_post"] is None
    newer = committed(ArticlePageFactory, parent=index, title="Newer", date=datetime.date(2026, 3, 2))
    assert get(client, url).json()["next_post"]["id"] == newer.pk


# --- exact invalidation: snippets and images ----------------------------------------------------------
def test_editing_an_author_updates_articles_and_listings(client, committed, purged, article_factory, cached_twice):
    author = Author.objects.create(name="First Name")
    article = article_factory(author=author)
    urls = [f"/api/v2/pages/{article.pk}/", article.url, "/api/v2/pages/?type=articles.ArticlePage&fields=author"]
    for url in urls:
        cached_twice(client, url)

    def rename():
        author.name = "Second Name"
        author.save()

    committed(rename)
    assert {f"http://testserver/api/v2/pages/{article.pk}/", f"http://testserver{article.url}"} <= set(purged)
    for url in urls:
        assert b"Second Name" in get(client, url).content, url


def test_editing_a_promo_updates_the_articles_that_show_it(client, committed, purged, article_factory, cached_twice):
    promo = Promo.objects.create(title="Old promo", body="<p>Old words.</p>")
    showing = article_factory(body=[{"type": "promo", "value": promo.pk}])
    other = article_factory()
    cached_twice(client, f"/api/v2/pages/{showing.pk}/")
    cached_twice(client, f"/api/v2/pages/{other.pk}/")

    def edit():
        promo.title = "New promo"
        promo.save()

    committed(edit)
    assert f"http://testserver/api/v2/pages/{showing.pk}/" in purged
    assert f"http://testserver/api/v2/pages/{other.pk}/" not in purged  # exact: it does not show the promo
    assert b"New promo" in get(client, f"/api/v2/pages/{showing.pk}/").content
    # Exact: an article that does not show the promo stays cached.
    assert get(client, f"/api/v2/pages/{other.pk}/")["X-Cache"] == "HIT"


def test_changing_the_default_disclaimer_updates_articles_using_it(
    client, committed, purged, article_factory, cached_twice
):
    Disclaimer.objects.create(title="Default", body="<p>Old default.</p>", is_default=True)
    article = article_factory()
    url = f"/api/v2/pages/{article.pk}/"
    assert cached_twice(client, url).json()["disclaimer"] == {"body": "<p>Old default.</p>"}

    def switch():
        Disclaimer.objects.create(title="Newer", body="<p>New default.</p>", is_default=True)

    committed(switch)
    assert f"http://testserver{url}" in purged
    assert get(client, url).json()["disclaimer"] == {"body": "<p>New default.</p>"}


def test_editing_a_testimonial_updates_articles_and_the_testimonials_api(
    client, committed, purged, article_factory, cached_twice
):
    testimonial = Testimonial.objects.create(quote="Old quote", name="Sam", role="Student", featured=True, live=True)
    article = article_factory()
    for url in [f"/api/v2/pages/{article.pk}/", "/api/v2/testimonials/", article.url]:
        cached_twice(client, url)

    def edit():
        testimonial.quote = "New quote"
        testimonial.save()

    committed(edit)
    assert {f"http://testserver/api/v2/pages/{article.pk}/", f"http://testserver{article.url}"} <= set(purged)
    for url in [f"/api/v2/pages/{article.pk}/", "/api/v2/testimonials/", article.url]:
        assert b"New quote" in get(client, url).content, url


# --- exact invalidation: comments -----------------------------------------------------------------------
def test_approving_a_comment_updates_thread_count_and_page_and_nothing_else(
    client, committed, purged, article_factory, make_comment, moderator, cached_twice
):
    article = article_factory()
    other = article_factory()
    pending = make_comment(article, approve=False, body="Worth the wait")
    thread, detail = f"/api/comments/?page={article.pk}", f"/api/v2/pages/{article.pk}/"
    for url in [thread, detail, article.url, f"/api/comments/?page={other.pk}"]:
        cached_twice(client, url)
    assert get(client, detail).json()["comments"]["count"] == 0

    committed(comment_approve, comment=pending, moderator=moderator)
    assert get(client, thread).json()["results"][0]["body"] == "Worth the wait"
    assert get(client, detail).json()["comments"]["count"] == 1
    assert b"Worth the wait" in get(client, article.url).content
    assert get(client, f"/api/comments/?page={other.pk}")["X-Cache"] == "HIT"
    assert f"http://testserver/api/comments/?page={article.pk}" in purged
    assert f"http://testserver/api/comments/?page={other.pk}" not in purged


@pytest.mark.parametrize("action", [comment_remove, comment_mark_spam])
def test_removing_or_marking_spam_takes_a_comment_down_at_once(
    client, committed, purged, article_factory, make_comment, moderator, action, cached_twice
):
    article = article_factory()
    comment = make_comment(article, body="Soon taken down")
    thread = f"/api/comments/?page={article.pk}"
    assert b"Soon taken down" in cached_twice(client, thread).content
    assert b"Soon taken down" in cached_twice(client, article.url).content
    committed(action, comment=comment, moderator=moderator)
    assert {f"http://testserver{thread}", f"http://testserver{article.url}"} <= set(purged)
    assert b"Soon taken down" not in get(client, thread).content
    assert b"Soon taken down" not in get(client, article.url).content


def test_rejecting_a_pending_comment_keeps_it_out(
    client, committed, purged, article_factory, make_comment, moderator, cached_twice
):
    article = article_factory()
    pending = make_comment(article, approve=False, body="Never shown")
    cached_twice(client, f"/api/comments/?page={article.pk}")
    committed(comment_reject, comment=pending, moderator=moderator)
    assert f"http://testserver/api/comments/?page={article.pk}" in purged
    response = get(client, f"/api/comments/?page={article.pk}")
    assert response.json()["count"] == 0 and b"Never shown" not in response.content


def test_a_change_during_a_request_is_not_stored_as_fresh(client, article_factory):
    """A response built from rows read before a change must not outlive the change."""
    article = article_factory()
    url = f"/api/v2/pages/{article.pk}/"

    from articles.api import PublicPagesAPIViewSet

    original = PublicPagesAPIViewSet.detail_view

    def slow_detail(self, request, pk):
        response = original(self, request, pk)
        cache.invalidate({cache.page_tag(article)})  # an editor publishes while we serialise
        return response

    PublicPagesAPIViewSet.detail_view = slow_detail
    try:
        racing = get(client, url)
    finally:
        PublicPagesAPIViewSet.detail_view = original
    assert racing.status_code == 200
    assert not racing.has_header("X-Accel-Expires")
    assert get(client, url)["X-Cache"] == "MISS"


def test_clear_public_cache_command_empties_it_and_purges(client, purged, article_factory, cached_twice):
    from django.core.management import call_command

    article = article_factory()
    cached_twice(client, f"/api/v2/pages/{article.pk}/")
    call_command("clear_public_cache")
    assert get(client, f"/api/v2/pages/{article.pk}/")["X-Cache"] == "MISS"
    assert f"http://testserver/api/v2/pages/{article.pk}/" in purged
