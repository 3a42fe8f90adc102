"""Whatever a reader types into a search box, the API answers 200 or a JSON 400, never a 500.

Wagtail's database search backends build a full-text query from the text (FTS5 ``MATCH`` on SQLite,
a raw ``tsquery`` on PostgreSQL); characters those syntaxes give a meaning to must not break it.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from articles.factories import ImageFactory
from articles.models import Testimonial

pytestmark = pytest.mark.django_db

NASTY = [
    'a"b',
    '"',
    '""',
    '"unterminated',
    '"posture"',
    "'",
    "a'b",
    "\\",
    '\\"',
    "(",
    ")",
    "((posture)",
    "posture)",
    "()",
    "*",
    "**",
    "a*",
    "*a",
    "posture *",
    "NEAR",
    "NEAR(posture desk)",
    "posture NEAR desk",
    "NEAR/2",
    "AND",
    "OR",
    "NOT",
    "posture AND",
    "AND posture",
    "posture NOT desk",
    "posture OR OR desk",
    "-",
    "-posture",
    "posture -desk",
    "--",
    ":",
    "title:posture",
    "{title}: posture",
    "{title intro}:",
    "^posture",
    "+",
    "posture + desk",
    "&",
    "|",
    "!",
    "posture & desk | !needling",
    "<->",
    "posture <-> desk",
    "<2>",
    ":*",
    "'posture':*",
    "posture:*A",
    "%",
    "%s",
    "%(x)s",
    "%%",
    "_",
    ";",
    "'; DROP TABLE wagtailcore_page; --",
    "é",
    "Désk pöstüre",
    "日本語の検索",
    "😀",
    "posture 😀 desk",
    "\u202eerutsop",
    "\u200b",
    "e\u0301",
    "\ufeff",
    "\ufffd",
    "ﷺ",
    "İ",
    " ",
    "\t\n",
    "",
    "posture " * 31,
    "a " * 127,
    "p" * 255,
]
# Text that no query is built from: a NUL byte (PostgreSQL refuses it in any string) and text longer
# than a search box holds (255 characters).
REFUSED = [
    "p" * 256,
    "\x00",
    "a\x00b",
    "posture\x00",
    "x" * 10_000,
    "posture " * 1_000,
]

LISTINGS = [
    "/api/v2/pages/",
    "/api/v2/pages/?type=articles.ArticlePage",
    "/api/v2/pages/?type=articles.ArticlePage&order=title",
    "/api/v2/pages/?search_operator=or",
    "/api/v2/pages/?type=articles.ArticlePage&search_operator=and",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/testimonials/",  # does not search: the text is ignored, but a NUL is still refused
]


def short(text):
    return repr(text if len(text) < 30 else f"{text[:20]}…({len(text)})")


@pytest.fixture
def api(api):
    api.raise_request_exception = False  # a 500 is an answer to assert on, not an error of the test
    return api


@pytest.fixture
def content(article_factory):
    article_factory(title="Desk posture basics", slug="desk-posture-basics", intro="Sit well at a desk.")
    article_factory(title="Dry needling explained", slug="dry-needling-explained")
    ImageFactory(title="Desk posture figure")
    get_document_model().objects.create(title="Posture leaflet", file=ContentFile(b"%PDF-1.4\n", name="posture.pdf"))
    Testimonial.objects.create(quote="Better posture at my desk.", name="Sam", live=True)


def get(api, url, **params):
    path, _, query = url.partition("?")
    for pair in filter(None, query.split("&")):
        key, _, value = pair.partition("=")
        params.setdefault(key, value)
    return api.get(path, params)


def assert_json(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if status == 400:
        assert set(body) & {"detail", "errors"}, body
    return body


def answers(api, text, expected):
    """Every listing's answer to ``text``: (url, status) where it is not ``expected`` or not JSON."""
    wrong = []
    for url in LISTINGS:
        response = get(api, url, search=text)
        status = 200 if url.startswith("/api/v2/testimonials/") and "\x00" not in text else expected
        try:
            body = assert_json(response, status)
            if status == 200:
                assert body["meta"]["total_count"] == len(body["items"])
        except AssertionError:
            wrong.append((url, response.status_code, response.content[:200]))
    return wrong


@pytest.mark.parametrize("text", NASTY, ids=short)
def test_any_search_text_is_answered_by_every_listing(api, content, text):
    assert answers(api, text, 200) == []


@pytest.mark.parametrize("text", REFUSED, ids=short)
def test_search_text_no_query_can_be_built_from_is_a_400(api, content, text):
    assert answers(api, text, 400) == []


def test_plain_words_still_find_what_they_name(api, content):
    found = get(api, "/api/v2/pages/", search="posture desk").json()
    assert [item["title"] for item in found["items"]] == ["Desk posture basics"]
    quoted = get(api, "/api/v2/pages/", search='"posture" (desk)').json()
    assert [item["title"] for item in quoted["items"]] == ["Desk posture basics"]
    assert get(api, "/api/v2/images/", search='desk"').json()["meta"]["total_count"] == 1
    assert get(api, "/api/v2/documents/", search="(leaflet").json()["meta"]["total_count"] == 1


@pytest.mark.parametrize("operator", ["xor", "AND ", "near", "\x00"])
def test_an_unknown_search_operator_is_a_400(api, content, operator):
    for url in ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"]:
        assert_json(get(api, url, search="posture", search_operator=operator), 400)


@pytest.mark.parametrize("text", [*NASTY, *REFUSED], ids=short)
def test_find_by_any_path_or_id_is_answered(api, content, text):
    by_path = get(api, "/api/v2/pages/find/", html_path=text)
    if "\x00" in text:
        assert_json(by_path, 400)
    elif text.strip("/"):
        assert_json(by_path, 404)
    else:
        assert by_path.status_code == 302  # the home page
    assert_json(get(api, "/api/v2/pages/find/", id=text), 400)  # no text here is a number
    # find does not search: the text is passed on to the page's detail
    found = get(api, "/api/v2/pages/find/", html_path="/articles/desk-posture-basics/", search=text)
    if "\x00" in text:
        assert_json(found, 400)
    else:
        assert found.status_code == 302, found.content[:300]


@pytest.mark.parametrize("number", ["0", "-1", str(2**63), "9" * 40])
def test_find_by_an_id_no_page_can_have_is_a_404(api, content, number):
    assert_json(get(api, "/api/v2/pages/find/", id=number), 404)
