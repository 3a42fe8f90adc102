"""Every body block type: its API output matches its schema branch, the page renders it, and an
article costs the same queries with one block of each type or three.

``SAMPLES`` holds one block of every type of ``ArticleBodyBlock`` (built with ``articles.factories``)
and a fragment of the HTML a reader gets for it. A new block type adds its sample here.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from articles.blocks import ArticleBodyBlock
from articles.factories import ArticlePageFactory, DisclaimerFactory, ImageFactory, PromoFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=aaaaaaaaaaa"

# type -> (its raw StreamField value from the objects of ``objects``, a fragment of its HTML)
SAMPLES = {
    "heading": (lambda o: {"text": "Where to start", "level": "h3"}, '<h3 class="block-heading">Where to start</h3>'),
    "paragraph": (
        lambda o: f'<p>Read <a linktype="page" id="{o["index"].pk}">every article</a>.</p>',
        '<div class="rich-text"><p>Read <a href="/articles/">every article</a>.</p></div>',
    ),
    "image": (
        lambda o: {"image": o["image"].pk, "caption": "Typical sites", "alt": "A back, marked"},
        "<figcaption>Typical sites</figcaption>",
    ),
    "embed": (lambda o: {"url": YOUTUBE, "caption": "The lower back"}, "youtube-nocookie.com/embed/aaaaaaaaaaa"),
    "quote": (
        lambda o: {"text": "Move a little every hour.", "attribution": "A physio"},
        "<cite>A physio</cite>",
    ),
    "links": (
        lambda o: {
            "title": "Further reading",
            "items": [
                {"title": "All our articles", "page": o["index"].pk, "url": ""},
                {"title": "Elsewhere", "page": None, "url": "https://example.org/x"},
            ],
        },
        '<a href="https://example.org/x" rel="noopener">Elsewhere</a>',
    ),
    "promo": (lambda o: o["promo"].pk, '<a class="button" href="http://testserver/articles/">Find out more'),
    "disclaimer": (lambda o: o["disclaimer"].pk, '<div class="small-print"><p>Block small print.</p></div>'),
}


@pytest.fixture
def objects(index):
    return {
        "index": index,
        "image": ImageFactory(),
        "promo": PromoFactory(title="Learn it hands-on", link_page=index),
        "disclaimer": DisclaimerFactory(body="<p>Block small print.</p>"),
    }


def every_block(*object_sets):
    """One block of every type for each set of objects."""
    return [{"type": kind, "value": value(objects)} for objects in object_sets for kind, (value, _) in SAMPLES.items()]


def test_every_block_type_has_a_sample():
    assert list(SAMPLES) == list(ArticleBodyBlock().child_blocks)


def json_schema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema has it."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    return {"anyOf": [node, {"type": "null"}]} if node.pop("nullable", False) else node


def test_every_block_output_validates_against_its_schema_branch(client, api, index, objects):
    article = ArticlePageFactory(parent=index, body=every_block(objects))
    body = api.get(f"/api/v2/pages/{article.pk}/").json()["body"]
    assert [block["type"] for block in body] == list(SAMPLES)

    document = client.get("/api/schema/", {"format": "json"}).json()
    components = json_schema(document["components"])
    union = components["schemas"]["BodyBlock"]
    assert components["schemas"]["ArticlePage"]["properties"]["body"]["items"] == {
        "$ref": "#/components/schemas/BodyBlock"
    }
    assert set(union["discriminator"]["mapping"]) == set(SAMPLES)

    def validator(ref):
        return Draft202012Validator({"$ref": ref, "components": components})

    for block in body:
        branch = union["discriminator"]["mapping"][block["type"]]
        validator(branch).validate(block)
        validator("#/components/schemas/BodyBlock").validate(block)  # oneOf: this branch and no other
        for other in set(union["discriminator"]["mapping"].values()) - {branch}:
            assert not validator(other).is_valid(block), (block["type"], other)


def test_the_page_renders_every_block_as_the_api_serves_it(client, api, index, objects):
    article = ArticlePageFactory(parent=index, body=every_block(objects))
    html = client.get(article.url).content.decode()
    for kind, (_value, fragment) in SAMPLES.items():
        assert fragment in html, kind
    image = next(block for block in api.get(f"/api/v2/pages/{article.pk}/").json()["body"] if block["type"] == "image")
    assert f'<img src="{image["value"]["image"]["url"]}"' in html


def test_a_block_alone_gives_what_the_body_gives(rf, index, objects):
    """Outside its body (no prefetch in the context) a block loads what it needs itself."""
    article = ArticlePageFactory(parent=index, body=every_block(objects))
    context = {"request": rf.get("/")}
    served = ArticleBodyBlock().get_api_representation(article.body, context)
    alone = [child.block.get_api_representation(child.value, context) for child in article.body]
    assert alone == [block["value"] for block in served]


def count(get, url):
    get(url)  # renditions and embeds are made on first use
    cache.clear()  # else the public response cache answers without a query
    with CaptureQueriesContext(connection) as queries:
        assert get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("where", ["api", "page"])
def test_the_query_count_does_not_grow_with_the_blocks(client, api, index, objects, where):
    small = ArticlePageFactory(parent=index, body=every_block(objects))
    others = [
        {**objects, "image": ImageFactory(), "promo": PromoFactory(link_page=index), "disclaimer": DisclaimerFactory()}
        for _ in range(2)
    ]
    large = ArticlePageFactory(parent=index, body=every_block(objects, *others))

    def url(article):
        return f"/api/v2/pages/{article.pk}/" if where == "api" else article.url

    get = api.get if where == "api" else client.get
    assert len(large.body) == 3 * len(small.body)
    assert count(get, url(small)) == count(get, url(large))
