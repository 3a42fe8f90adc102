"""Every endpoint, called for real, answers exactly what ``/api/schema/`` says it answers.

Each response body is validated against the schema's response for its path, method and status
(``jsonschema``, with ``referencing`` resolving the document's ``$ref``; OpenAPI 3.0's ``nullable`` is
read as generators read it, beside ``allOf`` too: "this, or null"). Response objects are closed
(``additionalProperties: false``), so a field the API gains without the schema fails here, as does a
page type or body block type without a schema, or an operation of the schema no request here calls.
"""

import ast
import json
import re

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import APIToken

from articles.blocks import ArticleBodyBlock
from articles.factories import ArticlePageFactory, AuthorFactory, ImageFactory, TestimonialFactory
from articles.page_schema import page_type, public_page_models
from comments.models import CommentReport
from tests.articles.test_blocks import SAMPLES, every_block, json_schema
from tests.articles.test_blocks import objects as objects  # the blocks' objects, a fixture
from tests.test_outages import run_with_dead_database

pytestmark = pytest.mark.django_db
URI = "urn:cms-api-schema"


class Contract:
    """The schema as served, and a check of one response against it."""

    def __init__(self, document):
        self.document = document
        self.registry = Registry().with_resource(URI, Resource.from_contents(json_schema(document), DRAFT202012))
        self.templates = {
            re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"): path for path in document["paths"]
        }
        self.seen = set()

    def operation(self, method, url):
        path = url.split("?")[0]
        matches = [template for pattern, template in self.templates.items() if pattern.match(path)]
        assert matches, (method, path)
        return min(matches, key=lambda template: template.count("{")), method.lower()  # find/ before {id}/

    def validator(self, pointer):
        return Draft202012Validator(
            {"$ref": f"{URI}#{pointer}"}, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    def check(self, response, method="get", expect=None):
        """The body of ``response``, valid for its operation and status (``expect``, else any 2xx/3xx)."""
        url = response.wsgi_request.get_full_path()
        path, method = self.operation(method, url)
        status = str(response.status_code)
        if expect is None:
            assert response.status_code < 400, (method, url, status, response.content[:300])
        else:
            assert response.status_code == expect, (method, url, status, response.content[:300])
        responses = self.document["paths"][path][method]["responses"]
        assert status in responses, (method, url, status, response.content[:300])
        self.seen.add((path, method, status))
        content = responses[status].get("content")
        if content is None:  # a 302 has no body
            assert not response.content, (method, url, status)
            return None
        assert response["Content-Type"].split(";")[0] == "application/json", (method, url)
        body = response.json()
        escape = path.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escape}/{method}/responses/{status}/content/application~1json/schema"
        errors = leaves(self.validator(pointer).iter_errors(body))
        assert not errors, (method, url, status, errors[:8])
        return body


def leaves(errors):
    """The innermost messages, each with where it is: ``oneOf``'s own says only "not valid under any"."""
    found = []
    for error in errors:
        if error.context:
            found += leaves(error.context)
        else:
            found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
    return found


@pytest.fixture
def contract(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return Contract(response.json())


@pytest.fixture
def content(home, index, objects):  # noqa: F811 - the fixture imported above
    """An article with every block type, an author with a photo, a hero image, tags, testimonials and a
    disclaimer, between an older and a newer article; an approved thread with a reply and a report."""
    older = ArticlePageFactory(parent=index, hero_image=ImageFactory())
    article = ArticlePageFactory(
        parent=index,
        body=every_block(objects),
        author=AuthorFactory(photo=ImageFactory()),
        hero_image=ImageFactory(),
        tags=["back", "posture"],
        related=[older],
        testimonials=[TestimonialFactory(photo=ImageFactory()), TestimonialFactory()],
        disclaimer=objects["disclaimer"],
    )
    newer = ArticlePageFactory(parent=index)
    return {"home": home, "index": index, "article": article, "older": older, "newer": newer, **objects}


@pytest.fixture
def thread(content, make_comment):
    article = content["article"]
    top = make_comment(article)
    reply = make_comment(article, parent=top)
    make_comment(article)  # a second thread, so that the first page of one has a next
    pending = make_comment(article, approve=False, body="Waiting for a moderator")
    CommentReport.objects.create(comment=top, reason=CommentReport.Reason.choices[0][0], detail="Off topic")
    return {"top": top, "reply": reply, "pending": pending}


@pytest.fixture
def moderator_api(moderator):
    _, token = APIToken.create_token(user=moderator, name="conformance")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_every_page_type_and_every_block_type_has_a_schema(contract):
    schemas = contract.document["components"]["schemas"]
    branches = [ref["$ref"].rsplit("/", 1)[-1] for ref in schemas["PageDetail"]["oneOf"]]
    types = {schemas[branch]["properties"]["meta"]["$ref"].rsplit("/", 1)[-1]: branch for branch in branches}
    for model in public_page_models():
        meta = schemas[f"{model.__name__}Meta"]
        enum = schemas[meta["properties"]["type"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]]["enum"]
        assert enum == [page_type(model)], model
        assert types[f"{model.__name__}Meta"] == model.__name__
        # Its schema names exactly its API fields, besides what every page has.
        fields = set(schemas[model.__name__]["properties"]) - {"id", "meta", "title"}
        assert fields == {field.name for field in model.api_fields}, model
    assert len(branches) == len(public_page_models())
    mapping = schemas["BodyBlock"]["discriminator"]["mapping"]
    assert set(mapping) == set(ArticleBodyBlock().child_blocks) == set(SAMPLES)


def test_response_shapes_are_closed(contract, content):
    """A field the schema does not name is a failure, at the top and deep inside (an image of a block)."""
    response = Client().get(f"/api/v2/pages/{content['article'].pk}/")
    body = contract.check(response)
    validator = contract.validator("/components/schemas/PageDetail")
    assert validator.is_valid(body)
    assert not validator.is_valid({**body, "surprise": 1})
    image_block = next(block for block in body["body"] if block["type"] == "image")
    image_block["value"]["image"]["srcset"] = "x"
    assert not validator.is_valid(body)
    assert not validator.is_valid({**body, "meta": {**body["meta"], "type": "home.HomePage"}})  # not a home page


def test_every_operation_answers_as_the_schema_says(contract, content, thread, moderator_api):
    public, article, top = Client(), content["article"], thread["top"]
    pages = [content["home"], content["index"], article]
    for page in pages:
        body = contract.check(public.get(f"/api/v2/pages/{page.pk}/"))
        assert body["meta"]["type"] == page_type(type(page))
    article_body = contract.check(public.get(f"/api/v2/pages/{article.pk}/"))
    assert [block["type"] for block in article_body["body"]] == list(SAMPLES)
    assert article_body["previous_post"]["id"] == content["older"].pk
    assert article_body["next_post"]["id"] == content["newer"].pk
    assert article_body["author"]["photo"] and article_body["hero_image"] and article_body["disclaimer"]
    assert len(article_body["testimonials"]) == 2 and article_body["related_posts"]

    for query in [
        "",
        "?type=articles.ArticlePage&fields=*",
        f"?type=articles.ArticlePage&child_of={content['index'].pk}&order=-date&limit=2&offset=1",
        "?type=articles.ArticlePage&fields=_,id,date,tags&search=article",
        "?fields=-title,locale",
        "?type=home.HomePage&fields=intro",
    ]:
        assert contract.check(public.get(f"/api/v2/pages/{query}"))["items"], query
    testimonials = contract.check(public.get("/api/v2/testimonials/?fields=*"))["items"]
    contract.check(public.get("/api/v2/testimonials/"))
    contract.check(public.get(f"/api/v2/testimonials/{testimonials[0]['id']}/"))
    assert public.get(f"/api/v2/pages/find/?html_path={article.url}").status_code == 302
    contract.check(public.get(f"/api/v2/pages/find/?html_path={article.url}"))
    Redirect.add_redirect("/old-article", article, is_permanent=True)
    assert contract.check(public.get("/api/v2/redirects/"))["items"][0]["page_id"] == article.pk
    assert contract.check(public.get("/api/v2/redirects/find/?path=/old-article/"))["location"] == article.url
    preview = article.create_page_preview()
    contract.check(public.get(f"/api/v2/page_preview/?content_type=articles.articlepage&token={preview.token}"))

    threads = contract.check(public.get(f"/api/comments/?page={article.pk}&limit=1"))
    assert threads["results"][0]["replies"][0]["id"] == thread["reply"].pk and threads["next"]
    posted = {"page": article.pk, "parent": top.pk, "name": "Ann", "email": "ann@example.com", "body": "Agreed."}
    contract.check(public.post("/api/comments/", posted, content_type="application/json"), "post")
    report = public.post(f"/api/comments/{top.pk}/report/", {"reason": "spam"}, content_type="application/json")
    assert contract.check(report, "post")

    queue = contract.check(moderator_api.get(f"/api/moderation/comments/?status=approved&page={article.pk}&limit=1"))
    assert queue["results"][0]["email"] and queue["next"]
    assert contract.check(moderator_api.get("/api/moderation/comments/?status=approved&reported=true"))["results"]
    contract.check(moderator_api.get("/api/moderation/comments/"))
    for action in ["reject", "approve", "spam", "approve", "remove"]:  # pending to removed, every action
        url = f"/api/moderation/comments/{thread['pending'].pk}/{action}/"
        contract.check(moderator_api.post(url, content_type="application/json"), "post")
    bulk = {"ids": [thread["reply"].pk], "action": "remove"}
    contract.check(moderator_api.post("/api/moderation/comments/bulk/", bulk, content_type="application/json"), "post")
    assert contract.check(moderator_api.get(f"/api/moderation/comments/{thread['pending'].pk}/history/"))

    operations = {(path, method) for path, methods in contract.document["paths"].items() for method in methods}
    assert {(path, method) for path, method, _ in contract.seen} == operations


def test_every_error_answers_as_the_schema_says(contract, content, thread, moderator_api, editor, settings):
    public, article, top = Client(), content["article"], thread["top"]
    as_json = {"content_type": "application/json"}
    checks = [
        (public.get("/api/v2/pages/?offset=abc"), 400),
        (public.get("/api/v2/pages/?nonsense=1"), 400),
        (public.get("/api/v2/pages/?format=xml"), 404),
        (public.get("/api/v2/pages/", HTTP_ACCEPT="application/xml"), 406),
        (public.get("/api/v2/pages/999999/"), 404),
        (public.get("/api/v2/pages/find/?html_path=/nowhere/"), 404),
        (public.get("/api/v2/testimonials/?limit=-1"), 400),
        (public.get("/api/v2/testimonials/999999/"), 404),
        (public.get("/api/v2/redirects/?limit=many"), 400),
        (public.get("/api/v2/redirects/find/"), 400),
        (public.get("/api/v2/redirects/find/?path=/nowhere/"), 404),
        (public.get("/api/v2/page_preview/?content_type=articles.articlepage&token=forged"), 404),
        (public.get(f"/api/comments/?page={article.pk}&limit=many"), 400),
        (public.get(f"/api/comments/?page={content['index'].pk}"), 404),
        (public.post("/api/comments/", {"page": article.pk}, **as_json), 400),
        (public.post("/api/comments/", "{not json", **as_json), 400),
        (public.post("/api/comments/", "page=1", content_type="application/x-www-form-urlencoded"), 415),
        (public.post("/api/comments/", "{}", HTTP_ORIGIN="https://elsewhere.example", **as_json), 403),
        (public.post(f"/api/comments/{thread['pending'].pk}/report/", {"reason": "spam"}, **as_json), 404),
        (public.post(f"/api/comments/{top.pk}/report/", {"reason": "bored"}, **as_json), 400),
        (public.get("/api/moderation/comments/"), 401),
        (Client(HTTP_AUTHORIZATION="Bearer wagtail_nothing").get("/api/moderation/comments/"), 401),
        (moderator_api.get("/api/moderation/comments/?status=lost"), 400),
        (moderator_api.post("/api/moderation/comments/999999/approve/", **as_json), 404),
        (moderator_api.post(f"/api/moderation/comments/{top.pk}/approve/", "x", content_type="text/plain"), 415),
        (moderator_api.post("/api/moderation/comments/bulk/", {"ids": [], "action": "x"}, **as_json), 400),
        (moderator_api.get("/api/moderation/comments/999999/history/"), 404),
    ]
    _, token = APIToken.create_token(user=editor, name="no permission")
    checks.append((Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/moderation/comments/"), 403))
    moderator_api.post(f"/api/moderation/comments/{top.pk}/remove/", **as_json)
    checks.append((moderator_api.post(f"/api/moderation/comments/{top.pk}/spam/", **as_json), 409))
    settings.COMMENTS_RATE_LIMIT = "1/min"
    post = {"page": article.pk, "name": "Bo", "email": "bo@example.com", "body": "First."}
    public.post("/api/comments/", post, **as_json)
    checks.append((public.post("/api/comments/", {**post, "body": "Second."}, **as_json), 429))

    for response, status in checks:
        body = contract.check(response, response.wsgi_request.method, expect=status)
        assert set(body) in ({"detail"}, {"errors"}), body
    assert checks[-1][0]["Retry-After"]


def test_a_method_an_endpoint_does_not_take_is_a_405_in_the_error_shape(contract, content):
    detail = contract.validator("/components/schemas/Detail")
    for method, url in [("put", "/api/comments/"), ("delete", f"/api/v2/pages/{content['article'].pk}/")]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 405
        assert detail.is_valid(response.json()), response.content


def test_an_outage_is_a_503_as_the_schema_says(contract):
    """With the database down (a fresh process pointed at nothing), every kind of endpoint answers the
    schema's 503."""
    paths = ["/api/v2/pages/", "/api/v2/pages/3/", "/api/v2/testimonials/", "/api/comments/?page=3"]
    for path, line in zip(paths, run_with_dead_database(*paths), strict=True):
        status, retry_after, content_type, _, body = line.split(" ", 4)
        assert (status, retry_after, content_type) == ("503", "5", "application/json"), (path, line)
        template, method = contract.operation("get", path)
        pointer = f"/paths/{template.replace('/', '~1')}/{method}/responses/503/content/application~1json/schema"
        assert contract.validator(pointer).is_valid(json.loads(ast.literal_eval(body))), (path, body)


def descriptions(node, where=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield where, value
            else:
                yield from descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from descriptions(value, f"{where}/{n}")


def test_descriptions_are_written_for_frontend_developers(contract):
    """Every operation says what it does in its own words, never a code docstring (``rst``, internals)."""
    for path, methods in contract.document["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") and operation.get("description"), (method, path)
    for where, text in descriptions(contract.document):
        assert "``" not in text and "queryset" not in text.lower(), (where, text)
    article = contract.document["components"]["schemas"]["ArticlePage"]["properties"]
    assert "older" in article["previous_post"]["description"] and "newer" in article["next_post"]["description"]
    assert "title" not in article["next_post"] and "title" not in article["previous_post"]
    listing = contract.document["paths"]["/api/v2/pages/"]["get"]["responses"]
    assert listing["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/BadRequest")
    assert listing["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/Detail")
