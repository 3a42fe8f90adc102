"""The moderators' queue in the Wagtail admin."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.seeding import seed_threads
from comments.models import ArticleComment, CommentStatus

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_menu_shows_the_pending_count_to_moderators_only(client, mod_client, editor, article, make_comment):
    make_comment(article, approve=False)
    make_comment(article, approve=False)
    make_comment(article)
    admin_home = mod_client.get("/admin/")
    assert b"Comments (2)" in admin_home.content
    client.force_login(editor)
    assert b"Comments (" not in client.get("/admin/").content
    refused = client.get(QUEUE)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "no permission" redirect


def test_queue_lists_pending_oldest_first_with_private_details(mod_client, article, make_comment):
    first = make_comment(article, approve=False, body="First pending", email="first@example.com")
    approved = make_comment(article, body="Parent text here")
    reply = make_comment(article, approve=False, parent=approved, body="Second pending")
    html = mod_client.get(QUEUE).content.decode()
    assert html.index("First pending") < html.index("Second pending")
    assert "first@example.com" in html and "203.0.113.0" in html
    assert "In reply to: “Parent text here”" in html
    assert f'id="comment-{approved.pk}"' not in html
    assert first.pk and reply.pk


def test_approve_from_the_row_and_the_count_drops(mod_client, article, make_comment, api):
    pending = make_comment(article, approve=False)
    response = mod_client.post(f"{QUEUE}{pending.pk}/approve/", {"next": QUEUE}, follow=True)
    assert response.status_code == 200
    assert ArticleComment.objects.get(pk=pending.pk).status == CommentStatus.APPROVED
    assert b"approved" in response.content
    assert b"Comments (" not in response.content
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 1


def test_bulk_reject(mod_client, article, make_comment):
    pending = [make_comment(article, approve=False) for _ in range(3)]
    response = mod_client.post(
        f"{QUEUE}bulk/", {"ids": [c.pk for c in pending[:2]], "action": "reject", "next": QUEUE}, follow=True
    )
    assert b"2 comments rejected" in response.content
    statuses = [ArticleComment.objects.get(pk=c.pk).status for c in pending]
    assert statuses == ["rejected", "rejected", "pending"]


def test_invalid_transition_shows_an_error_and_changes_nothing(mod_client, article, make_comment):
    pending = make_comment(article, approve=False)
    response = mod_client.post(f"{QUEUE}{pending.pk}/remove/", {"next": QUEUE}, follow=True)
    assert response.status_code == 200
    assert b"cannot be removed" in response.content
    assert ArticleComment.objects.get(pk=pending.pk).status == CommentStatus.PENDING


def test_history_page_shows_who_did_what(mod_client, article, make_comment, moderator):
    pending = make_comment(article, approve=False)
    mod_client.post(f"{QUEUE}{pending.pk}/approve/")
    html = mod_client.get(f"{QUEUE}{pending.pk}/history/").content.decode()
    assert "Approved" in html and moderator.username in html
    assert re.search(r"pending</td><td>approved", html)


def test_filters_status_article_and_reported(mod_client, article, article_factory, make_comment):
    from comments.models import CommentReport

    other = article_factory()
    mine = make_comment(article, body="On the first article")
    make_comment(other, body="On the other article")
    CommentReport.objects.create(comment=mine, reason="spam")
    html = mod_client.get(QUEUE, {"status": "approved", "article": article.pk}).content.decode()
    assert "On the first article" in html and "On the other article" not in html
    reported = mod_client.get(QUEUE, {"status": "approved", "reported": "1"}).content.decode()
    assert "On the first article" in reported and "Spam or advertising" in reported
    assert "On the other article" not in reported


def test_queue_page_costs_the_same_at_3_and_300_pending_and_counts_nothing(mod_client, article_factory):
    seed_threads(article_factory(), threads=3, status=CommentStatus.PENDING)
    mod_client.get(QUEUE)
    with CaptureQueriesContext(connection) as small:
        mod_client.get(QUEUE)
    seed_threads(article_factory(), threads=300, status=CommentStatus.PENDING)
    with CaptureQueriesContext(connection) as big:
        response = mod_client.get(QUEUE)
    assert len(small.captured_queries) == len(big.captured_queries)
    counts = [
        q["sql"]
        for q in big.captured_queries
        if "COUNT(" in q["sql"].upper()
        and "comments_articlecomment" in q["sql"]
        # the commenters' history beside the rows counts their comments, grouped by e-mail, not the queue
        and 'LOWER("django_comments"."user_email") AS "key"' not in q["sql"]
    ]
    assert len(counts) == 1  # the menu badge, on the status index
    next_link = re.search(r'href="(\?[^"]*after=[^"]+)"', response.content.decode()).group(1)
    second = mod_client.get(QUEUE + next_link.replace("&amp;", "&"))
    assert second.status_code == 200 and second.content.count(b'name="ids"') == 50


def test_moderators_edit_the_word_lists_in_settings(mod_client):
    page = mod_client.get("/admin/settings/comments/moderationsettings/", follow=True)
    assert page.status_code == 200 and b"Banned words" in page.content
    response = mod_client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else "/admin/settings/comments/moderationsettings/",
        {"banned_words": "casino", "suspect_words": "", "blocked_email_domains": "", "max_links": 2},
    )
    assert response.status_code == 302
    from comments.models import ModerationSettings

    assert ModerationSettings.load().banned == ["casino"]
