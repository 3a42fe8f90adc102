"""Editor rich text is sanitized when it is saved (``core/rich_text_on_save.py``), not on every read.

What a reader gets must not change: a row saved now is cleaned once and then only expanded; a row
saved before (``rich_text_sanitized`` False, as the migration left every existing row), a draft and a
preview are still cleaned on every read. The property behind skipping the read pass is checked on
its own: whatever an editor saved, once cleaned for saving and expanded by Wagtail, the read
sanitizer would change nothing in it (the XSS corpora and generated markup included).
"""

import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.rich_text import expand_db_html

from articles.factories import DisclaimerFactory, ImageFactory, PromoFactory
from articles.models import ArticleIndexPage, ArticlePage, Disclaimer, Promo
from core import cache, sanitize
from core.sanitize import sanitize_rich_text, sanitize_stored_rich_text
from home.models import HomePage

DATA = Path(__file__).resolve().parent.parent / "data"
VECTORS = (
    json.loads((DATA / "dompurify-vectors.json").read_text(encoding="utf-8"))
    + [item["data"] for item in json.loads((DATA / "h5sc-vectors.json").read_text(encoding="utf-8"))]
    + json.loads((DATA / "blns.json").read_text(encoding="utf-8"))
)
UNSAFE = '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:alert(2)">there</a></p>'


def read_pass_changes_nothing(stored):
    expanded = expand_db_html(stored)
    assert sanitize_rich_text(expanded) == expanded, (stored, expanded)


# --- the sanitizer for the stored form ----------------------------------------------------------------
@pytest.mark.parametrize("vector", VECTORS, ids=[str(i) for i in range(len(VECTORS))])
def test_a_corpus_vector_saved_needs_no_read_pass(vector):
    stored = sanitize_stored_rich_text(vector)
    assert sanitize_stored_rich_text(stored) == stored, "not idempotent"
    read_pass_changes_nothing(stored)


def test_the_corpora_are_all_there():
    assert len(VECTORS) == 223 + 149 + 515


REFERENCES = st.sampled_from(
    [
        '<a linktype="page" id="{n}">', '<a linktype="document" id="{n}">', '<a linktype="{w}" id="{n}">',
        '<a href="{u}" linktype="page">', '<embed embedtype="image" id="{n}" format="{w}" alt="{w}"/>',
        '<embed embedtype="media" url="{u}"/>', '<embed embedtype="{w}" id="{n}" onerror="x"/>', "</a>",
        "<p>", "</p>", "<h2 onclick=x>", "<img src=x onerror=alert(1)>", "<script>", "</script>", "<iframe src={u}>",
        "<br/>", "<!--", "-->", "&lt;", ">", '"', "\n", "<li>", "<ul>", "<b>", "</b>",
    ]
)  # fmt: skip
PARTS = {
    "n": st.sampled_from(["1", "12", "1 onclick=x", "-1", "", "9" * 30]),
    "w": st.sampled_from(["left", "x\" onload=\"alert(1)", "image", "page", "a b", "<b>"]),
    "u": st.sampled_from(["https://example.com/?a=1&b=2", "javascript:alert(1)", " javascript:x", "/rel", "//evil"]),
}  # fmt: skip


@st.composite
def stored_soup(draw):
    parts = draw(st.lists(st.one_of(REFERENCES, st.text(max_size=12)), max_size=12))
    html = "".join(parts)
    for key, values in PARTS.items():
        html = html.replace("{" + key + "}", draw(values))
    return html


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(stored_soup())
def test_generated_stored_markup_needs_no_read_pass(html):
    stored = sanitize_stored_rich_text(html)
    assert sanitize_stored_rich_text(stored) == stored, "not idempotent"
    read_pass_changes_nothing(stored)


@pytest.mark.django_db
def test_what_editors_write_keeps_its_links_and_images_and_reads_as_before(index):
    image, document = ImageFactory(), get_document_model()(title="Sheet")
    document.file.save("sheet.txt", ContentFile(b"notes"))
    html = (
        f'<h2>Steps</h2><p>See <a linktype="page" id="{index.pk}">the index</a>, '
        f'<a linktype="document" id="{document.pk}">the sheet</a> and '
        '<a href="https://example.org/a?b=1&amp;c=2">a site</a>.</p>'
        f'<embed embedtype="image" id="{image.pk}" format="left" alt="A &quot;kind&quot; picture"/>'
        "<ul><li><b>bold</b> and <i>italic</i></li></ul><p>a &lt; b &amp;&amp; c</p>"
    )
    stored = sanitize_stored_rich_text(html)
    assert f'<a linktype="page" id="{index.pk}">' in stored and f'id="{image.pk}"' in stored
    assert sanitize_rich_text(expand_db_html(html)) == expand_db_html(stored)  # what readers get is the same
    assert f'href="{index.url}"' in expand_db_html(stored) and "<img " in expand_db_html(stored)


def test_unsafe_markup_is_gone_from_what_is_stored():
    stored = sanitize_stored_rich_text(UNSAFE + '<embed embedtype="media" url="https://evil.example/"/>')
    assert "script" not in stored and "onclick" not in stored and "javascript" not in stored
    assert "evil.example" not in stored and "Hi" in stored and "there" in stored


# --- saving --------------------------------------------------------------------------------------------
def paragraph(html):
    return [{"type": "paragraph", "value": html}]


@pytest.mark.django_db
def test_a_published_article_is_stored_sanitized_and_says_so(article_factory):
    article = article_factory(body=paragraph(UNSAFE))
    row = ArticlePage.objects.get(pk=article.pk)
    assert row.rich_text_sanitized
    source = row.body[0].value.source
    assert "script" not in source and "onclick" not in source and "javascript" not in source and "Hi" in source


@pytest.mark.django_db
def test_snippets_and_index_pages_are_stored_sanitized(index, home):
    promo, disclaimer = PromoFactory(body=UNSAFE), DisclaimerFactory(body=UNSAFE)
    index.intro = UNSAFE
    index.save_revision().publish()
    home.intro = UNSAFE
    home.save()
    for model, pk, field in [
        (Promo, promo.pk, "body"), (Disclaimer, disclaimer.pk, "body"),
        (ArticleIndexPage, index.pk, "intro"), (HomePage, home.pk, "intro"),
    ]:  # fmt: skip
        row = model.objects.get(pk=pk)
        assert row.rich_text_sanitized, model
        assert "script" not in getattr(row, field) and "Hi" in getattr(row, field), model


@pytest.mark.django_db
def test_a_save_of_other_fields_leaves_the_flag_as_it_was():
    promo = PromoFactory()
    Promo.objects.filter(pk=promo.pk).update(rich_text_sanitized=False, body=UNSAFE)  # saved before this change
    promo = Promo.objects.get(pk=promo.pk)
    promo.title = "Renamed"
    promo.save(update_fields=["title"])
    assert not Promo.objects.get(pk=promo.pk).rich_text_sanitized  # its body was not cleaned
    promo.save(update_fields=["title", "body"])
    row = Promo.objects.get(pk=promo.pk)
    assert row.rich_text_sanitized and "script" not in row.body


# --- reading -------------------------------------------------------------------------------------------
def api_body(api, article):
    cache.clear()
    response = api.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    return response.json()["body"]


@pytest.fixture
def bleach_passes():
    """How many times the read sanitizer runs (rich text only; comments have their own cleaner)."""
    with mock.patch.object(sanitize, "sanitize_rich_text", wraps=sanitize.sanitize_rich_text) as spy:
        with mock.patch("articles.representations.sanitize_rich_text", spy):
            yield spy


@pytest.mark.django_db
def test_an_article_saved_now_is_read_without_a_sanitizer_pass(api, article_factory, bleach_passes):
    promo, disclaimer = PromoFactory(body="<p>Join <b>us</b>.</p>"), DisclaimerFactory(body="<p>Small print.</p>")
    body = [*paragraph(UNSAFE), {"type": "promo", "value": promo.pk}, {"type": "disclaimer", "value": disclaimer.pk}]
    article = article_factory(body=body, disclaimer=disclaimer)
    bleach_passes.reset_mock()
    blocks = api_body(api, article)
    assert bleach_passes.call_count == 0
    assert "script" not in blocks[0]["value"] and "Hi" in blocks[0]["value"]
    assert blocks[1]["value"]["body"] == "<p>Join <b>us</b>.</p>"
    assert blocks[2]["value"]["body"] == "<p>Small print.</p>"


@pytest.mark.django_db
def test_rows_saved_before_are_still_sanitized_on_every_read(api, client, article_factory, bleach_passes):
    promo, disclaimer = PromoFactory(), DisclaimerFactory()
    body = [*paragraph("<p>Safe.</p>"), {"type": "promo", "value": promo.pk}]
    article = article_factory(body=body, disclaimer=disclaimer)
    # As the migration left them: the flag False, and markup no save cleaned.
    ArticlePage.objects.filter(pk=article.pk).update(
        rich_text_sanitized=False, body=json.dumps([*paragraph(UNSAFE), *body[1:]])
    )
    for model, pk in [(Promo, promo.pk), (Disclaimer, disclaimer.pk)]:
        model.objects.filter(pk=pk).update(rich_text_sanitized=False, body=UNSAFE)
    bleach_passes.reset_mock()
    api_response = api.get(f"/api/v2/pages/{article.pk}/").content
    cache.clear()
    page = client.get(article.url).content
    assert bleach_passes.call_count >= 3  # the paragraph, the promo and the disclaimer
    for html in (api_response, page):
        assert b"<script" not in html and b"onclick" not in html and b"javascript:" not in html and b"Hi" in html


@pytest.mark.django_db
def test_a_preview_of_an_unsafe_draft_is_sanitized_on_read(api, article_factory):
    article = article_factory(body=paragraph("<p>Published.</p>"))
    article.body = paragraph(UNSAFE)  # in the editor, not saved: the preview reads it as it is
    preview = article.create_page_preview()
    response = api.get("/api/v2/page_preview/", {"content_type": "articles.articlepage", "token": preview.token})
    assert response.status_code == 200
    value = response.json()["body"][0]["value"]
    assert "<script" not in value and "onclick" not in value and "javascript:" not in value and "Hi" in value
