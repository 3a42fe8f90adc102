"""Existence does not leak: every "nothing public here" answer of the API is the same 404, byte for byte."""

import pytest
from wagtail.models import PageViewRestriction

from articles.models import Testimonial

pytestmark = pytest.mark.django_db


def test_missing_draft_restricted_pending_and_non_article_404s_are_byte_identical(
    api, article_factory, home, make_comment
):
    draft = article_factory(publish=False)
    unpublished = article_factory()
    unpublished.unpublish()
    password = article_factory()
    PageViewRestriction.objects.create(page=password, restriction_type="password", password="secret")
    login = article_factory()
    PageViewRestriction.objects.create(page=login, restriction_type="login")
    article = article_factory()
    pending = make_comment(article, approve=False)
    rejected_elsewhere = make_comment(article_factory())
    hidden_testimonial = Testimonial.objects.create(quote="Q", name="N", live=False)

    def post(page_id, parent=None):
        payload = {"page": page_id, "name": "R", "email": "r@example.com", "body": "Hello"}
        if parent:
            payload["parent"] = parent
        return api.post("/api/comments/", payload, format="json")

    answers = {
        "missing page": api.get("/api/v2/pages/987654/"),
        "draft page": api.get(f"/api/v2/pages/{draft.pk}/"),
        "unpublished page": api.get(f"/api/v2/pages/{unpublished.pk}/"),
        "password page": api.get(f"/api/v2/pages/{password.pk}/"),
        "login page": api.get(f"/api/v2/pages/{login.pk}/"),
        "draft testimonial": api.get(f"/api/v2/testimonials/{hidden_testimonial.pk}/"),
        "find of a draft": api.get("/api/v2/pages/find/", {"html_path": draft.url}),
        "comment on a missing page": post(987654),
        "comment on page 0": post(0),
        "comment on a page id past any key": post(int("9" * 40)),
        "reply to a parent id past any key": post(article.pk, parent=int("9" * 40)),
        "comment on a draft": post(draft.pk),
        "comment on a restricted page": post(login.pk),
        "comment on a non-article": post(home.pk),
        "reply to a pending comment": post(article.pk, parent=pending.pk),
        "reply into another article": post(article.pk, parent=rejected_elsewhere.pk),
        "thread of a draft": api.get("/api/comments/", {"page": draft.pk}),
        "report of a pending comment": api.post(
            f"/api/comments/{pending.pk}/report/", {"reason": "spam"}, format="json"
        ),
        "unknown API path": api.get("/api/v2/nothing-here/"),
        "unknown API write": api.post("/api/comments/abc/report/", {}, format="json"),
        "id past any key": api.get("/api/comments/", {"page": "9" * 40}),
        "report of an id past any key": api.post(
            f"/api/comments/{'9' * 40}/report/", {"reason": "spam"}, format="json"
        ),
    }
    bodies = {
        name: (response.status_code, response["Content-Type"], response.content) for name, response in answers.items()
    }
    assert set(bodies.values()) == {(404, "application/json", b'{"detail": "Not found."}')}, bodies


def test_a_moderator_gets_the_json_404_for_ids_past_any_key(api, moderator):
    api.force_authenticate(moderator)
    huge = "9" * 40
    for response in [
        api.post(f"/api/moderation/comments/{huge}/approve/", format="json"),
        api.get(f"/api/moderation/comments/{huge}/history/"),
    ]:
        assert (response.status_code, response.content) == (404, b'{"detail": "Not found."}')
    response = api.post("/api/moderation/comments/bulk/", {"ids": [int(huge)], "action": "approve"}, format="json")
    assert response.status_code == 400 and "ids" in response.json()["errors"]
    response = api.get("/api/moderation/comments/", {"page": huge})
    assert response.status_code == 400 and "page" in response.json()["errors"]
