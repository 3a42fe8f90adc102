"""Alerts where moderators are: ``comment.pending`` and ``comment.reported`` webhooks, and the digest
e-mail that replaces one mail per comment."""

import time

import pytest
from django.core import mail

from cms import scheduler
from comments.digest import send_digest
from comments.models import BlockedSender
from comments.services import comment_create, report_create
from core.factories import UserFactory
from tests.webhook_receiver import SECRET, payload
from webhooks import delivery
from webhooks.delivery import verify_signature

pytestmark = pytest.mark.django_db
PRIVATE = ["reader@example.com", "Alert Reader", "198.51.100", "203.0.113", "Secret words", "Reporter's detail"]


@pytest.fixture
def hooks(settings, receiver):
    settings.WEBHOOK_URLS = [receiver.url("/build")]
    settings.WEBHOOK_MODERATION_URLS = [receiver.url("/moderators")]
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_TIMEOUT = 2
    return settings


@pytest.fixture
def digest(settings):
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 15
    return settings


def post(committed, article, *, body="Secret words of a pending comment", email="reader@example.com"):
    return committed(
        comment_create,
        article=article,
        parent=None,
        name="Alert Reader",
        email=email,
        body=body,
        client_ip="198.51.100.7",
    )


def assert_private_data_absent(raw):
    text = raw.decode()
    for value in PRIVATE:
        assert value not in text


def test_a_new_comment_sends_comment_pending_to_the_moderators_urls_only(hooks, receiver, article, committed):
    comment = post(committed, article)
    assert [request.path for request in receiver.requests] == ["/moderators"]
    request = receiver.requests[0]
    headers = request.headers
    assert verify_signature(SECRET, headers["X-CMS-Timestamp"], request.body, headers["X-CMS-Signature"])
    body = payload(request)
    assert body["event"] == "comment.pending" and request.headers["X-CMS-Event"] == "comment.pending"
    assert body["data"] == {
        "id": comment.pk,
        "page": article.pk,
        "page_url": article.get_full_url(),
        "thread_url": f"http://testserver/api/comments/?page={article.pk}".replace(
            "http://testserver", hooks.WAGTAILAPI_BASE_URL.rstrip("/")
        ),
        "status": "pending",
        "held": False,
        "queue_url": hooks.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/comments/",
        "history_url": hooks.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/admin/comments/{comment.pk}/history/",
    }
    assert_private_data_absent(request.body)


def test_a_held_comment_says_held_but_not_why(hooks, receiver, article, committed):
    BlockedSender.objects.create(kind="email", value="reader@example.com", action="hold")
    post(committed, article)
    assert payload(receiver.requests[0])["data"]["held"] is True
    assert b"lock" not in receiver.requests[0].body


def test_a_report_sends_comment_reported_with_the_reason_code_only(hooks, receiver, article, make_comment, committed):
    comment = make_comment(article, email="reader@example.com", name="Alert Reader")
    receiver.clear()
    committed(report_create, comment=comment, reason="abuse", detail="Reporter's detail")
    committed(report_create, comment=comment, reason="spam")
    assert [payload(r)["event"] for r in receiver.requests] == ["comment.reported", "comment.reported"]
    assert {r.path for r in receiver.requests} == {"/moderators"}
    first, second = (payload(r)["data"] for r in receiver.requests)
    assert (first["id"], first["reason"], first["open_reports"]) == (comment.pk, "abuse", 1)
    assert (second["reason"], second["open_reports"]) == ("spam", 2)
    assert first["queue_url"].endswith("/admin/comments/?reported=1")
    for request in receiver.requests:
        assert_private_data_absent(request.body)


def test_without_moderation_urls_nothing_is_sent_not_even_to_the_build_hooks(
    hooks, receiver, article, make_comment, committed
):
    hooks.WEBHOOK_MODERATION_URLS = []
    published = make_comment(article)
    post(committed, article)
    committed(report_create, comment=published, reason="spam")
    assert receiver.requests == []


def test_moderation_urls_without_a_secret_fail_the_system_check(settings):
    settings.WEBHOOK_URLS = []
    settings.WEBHOOK_MODERATION_URLS = ["https://chat.example/hook"]
    settings.WEBHOOK_SECRET = ""
    assert [error.id for error in delivery.check_settings()] == ["webhooks.E101"]


# --- the digest -----------------------------------------------------------------------------------
def test_the_digest_mails_each_moderator_once_with_the_new_and_reported_comments(
    digest, article, moderator, editor, make_comment, committed
):
    other = UserFactory(username="mod2", email="mod2@example.com", groups=["Moderators"])
    published = make_comment(article, body="Published then reported")
    first = post(committed, article, body="First waiting comment")
    post(committed, article, body="Second waiting comment")
    committed(report_create, comment=published, reason="abuse")
    committed(report_create, comment=published, reason="spam")  # one line for the comment, not two
    assert mail.outbox == []  # no mail per comment while the digest is on

    # 4: the published comment was pending once too (approved since: not listed as pending)
    assert send_digest() == "4 alert(s) in a digest to 2 moderator(s)"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([moderator.email, other.email])
    for message in mail.outbox:
        assert message.subject == "Comments for moderation: 2 new, 1 reported"
        assert message.body.count("First waiting comment") == 1 and "Second waiting comment" in message.body
        assert message.body.count("Published then reported") == 1
        assert f"/admin/comments/{first.pk}/history/" in message.body
        assert "/admin/comments/" in message.body and "reported=1" in message.body
        assert "reader@example.com" not in message.body and "someone@example.com" not in message.body

    mail.outbox.clear()
    assert send_digest() == "nothing new for the moderators"
    assert mail.outbox == []
    committed(report_create, comment=published, reason="other")  # reported again: already told
    post(committed, article, body="Third waiting comment")
    send_digest()
    assert len(mail.outbox) == 2
    assert "Third waiting comment" in mail.outbox[0].body
    assert "First waiting comment" not in mail.outbox[0].body and "Published then reported" not in mail.outbox[0].body


def test_a_comment_moderated_before_the_digest_is_not_in_it(digest, article, moderator, committed):
    from comments.services import comment_approve

    comment = post(committed, article, body="Handled already")
    comment_approve(comment=comment, moderator=moderator)
    send_digest()
    assert mail.outbox == []


def test_per_comment_mails_without_the_digest_and_none_with_it(settings, article, moderator, committed):
    post(committed, article, body="Mailed at once")
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    mail.outbox.clear()
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 5
    post(committed, article, body="Waits for the digest")
    assert mail.outbox == []


def test_the_scheduler_runs_the_digest_every_n_minutes_once_per_slot(digest, article, moderator, committed):
    job = {found.name: found for found in scheduler.jobs()}["comments_moderator_digest"]
    assert job.period == 15 * 60
    post(committed, article, body="Scheduled digest comment")
    now = (time.time() // job.period) * job.period
    lines = []
    assert scheduler.run_job(job, now=now, write=lines.append) == "ran"
    assert scheduler.run_job(job, now=now + 5, write=lines.append) == "skipped"  # another server's slot
    assert len(mail.outbox) == 1 and "Scheduled digest comment" in mail.outbox[0].body
    assert "1 alert(s) in a digest to 1 moderator(s)" in lines[0]


def test_without_the_digest_setting_there_is_no_digest_job(settings):
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 0
    assert "comments_moderator_digest" not in [found.name for found in scheduler.jobs()]
