"""Mails about comments: to moderators on a new one, to the commenter and followers on approval."""

from unittest import mock

import pytest
from django.core import mail, signing

from comments.models import ArticleComment
from comments.services import comment_approve, comment_create, comment_reject
from comments.unsubscribe import make_unsubscribe_token
from core.factories import UserFactory

pytestmark = pytest.mark.django_db


_bodies = iter(range(10**6))


def create(article, *, email, followup=False, parent=None, body=None, name="Reader"):
    body = body or f"Some words, number {next(_bodies)}"
    return comment_create(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        followup=followup,
        client_ip="192.0.2.4",
    )


def approve(comment, moderator, capture):
    with capture(execute=True):
        return comment_approve(comment=comment, moderator=moderator)[0]


def test_a_new_comment_mails_the_moderators_only(article, moderator, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create(article, email="writer@example.com", body="Please look at this")
    recipients = [message.to for message in mail.outbox]
    assert recipients == [[moderator.email]]
    message = mail.outbox[0]
    assert "awaiting moderation" in message.subject
    assert "Please look at this" in message.body
    assert "/admin/comments/" in message.body
    assert "writer@example.com" not in message.body


def test_no_mail_is_sent_inside_the_request(api, article, moderator):
    response = api.post(
        "/api/comments/",
        {"page": article.pk, "name": "A", "email": "a@example.com", "body": "Hello"},
        format="json",
    )
    assert response.status_code == 202
    assert mail.outbox == []  # queued for after the commit, as a task


def test_approval_mails_the_commenter_and_other_followers(
    article, article_factory, moderator, django_capture_on_commit_callbacks
):
    follower = approve(
        create(article, email="follower@example.com", followup=True),
        moderator,
        django_capture_on_commit_callbacks,
    )
    approve(
        create(article, email="quiet@example.com", followup=False),
        moderator,
        django_capture_on_commit_callbacks,
    )
    other_article = article_factory()
    approve(
        create(other_article, email="elsewhere@example.com", followup=True),
        moderator,
        django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()

    reply = create(article, email="Replier@Example.com", followup=True, parent=follower, body="Thanks, that helped")
    approve(reply, moderator, django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"replier@example.com", "follower@example.com"}
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)
    to_follower = by_recipient["follower@example.com"]
    assert "Thanks, that helped" in to_follower.body
    assert "replier@example.com" not in to_follower.body.lower()
    assert "/comments/unsubscribe/" in to_follower.body
    assert "published" in by_recipient["replier@example.com"].subject


def test_rejection_mails_nobody(article, moderator, django_capture_on_commit_callbacks):
    approve(
        create(article, email="follower@example.com", followup=True),
        moderator,
        django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()
    pending = create(article, email="x@example.com", body="Rejected words")
    with django_capture_on_commit_callbacks(execute=True):
        comment_reject(comment=pending, moderator=moderator)
    assert mail.outbox == []


def unsubscribe_link(message):
    line = next(line for line in message.body.splitlines() if "/comments/unsubscribe/" in line)
    return line.strip().split("http://testserver", 1)[1]


def test_unsubscribe_link_works_without_login(client, article, moderator, django_capture_on_commit_callbacks):
    follower = approve(
        create(article, email="follower@example.com", followup=True),
        moderator,
        django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()
    approve(create(article, email="b@example.com", parent=follower), moderator, django_capture_on_commit_callbacks)
    link = unsubscribe_link(next(m for m in mail.outbox if m.to == ["follower@example.com"]))
    page = client.get(link)
    assert page.status_code == 200 and b"Stop e-mails" in page.content
    assert ArticleComment.objects.get(pk=follower.pk).followup  # GET alone changes nothing
    done = client.post(link)
    assert done.status_code == 200 and b"no more e-mails" in done.content
    assert not ArticleComment.objects.get(pk=follower.pk).followup


def test_tampered_and_expired_tokens_are_refused(client, article):
    token = make_unsubscribe_token("follower@example.com", article.pk)
    assert client.get(f"/comments/unsubscribe/{token}x/").status_code == 400
    forged = signing.dumps({"e": "victim@example.com", "a": article.pk}, salt="another.salt")
    assert client.post(f"/comments/unsubscribe/{forged}/").status_code == 400
    with mock.patch("django.core.signing.time.time", return_value=10**11):
        assert client.get(f"/comments/unsubscribe/{token}/").status_code == 400


def test_moderators_are_found_through_groups_and_superusers(article, django_capture_on_commit_callbacks):
    group_member = UserFactory(username="gm", groups=["Moderators"], email="gm@example.com")
    boss = UserFactory(username="boss", superuser=True, email="boss@example.com")
    UserFactory(username="nomail", groups=["Moderators"], email="")
    with django_capture_on_commit_callbacks(execute=True):
        create(article, email="w@example.com")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([group_member.email, boss.email])


def test_one_address_that_fails_stops_no_other_mail(article, moderator, django_capture_on_commit_callbacks, caplog):
    """A bad address stored before addresses were checked strictly (``a@x.test`` + a right-to-left
    override) once made every later approval mail of its thread fail. Each mail is its own task now."""
    good = approve(
        create(article, email="good@example.com", followup=True), moderator, django_capture_on_commit_callbacks
    )
    bad = approve(
        create(article, email="bad@example.com", followup=True), moderator, django_capture_on_commit_callbacks
    )
    ArticleComment.objects.filter(pk=bad.pk).update(user_email="a@x.test\u202e")
    mail.outbox.clear()

    for n in range(3):
        reply = create(article, email=f"replier{n}@example.com", followup=True, parent=good)
        with caplog.at_level("ERROR", logger="comments.tasks"):
            approve(reply, moderator, django_capture_on_commit_callbacks)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients.count("good@example.com") == 3
    assert {"replier0@example.com", "replier1@example.com", "replier2@example.com"} <= set(recipients)
    assert not any("x.test" in to for to in recipients)
    failures = [record for record in caplog.records if "could not be sent" in record.getMessage()]
    assert len(failures) == 3  # each failure recorded, one per approval
