"""Mails about comments: to moderators on a new one, to the commenter and followers on approval."""

import base64
import re
import time
import zlib
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core import mail, signing

from comments.models import ArticleComment
from comments.services import comment_approve, comment_create, comment_reject, comments_erase
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


def decodings(token):
    """Everything a reader of the URL could decode the token into: the token and each of its segments
    (split at ``:`` and ``.``), as text, as base64 (URL-safe or not, any padding), and inflated."""
    token = unquote(token)
    found = [token.encode()]
    for part in {token, *re.split(r"[:.]", token)}:
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(part + "=" * (-len(part) % 4))
            except ValueError:
                continue
            found.append(raw)
            try:
                found.append(zlib.decompress(raw))
            except zlib.error:
                pass
    return [blob.lower() for blob in found]


def followed_link(article, moderator, capture, email):
    """``email`` follows ``article``; a reply is approved; the link in the mail ``email`` receives."""
    follower = approve(create(article, email=email, followup=True), moderator, capture)
    mail.outbox.clear()
    approve(create(article, email="someone.else@example.com", parent=follower), moderator, capture)
    return follower, unsubscribe_link(next(m for m in mail.outbox if m.to == [email.lower()]))


def test_an_unsubscribe_link_names_no_address_and_stops_exactly_that_subscription(
    client, article, article_factory, moderator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    address = "Zebra.Canary@canary-mail.example"
    follower, link = followed_link(article, moderator, capture, address)
    token = link.removeprefix("/comments/unsubscribe/").removesuffix("/")
    for blob in decodings(token):
        for part in ("zebra.canary", "canary-mail", address.lower()):
            assert part.encode() not in blob, (part, blob)

    # The same address on another article, and another address on this one, keep their e-mails.
    elsewhere = approve(create(article_factory(), email=address, followup=True), moderator, capture)
    neighbour = approve(create(article, email="neighbour@example.com", followup=True), moderator, capture)
    second = create(article, email=address.lower(), followup=True)  # a second follow-up of the same subscription
    assert client.post(link).status_code == 200
    following = dict(ArticleComment.objects.values_list("pk", "followup"))
    assert following[follower.pk] is False and following[second.pk] is False
    assert following[elsewhere.pk] is True and following[neighbour.pk] is True


def test_the_author_mail_link_names_no_address_either(article, moderator, django_capture_on_commit_callbacks):
    approve(
        create(article, email="author.canary@example.com", followup=True), moderator, django_capture_on_commit_callbacks
    )
    link = unsubscribe_link(next(m for m in mail.outbox if m.to == ["author.canary@example.com"]))
    assert not any(b"author.canary" in blob for blob in decodings(link.split("/")[-2]))


def test_a_subscription_from_before_keys_gets_one_with_its_next_mail(
    client, article, moderator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    early = approve(create(article, email="early@example.com", followup=True), moderator, capture)
    ArticleComment.objects.filter(pk=early.pk).update(unsubscribe_key=None)  # as the migration left it
    mail.outbox.clear()
    approve(create(article, email="b@example.com", parent=early), moderator, capture)
    link = unsubscribe_link(next(m for m in mail.outbox if m.to == ["early@example.com"]))
    assert ArticleComment.objects.get(pk=early.pk).unsubscribe_key in link
    assert client.post(link).status_code == 200
    assert not ArticleComment.objects.get(pk=early.pk).followup


def test_links_sent_before_keys_keep_working_until_they_expire(
    client, article, moderator, django_capture_on_commit_callbacks
):
    follower = approve(
        create(article, email="early@example.com", followup=True), moderator, django_capture_on_commit_callbacks
    )
    old = signing.dumps({"e": "early@example.com", "a": article.pk}, salt="comments.unsubscribe", compress=True)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 91 * 24 * 3600):
        assert client.post(f"/comments/unsubscribe/{old}/").status_code == 400
    assert ArticleComment.objects.get(pk=follower.pk).followup
    assert client.get(f"/comments/unsubscribe/{old}/").status_code == 200
    assert client.post(f"/comments/unsubscribe/{old}/").status_code == 200
    assert not ArticleComment.objects.get(pk=follower.pk).followup


def test_tampered_forged_expired_and_erased_links_are_a_400_page(
    client, article, moderator, django_capture_on_commit_callbacks
):
    follower, link = followed_link(article, moderator, django_capture_on_commit_callbacks, "follower@example.com")
    token = link.split("/")[-2]
    key, stamp, signature = token.split(":")
    forged = [
        f"{token}x",
        f"{key[:-1]}{'B' if key.endswith('A') else 'A'}:{stamp}:{signature}",  # another key, the old signature
        signing.TimestampSigner(salt="another.salt").sign(key),
        signing.dumps({"e": "victim@example.com", "a": article.pk}, salt="another.salt"),
        signing.dumps(["not", "a", "dict"], salt="comments.unsubscribe"),
        "é" * 40,
        "x" * 4000,
        ":::",
    ]
    for bad in forged:
        for method in (client.get, client.post):
            response = method(f"/comments/unsubscribe/{bad}/")
            assert response.status_code == 400, bad
            assert b"This link is invalid or has expired" in response.content
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 91 * 24 * 3600):
        assert client.post(link).status_code == 400
    assert ArticleComment.objects.get(pk=follower.pk).followup

    comments_erase(email="follower@example.com")
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400


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
