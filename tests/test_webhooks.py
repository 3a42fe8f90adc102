"""Signed webhooks (webhooks/delivery.py), delivered to a real HTTP server on 127.0.0.1.

Nothing of the HTTP layer is mocked: a ThreadingHTTPServer records every request and answers what
a test tells it to. The tests use the ImmediateBackend (a retry runs at once, since that backend
cannot defer), except one that uses django-tasks-db's DatabaseBackend and its worker to check the
delay a retry waits in production.
"""

import datetime
import logging
import socket
import time
import types
import uuid

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from comments.services import comment_approve, comment_mark_spam, comment_reject, comment_remove
from tests.webhook_receiver import SECRET, payload
from webhooks import delivery as webhooks
from webhooks.delivery import verify_signature


@pytest.fixture
def hooks(settings, receiver, index):
    """Two configured URLs with production's delays: the ImmediateBackend runs retries at once."""
    settings.WEBHOOK_URLS = [receiver.url("/a"), receiver.url("/b")]
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_TIMEOUT = 2
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    settings.WEBHOOK_RETRY_DELAYS = [10, 60, 300, 1800]
    return settings


@pytest.fixture
def one_hook(hooks, receiver):
    hooks.WEBHOOK_URLS = [receiver.url("/a")]
    return hooks


@pytest.fixture
def publish(index, django_capture_on_commit_callbacks):
    def build(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return ArticlePageFactory(parent=index, **fields)

    return build


def assert_signed(request, now=None):
    headers = request.headers
    assert headers["X-CMS-Signature"].startswith("sha256=")
    assert verify_signature(SECRET, headers["X-CMS-Timestamp"], request.body, headers["X-CMS-Signature"], now=now)


# --- Pages ----------------------------------------------------------------------------------------


def test_publishing_an_article_sends_a_signed_page_published_to_every_url(hooks, receiver, publish):
    before = timezone.now().replace(microsecond=0)
    article = publish(title="Fresh news", intro="Secret intro text")

    assert [r.path for r in receiver.requests] == ["/a", "/b"]
    first, second = receiver.requests
    assert first.body == second.body  # one event, the same body and delivery id for every URL
    body = payload(first)
    assert set(body) == {"id", "event", "created", "data"}
    assert uuid.UUID(body["id"]).version == 4
    assert body["event"] == "page.published"
    assert body["created"].endswith("Z")
    assert datetime.datetime.fromisoformat(body["created"]) >= before
    assert body["data"] == {
        "id": article.pk,
        "type": "articles.ArticlePage",
        "title": "Fresh news",
        "url": article.get_full_url(),
        "api_url": f"http://testserver/api/v2/pages/{article.pk}/",
    }
    assert body["data"]["url"].startswith("http")
    assert b"Secret intro text" not in first.body
    for request in receiver.requests:
        assert request.headers["X-CMS-Event"] == "page.published"
        assert request.headers["X-CMS-Delivery"] == body["id"]
        assert request.headers["Content-Type"] == "application/json"
        assert abs(int(request.headers["X-CMS-Timestamp"]) - time.time()) < 60
        assert_signed(request)


def test_unpublishing_sends_page_unpublished_with_the_live_title_not_the_draft(hooks, receiver, publish, committed):
    article = publish(title="Live title")
    receiver.requests.clear()
    article.title = "Unpublished draft title"
    article.intro = "Draft intro"
    committed(article.save_revision)
    assert receiver.requests == []  # saving a draft sends nothing

    committed(ArticlePage.objects.get(pk=article.pk).unpublish)  # as the admin does: the stored page

    assert [r.path for r in receiver.requests] == ["/a", "/b"]
    body = payload(receiver.requests[0])
    assert body["event"] == "page.unpublished"
    assert body["data"]["id"] == article.pk
    assert body["data"]["title"] == "Live title"
    assert b"draft" not in receiver.requests[0].body.lower()
    assert_signed(receiver.requests[0])


def test_deleting_a_live_page_sends_page_unpublished(one_hook, receiver, publish, committed):
    article = publish(title="Going away")
    receiver.requests.clear()
    page_id = article.pk

    committed(article.delete)

    assert [payload(r)["event"] for r in receiver.requests] == ["page.unpublished"]
    assert payload(receiver.requests[0])["data"]["id"] == page_id


def test_pages_behind_a_view_restriction_send_nothing(one_hook, receiver, index, committed):
    article = ArticlePageFactory(parent=index, publish=False, title="Members only")
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="pw")
    receiver.requests.clear()

    committed(article.save_revision().publish)

    assert receiver.requests == []


def test_nothing_is_sent_when_no_url_is_configured(settings, receiver, publish):
    settings.WEBHOOK_SECRET = SECRET
    publish()
    assert receiver.requests == []


def test_urls_without_a_secret_send_nothing_and_fail_the_system_check(settings, receiver, publish, caplog):
    settings.WEBHOOK_URLS = [receiver.url("/a")]
    settings.WEBHOOK_SECRET = ""
    webhooks._refusal_logged = False

    with caplog.at_level(logging.ERROR, logger="webhooks.delivery"):
        publish()
        publish()

    assert receiver.requests == []
    assert [r.message for r in caplog.records].count(
        "WEBHOOK_URLS is set but WEBHOOK_SECRET is empty: no webhook is sent."
    ) == 1
    assert [error.id for error in webhooks.check_settings()] == ["webhooks.E101"]


def test_system_check(settings):
    settings.WEBHOOK_URLS = []
    settings.WEBHOOK_SECRET = ""
    assert webhooks.check_settings() == []
    settings.WEBHOOK_URLS = ["https://hooks.example/build", "ftp://hooks.example/x", "not a url"]
    settings.WEBHOOK_SECRET = "short"
    settings.WEBHOOK_MAX_ATTEMPTS = 0
    assert [error.id for error in webhooks.check_settings()] == [
        "webhooks.W101",
        "webhooks.E102",
        "webhooks.E102",
        "webhooks.E103",
    ]
    settings.WEBHOOK_URLS = ["https://hooks.example/build"]
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    assert webhooks.check_settings() == []


# --- Comments -------------------------------------------------------------------------------------

PRIVATE = ("private.person@example.com", "Private Person", "Private words nobody may read", "203.0.113")


@pytest.fixture
def article(hooks, receiver, publish):
    page = publish(title="Commented")
    receiver.requests.clear()
    return page


@pytest.fixture
def pending(article, make_comment, committed):
    email, name, text, _ = PRIVATE
    comment = committed(make_comment, article, approve=False, email=email, name=name, body=text)
    return comment


def assert_private_nothing(request):
    raw = request.body.decode().lower()
    for secret in PRIVATE:
        assert secret.lower() not in raw
    assert "private" not in raw


def test_a_pending_comment_sends_nothing(pending, receiver):
    assert receiver.requests == []


def test_approving_a_comment_sends_comment_approved_without_private_data(
    pending, article, moderator, receiver, committed
):
    committed(comment_approve, comment=pending, moderator=moderator)

    assert [r.path for r in receiver.requests] == ["/a", "/b"]
    body = payload(receiver.requests[0])
    assert body["event"] == "comment.approved"
    assert body["data"] == {
        "id": pending.pk,
        "page": article.pk,
        "page_url": article.get_full_url(),
        "thread_url": f"http://testserver/api/comments/?page={article.pk}",
    }
    for request in receiver.requests:
        assert request.headers["X-CMS-Event"] == "comment.approved"
        assert_signed(request)
        assert_private_nothing(request)


def test_removing_an_approved_comment_sends_comment_removed(pending, moderator, receiver, committed):
    committed(comment_approve, comment=pending, moderator=moderator)
    receiver.requests.clear()

    committed(comment_remove, comment=pending, moderator=moderator)

    assert [payload(r)["event"] for r in receiver.requests] == ["comment.removed", "comment.removed"]
    assert payload(receiver.requests[0])["data"]["id"] == pending.pk
    for request in receiver.requests:
        assert_signed(request)
        assert_private_nothing(request)


def test_rejecting_a_comment_sends_nothing(pending, moderator, receiver, committed):
    _, changed = committed(comment_reject, comment=pending, moderator=moderator)
    assert changed
    assert receiver.requests == []


def test_spam_sends_comment_removed_only_when_the_comment_was_public(
    pending, make_comment, article, moderator, receiver, committed
):
    committed(comment_mark_spam, comment=pending, moderator=moderator)  # pending -> spam: never public
    assert receiver.requests == []

    shown = committed(make_comment, article)  # approved
    receiver.requests.clear()
    committed(comment_mark_spam, comment=shown, moderator=moderator)  # approved -> spam: leaves the thread
    assert [payload(r)["event"] for r in receiver.requests] == ["comment.removed", "comment.removed"]


def test_repeating_an_approval_sends_nothing_more(pending, moderator, receiver, committed):
    committed(comment_approve, comment=pending, moderator=moderator)
    receiver.requests.clear()
    _, changed = committed(comment_approve, comment=pending, moderator=moderator)
    assert not changed
    assert receiver.requests == []


def test_comments_on_an_unpublished_article_send_nothing(pending, article, moderator, receiver, committed):
    committed(article.unpublish)
    receiver.requests.clear()
    committed(comment_approve, comment=pending, moderator=moderator)
    assert receiver.requests == []


# --- Delivery and retries -------------------------------------------------------------------------


@pytest.fixture
def ticking_clock(monkeypatch):
    """``time.time`` in webhooks.delivery moves 7 s per call, so each attempt's timestamp is new."""
    start = int(time.time())
    ticks = iter(range(0, 10_000, 7))
    monkeypatch.setattr(webhooks, "time", types.SimpleNamespace(time=lambda: start + next(ticks)))
    return start


def test_a_receiver_failing_twice_gets_the_same_delivery_on_the_third_attempt(
    one_hook, receiver, publish, ticking_clock
):
    receiver.answer(500, times=2)

    publish(title="Retried")

    assert len(receiver.requests) == 3
    deliveries = {r.headers["X-CMS-Delivery"] for r in receiver.requests}
    assert len(deliveries) == 1
    assert {r.body for r in receiver.requests} == {receiver.requests[0].body}
    timestamps = [int(r.headers["X-CMS-Timestamp"]) for r in receiver.requests]
    assert timestamps == sorted(set(timestamps))  # a fresh timestamp on each attempt
    assert len({r.headers["X-CMS-Signature"] for r in receiver.requests}) == 3
    for request in receiver.requests:
        assert_signed(request, now=int(request.headers["X-CMS-Timestamp"]))


def test_429_and_timeouts_are_retried(one_hook, receiver, publish):
    one_hook.WEBHOOK_TIMEOUT = 0.3
    receiver.answer(429)
    receiver.answer(200, delay=1)  # answered too late: a timeout
    publish()
    assert len(receiver.requests) == 3
    assert len({r.headers["X-CMS-Delivery"] for r in receiver.requests}) == 1


@pytest.mark.parametrize("status", [400, 404, 410, 302])
def test_a_refusal_is_not_retried(one_hook, receiver, publish, caplog, status):
    receiver.answer(status, headers={"Location": "/elsewhere"} if status == 302 else None)
    with caplog.at_level(logging.ERROR, logger="webhooks.delivery"):
        publish()
    assert [r.path for r in receiver.requests] == ["/a"]  # no retry, and no redirect followed
    assert any("not retried" in r.message for r in caplog.records)


def test_delivery_stops_after_max_attempts(one_hook, receiver, publish, caplog):
    one_hook.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answer(503, times=10)
    with caplog.at_level(logging.WARNING, logger="webhooks.delivery"):
        publish()
    assert len(receiver.requests) == 3
    giving_up = [r for r in caplog.records if "giving up" in r.message]
    assert len(giving_up) == 1 and giving_up[0].levelno == logging.ERROR
    assert receiver.url() not in caplog.text  # logs name the host, never a hook's full URL


def test_an_unreachable_receiver_is_retried_then_given_up(settings, hooks, caplog):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.WEBHOOK_URLS = [f"http://127.0.0.1:{port}/hook"]
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with caplog.at_level(logging.WARNING, logger="webhooks.delivery"):
        webhooks.send_event("page.published", {"id": 1})
    assert sum("retrying" in r.message for r in caplog.records) == 1
    assert sum("giving up" in r.message for r in caplog.records) == 1


def test_a_url_no_longer_configured_is_dropped(one_hook, receiver):
    delivery_id, body = webhooks.build_body("page.published", {"id": 1})
    result = webhooks.deliver_webhook.enqueue(receiver.url("/removed"), body, "page.published", delivery_id)
    assert result.return_value == {"status": "dropped", "attempt": 1}
    assert receiver.requests == []


def test_retry_delays(settings):
    settings.WEBHOOK_RETRY_DELAYS = [10, 60, 300, 1800]
    assert [webhooks.retry_delay(attempt) for attempt in range(2, 8)] == [10, 60, 300, 1800, 1800, 1800]


def test_the_database_backend_defers_each_retry(one_hook, receiver, publish):
    """Production's path: the publish only stores a task; the worker posts; a retry waits."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    one_hook.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )

    ours = DBTaskResult.objects.filter(task_path="webhooks.delivery.deliver_webhook")

    def run_ready_tasks():
        for row in ours.ready():
            row.claim(worker.worker_id)
            worker.run_task(row)

    receiver.answer(500)
    publish(title="Queued")
    assert receiver.requests == []  # nothing is sent inside the publish
    assert ours.count() == 1
    assert ours.get().priority < 0  # after the cache purges the same publish queued

    started = timezone.now()
    run_ready_tasks()
    assert len(receiver.requests) == 1
    retry = ours.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert started + datetime.timedelta(seconds=9) <= retry.run_after <= timezone.now() + datetime.timedelta(seconds=11)

    run_ready_tasks()  # not due yet
    assert len(receiver.requests) == 1

    ours.filter(pk=retry.pk).update(run_after=timezone.now())  # ten seconds later
    run_ready_tasks()
    assert len(receiver.requests) == 2
    assert receiver.requests[0].headers["X-CMS-Delivery"] == receiver.requests[1].headers["X-CMS-Delivery"]
    assert ours.get(pk=retry.pk).return_value["status"] == "delivered"
    assert_signed(receiver.requests[1])


# --- verify_signature -----------------------------------------------------------------------------


def signed(body=b'{"event":"page.published"}', secret=SECRET, timestamp=1_767_225_600):
    headers = webhooks.signed_headers(secret, body.decode(), "page.published", "d", timestamp=timestamp)
    return str(timestamp), body, headers["X-CMS-Signature"]


def test_verify_signature_accepts_a_genuine_request():
    timestamp, body, signature = signed()
    assert verify_signature(SECRET, timestamp, body, signature, now=int(timestamp) + 10)
    assert verify_signature(SECRET.encode(), int(timestamp), body, signature, now=int(timestamp))


def test_verify_signature_refuses_a_tampered_body():
    timestamp, body, signature = signed()
    assert not verify_signature(
        SECRET, timestamp, body.replace(b"published", b"unpublished"), signature, now=int(timestamp)
    )


def test_verify_signature_refuses_a_wrong_secret():
    timestamp, body, signature = signed(secret="another-secret-another-secret-another")
    assert not verify_signature(SECRET, timestamp, body, signature, now=int(timestamp))


def test_verify_signature_refuses_an_old_or_future_timestamp():
    timestamp, body, signature = signed()
    sent = int(timestamp)
    assert verify_signature(SECRET, timestamp, body, signature, now=sent + 300)
    assert not verify_signature(SECRET, timestamp, body, signature, now=sent + 301)
    assert not verify_signature(SECRET, timestamp, body, signature, now=sent + 61, tolerance=60)
    assert not verify_signature(SECRET, timestamp, body, signature, now=sent - 301)


def test_verify_signature_refuses_a_changed_timestamp_and_garbage():
    timestamp, body, signature = signed()
    sent = int(timestamp)
    assert not verify_signature(SECRET, str(sent + 1), body, signature, now=sent)
    assert not verify_signature(SECRET, "not-a-number", body, signature, now=sent)
    assert not verify_signature(SECRET, timestamp, body, signature.removeprefix("sha256="), now=sent)
    assert not verify_signature(SECRET, timestamp, body, "sha256=ünïcode", now=sent)
    assert not verify_signature(SECRET, timestamp, body, "", now=sent)
    assert not verify_signature("", timestamp, body, signature, now=sent)
