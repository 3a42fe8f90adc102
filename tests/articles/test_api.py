"""The headless page API: every field of docs/api.md, what is never served, and its query cost."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from articles.factories import ArticleIndexPageFactory, ImageFactory
from articles.models import Author, Disclaimer, Promo, RelatedPostPick, StoredBody, Testimonial, TestimonialPick

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=aaaaaaaaaaa"


def detail(api, page, **params):
    return api.get(f"/api/v2/pages/{page.pk}/", params)


def body_of_kinds(*, image, page, promo, disclaimer, repeat=1):
    blocks = []
    for i in range(repeat):
        blocks += [
            {"type": "heading", "value": {"text": f"Heading {i}", "level": "h3"}},
            {"type": "paragraph", "value": f'<p>See <a linktype="page" id="{page.pk}">the index</a> {i}</p>'},
            {"type": "image", "value": {"image": image.pk, "caption": f"Figure {i}", "alt": f"Alt {i}"}},
            {"type": "embed", "value": {"url": YOUTUBE, "caption": "A video"}},
            {"type": "quote", "value": {"text": "Move a little every hour.", "attribution": "A physio"}},
            {
                "type": "links",
                "value": {
                    "title": "Further reading",
                    "items": [
                        {"title": "Our index", "page": page.pk, "url": ""},
                        {"title": "Elsewhere", "page": None, "url": "https://example.org/x?a=1"},
                    ],
                },
            },
            {"type": "promo", "value": promo.pk},
            {"type": "disclaimer", "value": disclaimer.pk},
        ]
    return blocks


@pytest.fixture
def snippets(index):
    photo = ImageFactory(title="Portrait")
    author = Author.objects.create(name="Dana Reyes", bio="Physiotherapist.", photo=photo)
    promo = Promo.objects.create(title="Learn hands-on", body="<p>Our courses.</p>", link_page=index)
    default = Disclaimer.objects.create(title="Default", body="<p>General information only.</p>", is_default=True)
    return {
        "author": author,
        "promo": promo,
        "default": default,
        "image": ImageFactory(title="Figure", size=(1600, 900), format="PNG"),
    }


@pytest.fixture
def rich_article(article_factory, index, snippets):
    return article_factory(
        title="Erector spinae",
        author=snippets["author"],
        hero_image=snippets["image"],
        tags=["back", "muscles"],
        body=body_of_kinds(
            image=snippets["image"], page=index, promo=snippets["promo"], disclaimer=snippets["default"]
        ),
    )


def test_article_detail_has_every_field_of_the_contract(api, rich_article, snippets):
    response = detail(api, rich_article)
    assert response.status_code == 200
    data = response.json()
    for field in [
        "title", "intro", "date", "author", "hero_image", "body", "tags", "related_posts",
        "previous_post", "next_post", "share_links", "testimonials", "disclaimer", "comments",
    ]:  # fmt: skip
        assert field in data, field
    assert data["title"] == "Erector spinae"
    assert data["date"] == rich_article.date.isoformat()
    assert data["author"]["name"] == "Dana Reyes"
    assert data["author"]["bio"] == "Physiotherapist."
    assert set(data["author"]["photo"]) == {"url", "width", "height", "alt", "srcset", "sources"}
    assert data["hero_image"]["width"] == 1200 and data["hero_image"]["height"] == 630
    assert data["hero_image"]["url"].startswith("http://testserver/")
    assert data["tags"] == ["back", "muscles"]
    assert data["comments"] == {
        "enabled": True,
        "count": 0,
        "url": f"http://testserver/api/comments/?page={rich_article.pk}",
    }
    assert data["disclaimer"] == {"body": "<p>General information only.</p>"}


def test_body_blocks_are_expanded(api, rich_article, index, snippets):
    body = detail(api, rich_article).json()["body"]
    by_type = {block["type"]: block["value"] for block in body}
    assert [block["type"] for block in body] == [
        "heading", "paragraph", "image", "embed", "quote", "links", "promo", "disclaimer",
    ]  # fmt: skip
    assert all(block["id"] for block in body)
    assert by_type["heading"] == {"text": "Heading 0", "level": 3}
    assert by_type["paragraph"] == '<p>See <a href="/articles/">the index</a> 0</p>'
    image = by_type["image"]
    assert image["caption"] == "Figure 0"
    assert image["image"]["alt"] == "Alt 0"
    assert image["image"]["url"].endswith(".png") and image["image"]["width"] == 1200
    embed = by_type["embed"]
    assert embed["url"] == YOUTUBE and embed["provider"] == "YouTube" and embed["title"] == "A video"
    assert "youtube-nocookie.com/embed/aaaaaaaaaaa" in embed["html"]
    assert by_type["quote"] == {"text": "Move a little every hour.", "attribution": "A physio"}
    assert by_type["links"] == {
        "title": "Further reading",
        "items": [
            {"title": "Our index", "url": "http://testserver/articles/"},
            {"title": "Elsewhere", "url": "https://example.org/x?a=1"},
        ],
    }
    assert by_type["promo"] == {
        "title": "Learn hands-on",
        "body": "<p>Our courses.</p>",
        "link": "http://testserver/articles/",
    }
    assert by_type["disclaimer"] == {"body": "<p>General information only.</p>"}


def test_links_to_pages_that_are_not_public_are_not_served(api, article_factory, index, snippets):
    draft = article_factory(title="Secret draft", slug="secret-draft", publish=False)
    article = article_factory(
        body=[
            {"type": "paragraph", "value": f'<p>Read <a linktype="page" id="{draft.pk}">this</a></p>'},
            {
                "type": "links",
                "value": {"title": "", "items": [{"title": "Hidden", "page": draft.pk, "url": ""}]},
            },
        ]
    )
    text = detail(api, article).content.decode()
    assert "secret-draft" not in text
    body = detail(api, article).json()["body"]
    assert body[0]["value"] == "<p>Read <a>this</a></p>"
    assert body[1]["value"]["items"] == []


def test_related_posts_picks_first_then_shared_tags_then_newest(api, article_factory):
    article = article_factory(tags=["back", "neck", "posture"])
    picked = article_factory(title="Picked", tags=[])
    two_tags = article_factory(title="Two tags", tags=["back", "neck"], date=datetime.date(2020, 1, 1))
    one_tag = article_factory(title="One tag", tags=["posture"], date=datetime.date(2025, 1, 1))
    article_factory(title="Newest, no tags", date=datetime.date(2030, 1, 1))
    draft_pick = article_factory(title="Draft pick", publish=False)
    RelatedPostPick.objects.create(page=article, related=draft_pick, sort_order=0)
    RelatedPostPick.objects.create(page=article, related=picked, sort_order=1)

    related = detail(api, article).json()["related_posts"]
    assert [post["id"] for post in related] == [picked.pk, two_tags.pk, one_tag.pk]
    assert set(related[0]) == {"id", "title", "url", "intro", "date", "thumbnail"}


def test_related_posts_fall_back_to_the_newest_and_never_include_the_article(api, article_factory):
    article = article_factory(date=datetime.date(2031, 1, 1))
    older = article_factory(title="Older", date=datetime.date(2024, 1, 1))
    newer = article_factory(title="Newer", date=datetime.date(2025, 1, 1))
    related = detail(api, article).json()["related_posts"]
    assert [post["id"] for post in related] == [newer.pk, older.pk]


def test_previous_and_next_by_date_within_the_same_index_null_at_both_ends(api, article_factory, home):
    first = article_factory(title="First", date=datetime.date(2024, 1, 1))
    middle = article_factory(title="Middle", date=datetime.date(2024, 2, 1))
    last = article_factory(title="Last", date=datetime.date(2024, 3, 1))
    article_factory(title="Draft between", date=datetime.date(2024, 1, 15), publish=False)
    other_index = ArticleIndexPageFactory(parent=home, title="Other", slug="other")
    article_factory(parent=other_index, title="Elsewhere", date=datetime.date(2024, 1, 20))

    data = detail(api, middle).json()
    assert data["previous_post"] == {"id": first.pk, "title": "First", "url": first.get_full_url()}
    assert data["next_post"]["id"] == last.pk
    assert detail(api, first).json()["previous_post"] is None
    assert detail(api, last).json()["next_post"] is None


def test_share_links_are_absolute_and_encoded(api, article_factory):
    article = article_factory(title="Neck & shoulders: what?", slug="neck-shoulders")
    links = detail(api, article).json()["share_links"]
    assert set(links) == {"facebook", "x", "linkedin", "pinterest", "email"}
    canonical = "http://testserver/articles/neck-shoulders/"
    assert parse_qs(urlsplit(links["facebook"]).query)["u"] == [canonical]
    x = parse_qs(urlsplit(links["x"]).query)
    assert x["url"] == [canonical] and x["text"] == ["Neck & shoulders: what?"]
    assert "%26" in links["x"] and " " not in links["x"]
    assert links["email"].startswith("mailto:?subject=Neck%20%26%20shoulders")


def test_disclaimer_override_default_and_none(api, article_factory, snippets, django_capture_on_commit_callbacks):
    own = Disclaimer.objects.create(title="Own", body="<p>Own words.</p>")
    article = article_factory(disclaimer=own)
    plain = article_factory()
    assert detail(api, article).json()["disclaimer"] == {"body": "<p>Own words.</p>"}
    assert detail(api, plain).json()["disclaimer"] == {"body": "<p>General information only.</p>"}
    with django_capture_on_commit_callbacks(execute=True):  # as in the admin: a save, then the commit
        snippets["default"].is_default = False
        snippets["default"].save()
    assert detail(api, plain).json()["disclaimer"] is None


def test_only_one_disclaimer_is_the_default(db):
    first = Disclaimer.objects.create(title="First", body="<p>a</p>", is_default=True)
    second = Disclaimer.objects.create(title="Second", body="<p>b</p>", is_default=True)
    first.refresh_from_db()
    assert not first.is_default and second.is_default
    assert Disclaimer.get_default() == second


def test_testimonials_picks_else_featured_live_only(api, article_factory):
    live = Testimonial.objects.create(quote="Great course.", name="Sam", role="Course A", live=True)
    draft = Testimonial.objects.create(quote="Draft words.", name="Kim", live=False, featured=True)
    featured = Testimonial.objects.create(quote="Loved it.", name="Lee", featured=True, live=True)
    picked = article_factory()
    TestimonialPick.objects.create(page=picked, testimonial=draft, sort_order=0)
    TestimonialPick.objects.create(page=picked, testimonial=live, sort_order=1)
    plain = article_factory()

    assert [t["name"] for t in detail(api, picked).json()["testimonials"]] == ["Sam"]
    data = detail(api, plain).json()["testimonials"]
    assert data == [{"id": featured.pk, "quote": "Loved it.", "name": "Lee", "role": "", "photo": None}]


def test_testimonials_endpoint_serves_live_ones_only(api, db):
    live = Testimonial.objects.create(quote="Great course.", name="Sam", live=True)
    draft = Testimonial.objects.create(quote="Draft words.", name="Kim", live=False)
    listing = api.get("/api/v2/testimonials/").json()
    assert listing["meta"]["total_count"] == 1
    assert [item["id"] for item in listing["items"]] == [live.pk]
    assert api.get(f"/api/v2/testimonials/{live.pk}/").json()["quote"] == "Great course."
    response = api.get(f"/api/v2/testimonials/{draft.pk}/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert "Draft words" not in api.get("/api/v2/testimonials/?fields=*").content.decode()


@pytest.fixture
def hidden_pages(article_factory, index):
    draft = article_factory(title="Canary draft", slug="canary-draft", publish=False)
    unpublished = article_factory(title="Canary unpublished", slug="canary-unpublished")
    unpublished.unpublish()
    password = article_factory(title="Canary password", slug="canary-password")
    PageViewRestriction.objects.create(page=password, restriction_type="password", password="x")
    login = article_factory(title="Canary login", slug="canary-login")
    PageViewRestriction.objects.create(page=login, restriction_type="login")
    return [draft, unpublished, password, login]


def test_hidden_pages_are_never_served(api, hidden_pages, article_factory):
    public = article_factory(title="Public one")
    not_found = api.get("/api/v2/pages/999999/")
    assert not_found.status_code == 404
    for page in hidden_pages:
        response = detail(api, page)
        assert response.status_code == 404
        assert response.content == not_found.content
        assert api.get("/api/v2/pages/find/", {"html_path": page.url_path[len("/home") :]}).status_code == 404

    for query in [
        {},
        {"type": "articles.ArticlePage", "fields": "*"},
        {"search": "Canary"},
        {"child_of": hidden_pages[0].get_parent().pk},
        {"type": "articles.ArticlePage", "order": "-date"},
    ]:
        response = api.get("/api/v2/pages/", query)
        assert response.status_code == 200, response.content
        assert "Canary" not in response.content.decode()
    listing = api.get("/api/v2/pages/", {"type": "articles.ArticlePage"}).json()
    assert listing["meta"]["total_count"] == 1
    assert [item["id"] for item in listing["items"]] == [public.pk]
    # Related posts and navigation of public articles do not mention them either.
    assert "Canary" not in detail(api, public).content.decode()


def test_listing_fields_and_index_filter(api, rich_article):
    listing = api.get(
        "/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "intro,date,author,hero_image,tags"}
    ).json()
    item = listing["items"][0]
    assert item["author"]["name"] == "Dana Reyes"
    assert item["hero_image"]["width"] == 1200
    assert item["tags"] == ["back", "muscles"]
    # Fields costing queries per page are detail-only: asking for them in a listing is a 400.
    response = api.get("/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "body"})
    assert response.status_code == 400
    assert "detail" in response.json()


def count_queries(callable_):
    callable_()  # warm: renditions and embeds are created on first use
    cache.clear()  # cold: else the public response cache answers the second call with no query at all
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_article_detail_costs_the_same_with_3_or_30_blocks(api, article_factory, index, snippets):
    kinds = {
        "image": snippets["image"],
        "page": index,
        "promo": snippets["promo"],
        "disclaimer": snippets["default"],
    }
    others = [ImageFactory(title=f"Other {i}") for i in range(3)]
    small = article_factory(author=snippets["author"], hero_image=snippets["image"], body=body_of_kinds(**kinds))
    big_body = body_of_kinds(**kinds, repeat=4)
    for i, other in enumerate(others):  # distinct images in the big body
        big_body[2 + 8 * i]["value"]["image"] = other.pk
    big = article_factory(author=snippets["author"], hero_image=snippets["image"], body=big_body)
    assert len(big.body) == 32 and len(small.body) == 8

    # Each one's first read (its body built), the other's row stored: each is the other's related post.
    detail(api, small)
    big_count = count_queries(lambda: detail(api, big))
    StoredBody.objects.filter(page=small).delete()
    small_count = count_queries(lambda: detail(api, small))
    assert small_count == big_count
    assert big_count <= 40, big_count


def test_listing_costs_the_same_at_limit_1_and_20(api, article_factory, snippets):
    for i in range(20):
        article_factory(author=snippets["author"], hero_image=ImageFactory(title=f"Hero {i}"), tags=["a", f"t{i}"])
    params = {"type": "articles.ArticlePage", "fields": "intro,date,author,hero_image,tags"}
    one = count_queries(lambda: api.get("/api/v2/pages/", {**params, "limit": 1}))
    twenty = count_queries(lambda: api.get("/api/v2/pages/", {**params, "limit": 20}))
    plain_one = count_queries(lambda: api.get("/api/v2/pages/", {"limit": 1}))
    plain_twenty = count_queries(lambda: api.get("/api/v2/pages/", {"limit": 20}))
    assert one == twenty
    assert plain_one == plain_twenty


def test_headless_preview_serves_a_draft_only_with_a_valid_token(api, article_factory, settings):
    article = article_factory(title="Published title")
    article.title = "Draft title"
    preview = article.create_page_preview()
    url = "/api/v2/page_preview/"
    params = {"content_type": "articles.articlepage", "token": preview.token}
    response = api.get(url, params)
    assert response.status_code == 200
    assert response.json()["title"] == "Draft title"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.has_header("X-Cache")  # a draft never enters the public cache
    assert api.get(url, {**params, "token": preview.token + "x"}).status_code == 404
    assert api.get(url, {"content_type": "articles.articlepage"}).status_code == 404
    assert detail(api, article).json()["title"] == "Published title"
    settings.PREVIEW_TOKEN_MAX_AGE = -1
    assert api.get(url, params).status_code == 404


def test_admin_headless_preview_mode_points_at_the_frontend(rf, article_factory, admin_user):
    article = article_factory(title="Preview me")
    request = rf.get("/")
    request.user = admin_user
    response = article.serve_preview(request, "headless")
    assert b"http://localhost:3000/preview?content_type=articles.articlepage&amp;token=" in response.content
    default = article.serve_preview(request, "")
    if hasattr(default, "render"):
        default.render()
    assert b"<h1" in default.content and b"Preview me" in default.content


def test_an_image_whose_file_is_gone_is_left_out_not_a_500(api, client, article_factory, index, snippets):
    lost = ImageFactory(title="Lost file")
    article = article_factory(
        hero_image=lost,
        body=[
            {"type": "image", "value": {"image": lost.pk, "caption": "Gone", "alt": "x"}},
            {"type": "heading", "value": {"text": "Still here", "level": "h2"}},
        ],
    )
    lost.file.storage.delete(lost.file.name)
    data = detail(api, article).json()
    assert data["hero_image"] is None
    assert [block["type"] for block in data["body"]] == ["heading"]
    assert client.get(article.url).status_code == 200


def test_editor_html_is_sanitized_on_the_way_out(api, client, article_factory, snippets):
    hostile = '<p>Hi<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a><script>alert(3)</script></p>'
    snippets["promo"].link_url = "javascript:alert(4)"
    snippets["promo"].save()
    article = article_factory(
        body=[
            {"type": "paragraph", "value": hostile},
            {"type": "promo", "value": snippets["promo"].pk},
            {
                "type": "links",
                "value": {"title": "", "items": [{"title": "Bad", "page": None, "url": "javascript:alert(5)"}]},
            },
        ]
    )
    for text in [detail(api, article).content.decode(), client.get(article.url).content.decode()]:
        assert "onerror" not in text and "javascript:" not in text and "<script>alert(3)" not in text
    body = detail(api, article).json()["body"]
    assert body[0]["value"].startswith("<p>Hi")
    assert body[2]["value"]["items"] == []


def test_view_restrictions_are_read_once_per_detail_and_still_hide_what_they_restrict(api, article_factory):
    article = article_factory(title="Subject", date=datetime.date(2026, 5, 2))
    restricted = article_factory(title="Members only", date=datetime.date(2026, 5, 3))
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    newer = article_factory(title="Newer public", date=datetime.date(2026, 5, 4))
    older = article_factory(title="Older public", date=datetime.date(2026, 5, 1))
    RelatedPostPick.objects.create(page=article, related=restricted, sort_order=0)
    RelatedPostPick.objects.create(page=article, related=newer, sort_order=1)
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        shown = detail(api, article).json()
    restriction_reads = [q for q in queries.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]
    assert len(restriction_reads) == 1  # the base queryset, the related posts and the neighbours share it
    assert [post["id"] for post in shown["related_posts"]][:1] == [newer.pk]
    assert restricted.pk not in [post["id"] for post in shown["related_posts"]]
    assert (shown["previous_post"]["id"], shown["next_post"]["id"]) == (older.pk, newer.pk)
    assert detail(api, restricted).status_code == 404


def test_neighbours_on_the_same_date_follow_the_id(api, article_factory):
    day = datetime.date(2026, 6, 1)
    first, middle, last = (article_factory(title=f"Same day {n}", date=day) for n in range(3))
    shown = detail(api, middle).json()
    assert (shown["previous_post"]["id"], shown["next_post"]["id"]) == (first.pk, last.pk)
    assert detail(api, first).json()["previous_post"] is None
    assert detail(api, last).json()["next_post"] is None


def test_the_parent_is_shown_when_public_and_null_above_the_site(api, article_factory, index, home):
    article = article_factory()
    parent = detail(api, article).json()["meta"]["parent"]
    assert parent["id"] == index.pk and parent["meta"]["type"] == "articles.ArticleIndexPage"
    assert detail(api, home).json()["meta"]["parent"] is None  # the site's root page: Wagtail's root is not served


def test_neighbours_asked_without_a_request_are_read_each_time(article_factory):
    article = article_factory(title="Middle", date=datetime.date(2026, 7, 2))
    assert article.get_previous_post() is None
    older = article_factory(title="Older", date=datetime.date(2026, 7, 1))
    assert article.get_previous_post()["id"] == older.pk  # not the None of the first call


def test_content_endpoints_answer_compact_json_whatever_accept_asks(api, rich_article):
    """Wagtail's viewsets indent by 4 spaces; ours answer compact JSON like the comment endpoints, one
    representation per URL (the response caches keep one), even when ``Accept`` asks for an indent."""
    for url in (f"/api/v2/pages/{rich_article.pk}/", "/api/v2/pages/", "/api/v2/images/", "/api/v2/testimonials/"):
        for accept in ("application/json", "application/json; indent=4"):
            cache.clear()
            response = api.get(url, HTTP_ACCEPT=accept)
            assert response.status_code == 200, url
            assert response.content.startswith(b'{"'), (url, accept)
            assert b"\n" not in response.content and b'": ' not in response.content, (url, accept)


def test_a_detail_reads_the_page_as_its_own_type_at_once_and_leaves_the_stored_body_unread(
    api, rich_article, index, home
):
    detail(api, rich_article)  # its parts stored
    for page, model in (
        (rich_article, "articles.ArticlePage"),
        (index, "articles.ArticleIndexPage"),
        (home, "home.HomePage"),
    ):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            plain = detail(api, page)
        assert plain.status_code == 200 and plain.json()["meta"]["type"] == model
        assert not [q["sql"] for q in queries.captured_queries if '"articles_articlepage"."body"' in q["sql"]]
        cache.clear()
        assert detail(api, page, type=model).json() == plain.json()  # Wagtail's typed queryset: the same page
