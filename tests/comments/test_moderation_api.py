"""The moderation API: who may call it, the queue, actions, bulk and history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from wagtail.models import APIToken

from comments.models import ArticleComment, CommentReport, CommentStatus
from core.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/api/moderation/comments/"


def bearer(user):
    _, token = APIToken.create_token(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def mod_api(moderator):
    return bearer(moderator)


def test_401_without_credentials_403_without_permission(api, editor, article, make_comment):
    pending = make_comment(article, approve=False)
    response = api.get(QUEUE)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert bearer(editor).get(QUEUE).status_code == 403
    assert bearer(editor).post(f"{QUEUE}{pending.pk}/approve/").status_code == 403
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer wagtail_not-a-token")
    assert bad.get(QUEUE).status_code == 401
    assert ArticleComment.objects.get(pk=pending.pk).status == CommentStatus.PENDING


def test_revoked_token_is_refused(moderator):
    instance, token = APIToken.create_token(user=moderator, name="old")
    instance.revoke()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(QUEUE).status_code == 401


def test_admin_session_works(client, moderator):
    client.force_login(moderator)
    assert client.get(QUEUE).status_code == 200


def test_queue_lists_pending_oldest_first_with_private_fields(mod_api, article, make_comment):
    first = make_comment(article, approve=False, email="first@example.com")
    approved = make_comment(article)
    reply = make_comment(article, parent=approved, approve=False)
    CommentReport.objects.create(comment=approved, reason="spam")
    data = mod_api.get(QUEUE).json()
    assert [item["id"] for item in data["results"]] == [first.pk, reply.pk]
    item = data["results"][0]
    assert item["email"] == "first@example.com"
    assert item["client_address"] == "203.0.113.0"
    assert item["article"] == {"id": article.pk, "title": article.title, "url": article.get_full_url()}
    assert item["parent"] is None and data["results"][1]["parent"] == approved.pk
    assert item["held_reasons"] == []
    reported = mod_api.get(QUEUE, {"status": "approved", "reported": "true"}).json()["results"]
    assert [r["id"] for r in reported] == [approved.pk]
    assert reported[0]["reports"][0]["reason"] == "spam"
    assert mod_api.get(QUEUE, {"status": "bogus"}).status_code == 400


def test_queue_filters_by_article(mod_api, article_factory, make_comment):
    one, two = article_factory(), article_factory()
    make_comment(one, approve=False)
    theirs = make_comment(two, approve=False)
    data = mod_api.get(QUEUE, {"page": two.pk}).json()
    assert [item["id"] for item in data["results"]] == [theirs.pk]


def test_actions_change_state_are_idempotent_and_update_the_count(
    mod_api, api, article, make_comment, django_capture_on_commit_callbacks
):
    pending = make_comment(article, approve=False)
    url = f"{QUEUE}{pending.pk}/approve/"
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 0  # now in the public cache
    with django_capture_on_commit_callbacks(execute=True):  # what follows a real commit: the cache forgets
        response = mod_api.post(url)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 1
    again = mod_api.post(url)
    assert again.status_code == 200 and again.json()["status"] == "approved"
    history = mod_api.get(f"{QUEUE}{pending.pk}/history/").json()
    assert [entry["action"] for entry in history] == ["comments.approve", "comments.submit"]
    assert history[0]["user"] == "mod" and history[0]["from_status"] == "pending"
    assert history[0]["to_status"] == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        removed = mod_api.post(f"{QUEUE}{pending.pk}/remove/")
    assert removed.json()["status"] == "removed"
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 0


def test_invalid_transition_is_409_and_changes_nothing(mod_api, article, make_comment):
    pending = make_comment(article, approve=False)
    response = mod_api.post(f"{QUEUE}{pending.pk}/remove/")
    assert response.status_code == 409 and "detail" in response.json()
    assert ArticleComment.objects.get(pk=pending.pk).status == CommentStatus.PENDING
    assert mod_api.post(f"{QUEUE}999999/approve/").status_code == 404


def test_bulk_actions(mod_api, article, make_comment):
    pending = [make_comment(article, approve=False) for _ in range(3)]
    approved = make_comment(article)
    response = mod_api.post(
        f"{QUEUE}bulk/", {"ids": [c.pk for c in pending] + [approved.pk], "action": "reject"}, format="json"
    )
    assert response.status_code == 200 and response.json() == {"updated": 3}
    assert set(ArticleComment.objects.filter(pk__in=[c.pk for c in pending]).values_list("status", flat=True)) == {
        "rejected"
    }
    assert mod_api.post(f"{QUEUE}bulk/", {"ids": [], "action": "reject"}, format="json").status_code == 400
    assert mod_api.post(f"{QUEUE}bulk/", {"ids": [1], "action": "nuke"}, format="json").status_code == 400


def queue_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), ctx


def test_queue_cost_is_constant_and_makes_no_count(mod_api, article, make_comment):
    for _ in range(3):
        make_comment(article, approve=False)
    queue_queries(mod_api)  # the first read also caches the site's root paths (one query, once per process)
    small, _ = queue_queries(mod_api)
    for _ in range(60):
        make_comment(article, approve=False)
    big, ctx = queue_queries(mod_api)
    assert small == big
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    page = mod_api.get(QUEUE).json()
    assert len(page["results"]) == 50 and page["next"]
    second = mod_api.get(page["next"]).json()
    assert len(second["results"]) == 13
    assert not {r["id"] for r in second["results"]} & {r["id"] for r in page["results"]}


def test_moderators_group_has_the_permission_editors_do_not(moderator, editor):
    assert moderator.has_perm("comments.moderate_comments")
    assert not editor.has_perm("comments.moderate_comments")
    assert not moderator.has_perm("wagtailcore.change_page")
    superuser = UserFactory(username="root", superuser=True)
    assert superuser.has_perm("comments.moderate_comments")


def test_moderation_answers_are_never_kept_by_a_cache(api, mod_api, article, make_comment):
    """They hold e-mail addresses and networks: ``private, no-store``, errors included."""
    pending = make_comment(article, approve=False)
    answers = [
        mod_api.get(QUEUE),
        mod_api.get(f"{QUEUE}{pending.pk}/history/"),
        mod_api.post(f"{QUEUE}{pending.pk}/approve/"),
        mod_api.get(f"{QUEUE}999999/history/"),
        api.get(QUEUE),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 404, 401]
    for answer in answers:
        control = {part.strip() for part in answer["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= control, answer.request["PATH_INFO"]


def test_the_admin_asks_no_gravatar_for_a_moderators_address(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"gravatar.com" not in response.content
