"""Every query and path parameter of every endpoint, swept with hostile values: only the answers of
``ANSWERS``, so never a 5xx.

Under ``/api/`` every answer, errors included, is JSON. The values are what fuzzers and attackers send
first: numbers past any column, not-numbers, NUL, quotes and search syntax, bidi overrides, empty.
Schemathesis (tests/test_fuzz.py) explores the documented parameters; this sweep also covers the
undocumented ones each view reads, and the rendered pages.
"""

import pytest
from rest_framework.test import APIClient
from wagtail.models import APIToken

from articles.factories import ImageFactory, TestimonialFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "abc",
    "-1",
    "0",
    "1.5",
    "0x10",
    "9" * 40,
    str(2**63),
    "%00",
    "a%22b",
    "%27%29%3B--",
    "(",
    "*",
    "NEAR",
    "-id",
    "id,-title,,",
    "%E2%80%AE",
    "%F0%9F%90%8D" * 20,
    "x" * 3000,
]

PAGE_PARAMS = [
    "offset", "limit", "type", "fields", "order", "search", "search_operator", "child_of", "descendant_of",
    "ancestor_of", "translation_of", "locale", "show_in_menus", "title", "slug", "id", "author", "date", "tags",
    "intro", "allow_comments", "hero_image", "site",
]  # fmt: skip
IMAGE_PARAMS = ["offset", "limit", "fields", "order", "search", "title", "tags", "id", "width", "collection"]
TESTIMONIAL_PARAMS = ["offset", "limit", "fields", "order", "search", "featured", "name", "id", "photo"]

# (path, parameters, extra query string making the parameters meaningful)
ENDPOINTS = [
    ("/api/v2/pages/", PAGE_PARAMS, ""),
    ("/api/v2/pages/", PAGE_PARAMS, "type=articles.ArticlePage&"),
    ("/api/v2/pages/find/", ["id", "html_path", "type"], ""),
    ("/api/v2/pages/{article}/", ["fields", "type"], ""),
    ("/api/v2/images/", IMAGE_PARAMS, ""),
    ("/api/v2/images/find/", ["id"], ""),
    ("/api/v2/documents/", ["offset", "limit", "fields", "order", "search", "title", "id"], ""),
    ("/api/v2/testimonials/", TESTIMONIAL_PARAMS, ""),
    ("/api/v2/testimonials/find/", ["id"], ""),
    ("/api/v2/page_preview/", ["content_type", "token", "fields"], ""),
    ("/api/comments/", ["page", "offset", "limit"], ""),
    ("/api/comments/", ["offset", "limit"], "page={article}&"),
    ("/api/moderation/comments/", ["status", "page", "reported", "cursor", "limit"], ""),
    ("/api/moderation/comments/{comment}/history/", ["limit"], ""),
    ("/articles/", ["tag", "page"], ""),
    ("/articles/{slug}/", ["comments", "reply_to", "comment"], ""),
    ("/", ["page"], ""),
]
PATHS = [
    "/api/v2/pages/{value}/",
    "/api/v2/images/{value}/",
    "/api/v2/documents/{value}/",
    "/api/v2/testimonials/{value}/",
    "/api/comments/{value}/report/",
    "/api/moderation/comments/{value}/history/",
    "/comments/{value}/report/",
    "/articles/{value}/",
]


@pytest.fixture
def world(article_factory, make_comment, moderator):
    image = ImageFactory(title="Figure")
    article = article_factory(title="Swept", slug="swept", hero_image=image, tags=["one"])
    TestimonialFactory()
    comment = make_comment(article)
    _, token = APIToken.create_token(user=moderator, name="sweep")
    return {"article": article.pk, "comment": comment.pk, "slug": article.slug, "token": token}


def clients(world):
    anonymous = APIClient(raise_request_exception=False)
    moderator = APIClient(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {world['token']}")
    return anonymous, moderator


# The answers a GET may get: the content (200), a find/ endpoint's redirect to the detail it found
# (302), the input refused (400, 404), a moderation call without credentials (401; never with the
# moderator's token), a GET of a URL only POSTed to (405). Nothing else.
ANSWERS = {200, 302, 400, 401, 404, 405}


def problems_of(client, url):
    response = client.get(url)
    answers = ANSWERS - {401} if "HTTP_AUTHORIZATION" in client.defaults else ANSWERS
    if response.status_code not in answers or (response.status_code == 302 and "/find/" not in url):
        return [f"{response.status_code} {url[:160]}"]
    if response.status_code == 302:
        return []
    if url.startswith("/api/") and not response["Content-Type"].startswith("application/json"):
        return [f"{response.status_code} {response['Content-Type']} {url[:160]}"]
    return []


@pytest.mark.parametrize(("path", "params", "base"), ENDPOINTS, ids=[f"{p}{b}" for p, _, b in ENDPOINTS])
def test_no_query_parameter_value_is_a_server_error(world, path, params, base):
    path = path.format(**world)
    base = base.format(**world)
    found = []
    for client in clients(world):
        for name in params:
            for value in HOSTILE:
                found += problems_of(client, f"{path}?{base}{name}={value}")
    assert found == [], "\n".join(found)


def test_no_path_parameter_value_is_a_server_error(world):
    found = []
    for client in clients(world):
        for template in PATHS:
            for value in HOSTILE:
                if value and "/" not in value:
                    found += problems_of(client, template.format(value=value))
    assert found == []
