"""Readers' comment API: posting, the public thread, reports, and what it refuses."""

import json

import pytest
from django.core import mail
from django.test import override_settings
from wagtail.models import PageViewRestriction

from comments.models import ArticleComment, CommentReport, CommentStatus, ModerationSettings
from comments.services import comment_reject, comment_remove

pytestmark = pytest.mark.django_db


def thread(api, article, **params):
    return api.get("/api/comments/", {"page": article.pk, **params})


def test_posting_stores_a_pending_comment_and_says_so(post_comment, article):
    response = post_comment(article, body="Hello <b>there</b> http://example.org")
    assert response.status_code == 202
    data = response.json()
    assert data["status"] == "pending"
    assert "awaiting moderation" in data["message"]
    comment = ArticleComment.objects.get(pk=data["id"])
    assert comment.status == CommentStatus.PENDING and not comment.is_public
    assert comment.article_id == article.pk
    assert comment.ip_address == "198.51.100.0"  # stored truncated to /24
    assert 'rel="nofollow ugc noopener noreferrer"' in comment.comment
    assert "<b>there</b>" in comment.comment


def test_pending_comments_are_not_public_anywhere(api, post_comment, article):
    post_comment(article, body="Canary pending text")
    assert thread(api, article).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 0
    assert "Canary pending" not in api.get(article.url).content.decode()


def test_approved_thread_is_nested_sanitized_and_private(api, article, make_comment):
    root = make_comment(article, body="Root <script>alert(1)</script><em>ok</em>", email="root@secret.example")
    reply = make_comment(article, parent=root, body="A reply")
    make_comment(article, parent=reply, body="Deeper")
    make_comment(article, parent=root, body="Pending reply", approve=False)
    data = thread(api, article).json()
    assert data["count"] == 1
    node = data["results"][0]
    assert set(node) == {"id", "name", "url", "body", "created", "level", "removed", "replies"}
    assert "<script" not in node["body"] and "<em>ok</em>" in node["body"]
    assert node["created"].endswith("+00:00") or node["created"].endswith("Z")
    assert [r["body"] for r in node["replies"]] == ["A reply"]
    assert node["replies"][0]["replies"][0]["body"] == "Deeper"
    assert node["replies"][0]["replies"][0]["level"] == 2
    text = thread(api, article).content.decode()
    for secret in ["secret.example", "203.0.113", "Pending reply", "someone@example.com"]:
        assert secret not in text
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 3


def test_removed_parent_keeps_approved_replies_under_a_placeholder(api, article, make_comment, moderator):
    root = make_comment(article, body="Will be removed", name="Gone")
    make_comment(article, parent=root, body="Still here")
    comment_remove(comment=root, moderator=moderator)
    node = thread(api, article).json()["results"][0]
    assert node["removed"] is True and node["body"] == "" and node["name"] == ""
    assert node["replies"][0]["body"] == "Still here"
    assert "Will be removed" not in thread(api, article).content.decode()


def test_rejected_thread_without_approved_replies_is_invisible(api, article, make_comment, moderator):
    root = make_comment(article, approve=False, body="Nope")
    comment_reject(comment=root, moderator=moderator)
    assert thread(api, article).json()["count"] == 0


def test_thread_is_paginated_by_top_level_comment(api, article, make_comment):
    roots = [make_comment(article) for _ in range(5)]
    for root in roots:
        make_comment(article, parent=root)
    first = thread(api, article, limit=2).json()
    assert first["count"] == 5
    assert [n["id"] for n in first["results"]] == [roots[0].pk, roots[1].pk]
    assert all(len(n["replies"]) == 1 for n in first["results"])
    second = api.get(first["next"]).json()
    assert [n["id"] for n in second["results"]] == [roots[2].pk, roots[3].pk]
    assert second["previous"]


def not_found_body(api):
    response = api.get("/api/comments/", {"page": 999999})
    assert response.status_code == 404
    return response.content


def test_uncommentable_targets_get_one_identical_404(api, post_comment, article_factory, home, make_comment):
    expected = not_found_body(api)
    draft = article_factory(publish=False)
    closed = article_factory(allow_comments=False)
    restricted = article_factory()
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    open_article = article_factory()
    other = article_factory()
    pending = make_comment(open_article, approve=False)
    elsewhere = make_comment(other)
    cases = [
        post_comment(type("P", (), {"pk": 999999})()),
        post_comment(draft),
        post_comment(closed),
        post_comment(restricted),
        post_comment(home),
        post_comment(open_article, parent=pending),
        post_comment(open_article, parent=elsewhere),
        post_comment(open_article, parent=type("P", (), {"pk": 424242})()),
        thread(api, draft),
        thread(api, home),
        api.post(f"/api/comments/{pending.pk}/report/", {"reason": "spam"}, format="json"),
    ]
    for response in cases:
        assert response.status_code == 404
        assert response.content == expected
    assert ArticleComment.objects.count() == 2


def test_replies_nest_three_levels_deep_by_default(post_comment, article, make_comment):
    root = make_comment(article)
    reply = make_comment(article, parent=root)
    third = make_comment(article, parent=reply)
    response = post_comment(article, parent=third)
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    assert post_comment(article, parent=reply).status_code == 202


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", ""),
        ("body", "   "),
        ("body", "x" * 3001),
        ("email", "not-an-email"),
        ("name", ""),
        ("url", "javascript:alert(1)"),
        ("honeypot", "I am a bot"),
    ],
)
def test_invalid_fields_are_400_with_field_errors(post_comment, article, field, value):
    response = post_comment(article, **{field: value})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert ArticleComment.objects.count() == 0


def test_non_json_bodies_are_415(api, article):
    response = api.post("/api/comments/", {"page": article.pk, "name": "a", "email": "a@b.co", "body": "x"})
    assert response.status_code == 415
    assert "detail" in response.json()
    broken = api.post("/api/comments/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and "detail" in broken.json()


@override_settings(COMMENTS_RATE_LIMIT="3/min")
def test_rate_limit_per_client_not_fooled_by_forwarded_for(post_comment, article):
    for i in range(3):
        assert post_comment(article, body=f"Comment {i}", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code == 202
    response = post_comment(article, body="One more", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()
    assert post_comment(article, body="Another client", ip="192.0.2.10").status_code == 202


@override_settings(COMMENTS_RATE_LIMIT="2/min", TRUSTED_PROXY_COUNT=1)
def test_forwarded_for_is_believed_only_through_trusted_proxies(post_comment, article):
    # One trusted proxy: the client is the last entry; what the client wrote before it is ignored.
    for i in range(2):
        ok = post_comment(article, body=f"c{i}", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, 203.0.113.5")
        assert ok.status_code == 202
    blocked = post_comment(article, body="c3", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert blocked.status_code == 429
    assert ArticleComment.objects.filter(ip_address="203.0.113.0").count() == 2


def test_duplicate_text_from_the_same_client_is_refused(post_comment, article):
    assert post_comment(article, body="Same words").status_code == 202
    response = post_comment(article, body="Same words")
    assert response.status_code == 400
    assert "already posted" in response.json()["errors"]["body"][0]
    assert post_comment(article, body="Same words", ip="192.0.2.1").status_code == 202


def test_word_lists_refuse_or_hold_with_reasons(post_comment, article):
    rules = ModerationSettings.load()
    rules.banned_words = "casino\n"
    rules.suspect_words = "miracle cure"
    rules.blocked_email_domains = "spam.example"
    rules.max_links = 1
    rules.save()
    refused = post_comment(article, body="Visit my CASINO now")
    assert refused.status_code == 400 and "body" in refused.json()["errors"]
    held = post_comment(
        article,
        body="A miracle cure: https://a.example.com https://b.example.com",
        email="x@mail.spam.example",
    )
    assert held.status_code == 202
    reasons = ArticleComment.objects.get(pk=held.json()["id"]).held_reasons
    assert "Suspect word: miracle cure" in reasons
    assert any("links" in reason for reason in reasons)
    assert "Blocked e-mail domain: mail.spam.example" in reasons
    assert ArticleComment.objects.count() == 1


def test_cross_site_browser_posts_are_refused(post_comment, article):
    evil = post_comment(article, HTTP_ORIGIN="https://evil.example")
    assert evil.status_code == 403 and "detail" in evil.json()
    cross = post_comment(article, HTTP_SEC_FETCH_SITE="cross-site")
    assert cross.status_code == 403
    allowed = post_comment(article, body="From our frontend", HTTP_ORIGIN="https://frontend.example")
    assert allowed.status_code == 202
    same = post_comment(article, body="From the page itself", HTTP_ORIGIN="http://testserver")
    assert same.status_code == 202
    assert ArticleComment.objects.count() == 2


def test_session_cookies_do_not_authorize_writes(client, article, moderator, make_comment):
    client.force_login(moderator)
    pending = make_comment(article, approve=False)
    response = client.post(
        f"/api/moderation/comments/{pending.pk}/approve/",
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert ArticleComment.objects.get(pk=pending.pk).status == CommentStatus.PENDING


def test_reports_reach_the_queue_without_reporter_identity(api, article, make_comment):
    comment = make_comment(article)
    response = api.post(f"/api/comments/{comment.pk}/report/", {"reason": "abuse", "detail": "Rude"}, format="json")
    assert response.status_code == 202
    report = CommentReport.objects.get()
    assert report.reason == "abuse" and report.detail == "Rude"
    bad = api.post(f"/api/comments/{comment.pk}/report/", {"reason": "nope"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    assert "Rude" not in thread(api, article).content.decode()


def test_no_mail_is_sent_to_readers_for_a_pending_comment(post_comment, article, moderator):
    post_comment(article, followup=True)
    assert all("reader@example.com" not in message.to for message in mail.outbox)


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_a_comment_on_a_private_page_cannot_be_reported(api, article, make_comment, restriction_type):
    comment = make_comment(article)
    PageViewRestriction.objects.create(page=article, restriction_type=restriction_type, password="pw")
    assert thread(api, article).status_code == 404
    response = api.post(f"/api/comments/{comment.pk}/report/", {"reason": "abuse"}, format="json")
    assert response.status_code == 404
    assert response.content == b'{"detail": "Not found."}'  # the thread's 404, byte for byte
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("depth", [33, 990, 100_000])
def test_a_body_nested_too_deep_is_a_json_400(api, article, make_comment, depth):
    comment = make_comment(article)
    deep = "[" * depth + "]" * depth
    for url in ("/api/comments/", f"/api/comments/{comment.pk}/report/"):
        response = api.post(url, deep, content_type="application/json")
        assert response.status_code == 400, url
        assert "nested deeper than 32 levels" in response.json()["detail"]


def test_an_oversized_body_is_a_json_400(api, article):
    body = json.dumps({"page": article.pk, "name": "Big", "email": "big@example.com", "body": "x" * 3_000_000})
    response = api.post("/api/comments/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
    assert not ArticleComment.objects.filter(user_name="Big").exists()
