"""An article body is built once per published revision and kept (``articles/body_store.py``).

Every later read of that revision, the API's and the rendered page's, uses the stored body; each change
that alters what the body shows deletes it, so readers see the change at once. Each case below reads
once to store the body, makes the change the way an editor or a script would (its commit callbacks
run, as after a real request), empties the response cache (so the answer cannot come from there) and
reads again.
"""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from articles import body_store
from articles.blocks import ArticleBodyBlock
from articles.factories import (
    ArticleIndexPageFactory,
    AuthorFactory,
    DisclaimerFactory,
    ImageFactory,
    PromoFactory,
    TestimonialFactory,
)
from articles.models import ArticlePage, RelatedPostPick, StoredBody, TestimonialPick
from core import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(index):
    other = ArticleIndexPageFactory(parent=index.get_parent(), slug="guides", title="Guides")
    return {
        "image": ImageFactory(),
        "promo": PromoFactory(title="Learn it hands-on", link_page=None, link_url="https://example.org/course"),
        "disclaimer": DisclaimerFactory(body="<p>Old small print.</p>"),
        "linked": other,
    }


def body_of(parts):
    linked = parts["linked"].pk
    return [
        {"type": "paragraph", "value": f'<p>See <a linktype="page" id="{linked}">the guides</a>.</p>'},
        {"type": "image", "value": {"image": parts["image"].pk, "caption": "A picture", "alt": ""}},
        {"type": "links", "value": {"title": "More", "items": [{"title": "Guides", "page": linked, "url": ""}]}},
        {"type": "promo", "value": parts["promo"].pk},
        {"type": "disclaimer", "value": parts["disclaimer"].pk},
    ]


def api_body(api, article):
    cache.clear()
    response = api.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    return response.json()["body"]


def fresh_build(article, rf):
    page = ArticlePage.objects.get(pk=article.pk)
    return ArticleBodyBlock().get_api_representation(page.body, {"request": rf.get("/")})


@pytest.fixture
def stored(api, article_factory, parts):
    """An article read once: its body is stored."""
    article = article_factory(body=body_of(parts))
    api_body(api, article)
    assert StoredBody.objects.filter(page=article).count() == 1
    return article


def test_the_stored_body_is_what_a_build_gives_and_costs_one_query(api, stored, rf):
    first = api_body(api, stored)
    assert first == fresh_build(stored, rf)
    StoredBody.objects.all().delete()
    cache.clear()
    with CaptureQueriesContext(connection) as built:
        assert api.get(f"/api/v2/pages/{stored.pk}/").json()["body"] == first
    cache.clear()
    with CaptureQueriesContext(connection) as read:
        assert api.get(f"/api/v2/pages/{stored.pk}/").json()["body"] == first
    body_queries = [q["sql"] for q in read.captured_queries if q["sql"].startswith('SELECT "articles_storedbody"')]
    assert len(body_queries) == 1, body_queries
    assert len(read) <= len(built) - 5, (len(read), len(built))  # the body's own prefetch and store, saved


def test_the_page_renders_the_stored_body_as_a_build_would(client, stored):
    cache.clear()
    from_store = client.get(stored.url).content
    StoredBody.objects.all().delete()
    cache.clear()
    assert client.get(stored.url).content == from_store
    assert b"Learn it hands-on" in from_store and b"<p>Old small print.</p>" in from_store


def test_the_page_reads_the_body_the_api_stored(client, api, stored):
    """One row serves both: the page does not build (or store) a second body."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(stored.url).status_code == 200
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"] and "articles_storedbody" in q["sql"]]
    assert StoredBody.objects.filter(page=stored).count() == 1


def test_publishing_a_new_revision_shows_the_new_body(api, committed, stored):
    page = ArticlePage.objects.get(pk=stored.pk)
    page.body = [{"type": "quote", "value": {"text": "A new revision.", "attribution": ""}}]
    revision = page.save_revision()
    committed(revision.publish)
    assert [block["value"] for block in api_body(api, stored)] == [{"text": "A new revision.", "attribution": ""}]


def test_a_draft_saved_but_not_published_changes_nothing_and_its_preview_is_not_stored(api, committed, stored):
    before = api_body(api, stored)
    page = ArticlePage.objects.get(pk=stored.pk)
    page.body = [{"type": "quote", "value": {"text": "Only a draft.", "attribution": ""}}]
    committed(page.save_revision)
    assert api_body(api, stored) == before
    assert StoredBody.objects.filter(page=stored).count() == 1


def test_an_edited_promo_shows_at_once(api, committed, stored, parts):
    parts["promo"].title = "A new promo title"
    committed(parts["promo"].save)
    promo = next(block for block in api_body(api, stored) if block["type"] == "promo")
    assert promo["value"]["title"] == "A new promo title"


def test_an_edited_disclaimer_shows_at_once_on_the_page(client, committed, stored, parts):
    parts["disclaimer"].body = "<p>New small print.</p>"
    committed(parts["disclaimer"].save)
    cache.clear()
    html = client.get(stored.url).content
    assert b"New small print." in html and b"Old small print." not in html


def test_a_deleted_snippet_leaves_its_block_out(api, committed, stored, parts):
    committed(parts["promo"].delete)
    assert "promo" not in [block["type"] for block in api_body(api, stored)]


def test_an_edited_image_shows_at_once(api, committed, stored, parts):
    parts["image"].description = "A brand-new description"
    committed(parts["image"].save)
    image = next(block for block in api_body(api, stored) if block["type"] == "image")
    assert image["value"]["image"]["alt"] == "A brand-new description"


def test_a_deleted_image_leaves_its_block_out(api, committed, stored, parts):
    committed(parts["image"].delete)
    assert "image" not in [block["type"] for block in api_body(api, stored)]


def detail(api, article):
    cache.clear()
    return api.get(f"/api/v2/pages/{article.pk}/").json()


def test_the_hero_author_and_tags_are_stored_with_the_body_and_follow_their_changes(
    api, client, committed, article_factory, parts
):
    author = AuthorFactory(name="First Name", photo=ImageFactory())
    article = article_factory(body=body_of(parts), hero_image=parts["image"], author=author, tags=["alpha"])
    first = detail(api, article)
    stored = StoredBody.objects.get(page=article).data
    assert stored["author"] == first["author"] and stored["hero_image"] == first["hero_image"]
    assert first["tags"] == ["alpha"] and first["author"]["name"] == "First Name"
    assert first["share_links"]["pinterest"].count(quote(first["hero_image"]["url"], safe="")) == 1

    author.name = "Second Name"
    committed(author.save)
    assert detail(api, article)["author"]["name"] == "Second Name"
    parts["image"].description = "A hero described anew"
    committed(parts["image"].save)
    assert detail(api, article)["hero_image"]["alt"] == "A hero described anew"
    page = ArticlePage.objects.get(pk=article.pk)
    page.tags.set(["beta", "gamma"])
    committed(page.save_revision().publish)
    assert detail(api, article)["tags"] == ["beta", "gamma"]
    cache.clear()
    html = client.get(article.url).content
    assert b"Second Name" in html and b"A hero described anew" in html and b"gamma" in html


def test_the_editors_picks_and_tag_ids_are_stored_and_what_is_live_is_read_per_request(
    api, committed, article_factory, parts
):
    first, second = article_factory(title="First pick"), article_factory(title="Second pick")
    tagged = article_factory(title="Shares a tag", tags=["beta"], date=first.date.replace(year=2020))
    quote, other_quote = TestimonialFactory(quote="Kept quote."), TestimonialFactory(quote="Other quote.")
    article = article_factory(body=body_of(parts), tags=["alpha"], related=[first], testimonials=[quote])
    shown = detail(api, article)
    stored = StoredBody.objects.get(page=article).data
    assert stored["picks"] == {"related": [first.pk], "testimonials": [quote.pk]}
    assert [tag["id"] for tag in stored["tags"]] == list(article.tags.values_list("pk", flat=True))
    assert shown["related_posts"][0]["id"] == first.pk and [t["id"] for t in shown["testimonials"]] == [quote.pk]

    cache.clear()  # read again: the picks and tags come with the stored row, no query for either
    with CaptureQueriesContext(connection) as queries:
        api.get(f"/api/v2/pages/{article.pk}/")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ('FROM "articles_relatedpostpick"', 'FROM "articles_testimonialpick"', 'FROM "taggit_tag"'):
        assert table not in tables

    committed(first.unpublish)  # a pick taken down: gone at once, though the stored row still names it
    assert first.pk not in [post["id"] for post in detail(api, article)["related_posts"]]

    page = ArticlePage.objects.get(pk=article.pk)  # new picks and tags, published: the new revision's
    page.related_post_picks = [RelatedPostPick(related=second, sort_order=0)]
    page.testimonial_picks = [TestimonialPick(testimonial=other_quote, sort_order=0)]
    page.tags.set(["beta"])
    committed(page.save_revision().publish)
    shown = detail(api, article)
    assert [post["id"] for post in shown["related_posts"]][:2] == [second.pk, tagged.pk]
    assert [t["id"] for t in shown["testimonials"]] == [other_quote.pk]


def test_related_posts_show_the_summary_stored_with_each_article_and_follow_its_changes(
    api, committed, article_factory, parts, home
):
    related = article_factory(title="Related one", hero_image=parts["image"], tags=["alpha"])
    article = article_factory(body=body_of(parts), tags=["alpha"], related=[related])
    detail(api, related)  # the related article read once: its row holds its summary
    summary = StoredBody.objects.get(page=related).data["summary"]
    shown = detail(api, article)["related_posts"][0]
    assert shown == summary["value"] and shown["id"] == related.pk and shown["thumbnail"]["url"]
    assert cache.page_tag(related) in summary["tags"] and cache.object_tag(parts["image"]) in summary["tags"]

    cache.clear()  # read again: the thumbnail comes with the summary, no rendition or image read
    with CaptureQueriesContext(connection) as queries:
        api.get(f"/api/v2/pages/{article.pk}/")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "wagtailimages_rendition"' not in tables and 'FROM "wagtailimages_image"' not in tables

    StoredBody.objects.filter(page=related).delete()  # not stored: built, the same
    assert detail(api, article)["related_posts"][0] == shown

    detail(api, related)
    page = ArticlePage.objects.get(pk=related.pk)  # republished under a new title: the new revision's
    page.title = "Related, renamed"
    committed(page.save_revision().publish)
    assert detail(api, article)["related_posts"][0]["title"] == "Related, renamed"

    detail(api, related)
    parts["image"].description = "A thumbnail described anew"  # its hero image edited
    committed(parts["image"].save)
    assert detail(api, article)["related_posts"][0]["thumbnail"]["alt"] == "A thumbnail described anew"

    detail(api, related)
    elsewhere = ArticleIndexPageFactory(parent=home, slug="elsewhere")  # moved: its new URL
    committed(ArticlePage.objects.get(pk=related.pk).move, elsewhere, pos="last-child")
    assert "/elsewhere/" in detail(api, article)["related_posts"][0]["url"]

    detail(api, related)
    committed(PageViewRestriction.objects.create, page=related, restriction_type="login")
    assert related.pk not in [post["id"] for post in detail(api, article)["related_posts"]]


def test_listings_show_the_same_author_hero_and_tags_as_the_detail(api, article_factory, parts):
    article = article_factory(body=body_of(parts), hero_image=parts["image"], author=AuthorFactory(), tags=["one"])
    one = detail(api, article)
    listed = api.get("/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "author,hero_image,tags"}).json()
    item = next(item for item in listed["items"] if item["id"] == article.pk)
    assert (item["author"], item["hero_image"], item["tags"]) == (one["author"], one["hero_image"], one["tags"])


def test_a_linked_page_moved_shows_its_new_url(api, committed, stored, parts, home):
    target = ArticleIndexPageFactory(parent=home, slug="elsewhere", title="Elsewhere")
    committed(Page.objects.get(pk=parts["linked"].pk).move, target, pos="last-child")
    body = api_body(api, stored)
    paragraph = next(block for block in body if block["type"] == "paragraph")
    links = next(block for block in body if block["type"] == "links")
    assert 'href="/elsewhere/guides/"' in paragraph["value"]
    assert links["value"]["items"][0]["url"].endswith("/elsewhere/guides/")


def test_a_linked_page_unpublished_drops_its_link(api, committed, stored, parts):
    committed(Page.objects.get(pk=parts["linked"].pk).unpublish)
    links = next(block for block in api_body(api, stored) if block["type"] == "links")
    assert links["value"]["items"] == []


def test_a_linked_page_made_private_drops_its_link(api, committed, stored, parts):
    committed(PageViewRestriction.objects.create, page=parts["linked"], restriction_type=PageViewRestriction.LOGIN)
    links = next(block for block in api_body(api, stored) if block["type"] == "links")
    assert links["value"]["items"] == []


def test_clearing_the_public_cache_clears_every_stored_body(committed, stored):
    committed(cache.invalidate_everything)
    assert not StoredBody.objects.exists()


def test_an_unpublished_article_leaves_no_stored_body(committed, stored):
    committed(ArticlePage.objects.get(pk=stored.pk).unpublish)
    assert not StoredBody.objects.filter(page=stored).exists()


def test_a_change_landing_while_the_body_is_built_is_not_kept_stale(rf, stored, parts):
    """The promo changes after the build read it and before the body is written: the row must go."""
    StoredBody.objects.all().delete()
    page = ArticlePage.objects.get(pk=stored.pk)

    def build_then_change(page, request):
        data = page.build_revision_parts(request)
        cache.invalidate({cache.object_tag(parts["promo"])})  # the editor's save commits now
        return data

    body_store.parts(page, rf.get("/"), build=build_then_change)
    assert not StoredBody.objects.exists()
    body_store.parts(page, rf.get("/"))  # a later build, with nothing landing, is kept
    assert StoredBody.objects.count() == 1


def test_a_host_setting_with_a_wildcard_stores_nothing(api, settings, stored):
    settings.ALLOWED_HOSTS = ["*"]
    StoredBody.objects.all().delete()
    assert api_body(api, stored)
    assert not StoredBody.objects.exists()


def test_a_body_is_stored_per_origin(api, settings, stored):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "cms.example"]
    cache.clear()
    image = api.get(f"/api/v2/pages/{stored.pk}/", HTTP_HOST="cms.example").json()["body"][1]
    assert image["value"]["image"]["url"].startswith("http://cms.example/")
    assert StoredBody.objects.filter(page=stored).count() == 2
