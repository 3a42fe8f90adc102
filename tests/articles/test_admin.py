"""Editors work in the Wagtail admin: create and publish an article, manage snippets."""

import json

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.factories import ArticleIndexPageFactory
from articles.models import ArticleIndexPage, ArticlePage, Author, Testimonial
from core.factories import UserFactory
from home.models import HomePage


class ArticleAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.index = ArticleIndexPageFactory(parent=cls.home, slug="articles")
        cls.author = Author.objects.create(name="Dana Reyes")
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])

    def article_form(self, **overrides):
        data = {
            "title": "Shoulder knots",
            "slug": "shoulder-knots",
            "intro": "Where they come from.",
            "date": "2026-03-01",
            "author": self.author.pk,
            "body": streamfield(
                [
                    ("heading", {"text": "Where to start", "level": "h2"}),
                    ("paragraph", rich_text("<p>Start gently.</p>")),
                    ("quote", {"text": "Breathe.", "attribution": ""}),
                ]
            ),
            "tags": "shoulders, posture",
            "related_post_picks": inline_formset([]),
            "testimonial_picks": inline_formset([]),
            "allow_comments": "on",
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_an_editor_creates_and_publishes_an_article(self):
        self.client.force_login(self.editor)
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        data = self.article_form()
        data["action-publish"] = "action-publish"
        response = self.client.post(f"/admin/pages/add/articles/articlepage/{self.index.pk}/", data)
        self.assertEqual(response.status_code, 302)
        article = ArticlePage.objects.get(slug="shoulder-knots")
        self.assertTrue(article.live)
        self.assertEqual(sorted(article.tags.names()), ["posture", "shoulders"])
        self.assertPageIsRenderable(article)
        api = self.client.get(f"/api/v2/pages/{article.pk}/").json()
        self.assertEqual(api["body"][0]["value"], {"text": "Where to start", "level": 2})
        page = self.client.get(article.url)
        self.assertContains(page, "Start gently.")

    def test_an_article_never_saved_can_be_previewed(self):
        self.client.force_login(self.editor)
        url = f"/admin/pages/add/articles/articlepage/{self.index.pk}/preview/"
        response = self.client.post(url, self.article_form(title="Not saved yet"))
        self.assertEqual(response.json()["is_valid"], True)
        preview = self.client.get(url, {"mode": "", "in_preview_panel": "true"})
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "Not saved yet")
        self.assertContains(preview, "Start gently.")
        self.assertFalse(ArticlePage.objects.filter(title="Not saved yet").exists())

    def test_a_saved_draft_is_not_public(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            f"/admin/pages/add/articles/articlepage/{self.index.pk}/", self.article_form(slug="draft-one")
        )
        self.assertEqual(response.status_code, 302)
        draft = ArticlePage.objects.get(slug="draft-one")
        self.assertFalse(draft.live)
        self.client.logout()
        self.assertEqual(self.client.get(f"/api/v2/pages/{draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/articles/draft-one/").status_code, 404)

    def test_link_items_need_a_page_or_a_url(self):
        self.client.force_login(self.editor)
        data = self.article_form(
            body=streamfield(
                [
                    (
                        "links",
                        {
                            "title": "More",
                            "items": streamfield(
                                [
                                    (
                                        "item",
                                        {
                                            "title": "Both",
                                            "page": self.index.pk,
                                            "url": "https://example.org",
                                        },
                                    )
                                ]
                            ),
                        },
                    )
                ]
            )
        )
        response = self.client.post(f"/admin/pages/add/articles/articlepage/{self.index.pk}/", data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ArticlePage.objects.filter(slug="shoulder-knots").exists())

    def test_a_malformed_body_is_a_form_error_not_a_500(self):
        # What only a hand-made POST sends: Wagtail's parser raised on each of these (a 500).
        self.client.force_login(self.editor)
        add = f"/admin/pages/add/articles/articlepage/{self.index.pk}/"
        good = self.article_form(slug="well-formed")
        for broken in (
            {"body-count": "abc"},
            {"body-count": "99999999999999999999"},
            {"body-count": "1", "body-0-type": "no-such-block"},
            {"body-count": "1", "body-0-deleted": ""},
        ):
            data = {**self.article_form(), **broken}
            data = {key: value for key, value in data.items() if not key.startswith("body-0-") or key in broken}
            preview = self.client.post(add + "preview/", data)
            self.assertEqual(preview.status_code, 200, broken)
            self.assertEqual(preview.json()["is_valid"], False, broken)
            response = self.client.post(add, data)
            self.assertEqual(response.status_code, 200, broken)
            self.assertContains(response, "The body could not be read. Reload the editor and try again.")
        self.assertFalse(ArticlePage.objects.filter(slug="shoulder-knots").exists())
        self.assertEqual(self.client.post(add + "preview/", good).json()["is_valid"], True)

    def block_labels(self, html):
        """``{label: help text}`` of every field in the body's block definitions (Wagtail's telepath JSON)."""
        soup = BeautifulSoup(html, "html5lib")
        labels = {}

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("label"), str) and "required" in node:
                    help_text = node.get("description") or ""
                    labels[node["label"]] = help_text.get("_val", "") if isinstance(help_text, dict) else help_text
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        for tag in soup.find_all(attrs={"data-w-block-data-value": True}):
            walk(json.loads(tag["data-w-block-data-value"]))
        return labels

    def test_the_article_form_names_the_video_field_and_dates_articles_today(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/pages/add/articles/articlepage/{self.index.pk}/")
        labels = self.block_labels(response.content.decode())
        self.assertIn("Video URL", labels)
        self.assertIn("YouTube, Vimeo", labels["Video URL"])
        self.assertNotIn("Url", labels)
        date = BeautifulSoup(response.content.decode(), "html5lib").find("input", attrs={"name": "date"})
        self.assertEqual(date["value"], timezone.localdate().isoformat())

    def test_moderators_cannot_edit_pages(self):
        self.client.force_login(self.moderator)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        # Wagtail's "Sorry, you do not have permission" answer: back to the dashboard.
        response = self.client.get(f"/admin/pages/{self.index.pk}/edit/")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        response = self.client.get(f"/admin/pages/add/articles/articlepage/{self.index.pk}/")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(Page.objects.filter(slug="shoulder-knots").count(), 0)


@pytest.mark.django_db
def test_snippet_viewsets_search_and_filter(client, index):
    client.force_login(UserFactory(username="ed2", groups=["Editors"]))
    Testimonial.objects.create(quote="Changed my practice.", name="Alex North", featured=True, live=True)
    Testimonial.objects.create(quote="Solid basics.", name="Bo South", featured=False, live=True)
    listing = client.get("/admin/snippets/articles/testimonial/", {"q": "North"})
    assert listing.status_code == 200
    assert b"Alex North" in listing.content and b"Bo South" not in listing.content
    featured = client.get("/admin/snippets/articles/testimonial/", {"featured": "true"})
    assert b"Alex North" in featured.content and b"Bo South" not in featured.content
    for model in ["author", "promo", "disclaimer"]:
        assert client.get(f"/admin/snippets/articles/{model}/").status_code == 200


@pytest.mark.django_db
def test_an_editor_publishes_a_testimonial_draft(client):
    client.force_login(UserFactory(username="ed3", groups=["Editors"]))
    response = client.post(
        "/admin/snippets/articles/testimonial/add/",
        {"quote": "Hands-on and clear.", "name": "Rae", "role": "Course B", "action-publish": "publish"},
    )
    assert response.status_code == 302
    testimonial = Testimonial.objects.get(name="Rae")
    assert testimonial.live
    draft = client.post("/admin/snippets/articles/testimonial/add/", {"quote": "Not yet.", "name": "Sol", "role": ""})
    assert draft.status_code == 302
    assert not Testimonial.objects.get(name="Sol").live
    assert "Not yet." not in client.get("/api/v2/testimonials/").content.decode()
