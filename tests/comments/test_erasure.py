"""Erasing a commenter's data on request (``comments.services.comments_erase``, ``manage.py comments_erase``).

What a reader sees is read through the public response cache, as an anonymous reader would: the
erased name and text must be gone from the thread, the article page and its API detail at once,
from the app's cache and from the HTTP cache in front of it (purged), and nowhere else either.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient
from wagtail.models import APIToken, ModelLogEntry

from comments.models import ArticleComment, CommentReport, CommentStatus, ModerationSettings
from comments.services import (
    InvalidTransition,
    comment_approve,
    comment_create,
    comment_reject,
    comments_erase,
    report_create,
)
from tests.webhook_receiver import SECRET, payload

pytestmark = pytest.mark.django_db

EMAIL = "Lea.Verity@Leaver.example"
NAME = "Lea Verity-4e1b"
TEXT = "Goodbye words 9c2d"
WEBSITE = "https://lea-verity-site.example/"
ADDRESS = "198.51.100.23"
PRIVATE = [EMAIL, EMAIL.lower(), "leaver.example", NAME, TEXT, "lea-verity-site", "198.51.100."]


@pytest.fixture
def hooks(settings, receiver):
    settings.WEBHOOK_URLS = [receiver.url("/hook")]
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    return settings


@pytest.fixture
def leaver(article, moderator):
    """The leaver's approved comment under an open report, a reply to it by someone else, and the
    leaver's pending and rejected comments; ``(approved, reply, pending, rejected)``. Each of the
    leaver's was held for the e-mail domain, a reason that names it."""
    rules = ModerationSettings.load()
    rules.blocked_email_domains = "leaver.example"
    rules.save()

    def post(body, *, email=EMAIL, name=NAME, url=WEBSITE, parent=None, client_ip=ADDRESS):
        return comment_create(
            article=article,
            parent=parent,
            name=name,
            email=email,
            url=url,
            body=body,
            followup=True,
            client_ip=client_ip,
        )

    approved = comment_approve(comment=post(TEXT), moderator=moderator)[0]
    reply = post(
        "A reply that stays", email="stayer@example.com", name="Stayer", url="", parent=approved, client_ip="192.0.2.1"
    )
    reply = comment_approve(comment=reply, moderator=moderator)[0]
    pending = post(f"{TEXT} (pending)")
    rejected = comment_reject(comment=post(f"{TEXT} (rejected)"), moderator=moderator)[0]
    report_create(comment=approved, reason="privacy", detail="Please have a look")
    return approved, reply, pending, rejected


def public_urls(article):
    return [f"/api/comments/?page={article.pk}", article.url, f"/api/v2/pages/{article.pk}/"]


def assert_nothing_private(content, where):
    text = content.decode() if isinstance(content, bytes) else content
    for secret in PRIVATE:
        assert secret.lower() not in text.lower(), f"{secret!r} in {where}"


def read_through_the_cache(client, article, cached_twice):
    """Every public URL read twice (the second a cache HIT); the leaver's comment is shown."""
    thread, page, detail = (cached_twice(client, url) for url in public_urls(article))
    for response in (thread, page):
        assert NAME.encode() in response.content and TEXT.encode() in response.content
    assert detail.json()["comments"]["count"] == 2


def assert_erased_everywhere_public(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "MISS", url  # the cached copy was invalidated
        assert_nothing_private(response.content, url)
    thread = client.get(f"/api/comments/?page={article.pk}").json()
    (root,) = thread["results"]
    assert root["removed"] and root["name"] == root["body"] == root["url"] == ""
    assert [reply["body"] for reply in root["replies"]] == ["A reply that stays"]
    page = client.get(article.url).content
    assert b"Comment removed." in page and b"A reply that stays" in page
    assert client.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 1


def test_erasure_takes_the_comments_off_every_cached_response_at_once(
    client, committed, purged, hooks, receiver, article, leaver, moderator, cached_twice
):
    approved, reply, pending, rejected = leaver
    read_through_the_cache(client, article, cached_twice)
    receiver.requests.clear()

    erased = committed(comments_erase, email=EMAIL.upper(), actor=moderator)

    assert erased == 3
    assert_erased_everywhere_public(client, article)
    # The HTTP cache in front of the app (nginx, a CDN) was told to forget the same URLs.
    assert {f"http://testserver{url}" for url in public_urls(article)} <= set(purged)
    assert not CommentReport.objects.filter(comment=approved, resolved=False).exists()
    # The approved comment left the public thread: a frontend hears of it as of a removal. The
    # pending and rejected ones were never public: nothing to tell.
    assert [payload(request)["event"] for request in receiver.requests] == ["comment.removed"]
    (request,) = receiver.requests
    assert payload(request)["data"]["id"] == approved.pk
    assert_nothing_private(request.body, "the webhook")


def test_what_erasure_leaves_of_each_field(committed, article, leaver, moderator):
    approved, reply, pending, rejected = leaver
    committed(comments_erase, email=EMAIL, actor=moderator)

    for before in (approved, pending, rejected):
        assert before.held_reasons == ["Blocked e-mail domain: leaver.example"]
        comment = ArticleComment.objects.get(pk=before.pk)
        assert comment.user_name == "[erased]"
        assert comment.user_email == comment.user_url == comment.comment == ""
        assert comment.ip_address is None and comment.user_id is None
        assert comment.followup is False and comment.held_reasons == []
        assert comment.status == CommentStatus.REMOVED
        assert comment.is_public is False and comment.is_removed is True
        # Where it sits in its thread is kept, so that the replies below it stay in place.
        assert (comment.thread_id, comment.level, comment.order) == (before.thread_id, before.level, before.order)
        assert comment.submit_date == before.submit_date and comment.article_id == article.pk
        entries = ModelLogEntry.objects.for_instance(comment)
        erasure = entries.get(action="comments.erase")
        assert erasure.user == moderator
        assert erasure.data == {"from": before.status, "to": CommentStatus.REMOVED}
        for entry in entries:  # the audit log's labels quoted the name and the text
            assert_nothing_private(f"{entry.label} {entry.data}", f"log entry {entry.action}")
    # Someone else's reply is untouched.
    kept = ArticleComment.objects.get(pk=reply.pk)
    assert kept.user_email == "stayer@example.com" and kept.followup and kept.status == CommentStatus.APPROVED
    assert not ArticleComment.objects.filter(user_email__iexact=EMAIL).exists()


def test_an_erased_comment_cannot_be_published_again(committed, article, leaver, moderator):
    _, _, pending, rejected = leaver
    committed(comments_erase, email=EMAIL)
    for comment in (pending, rejected):
        with pytest.raises(InvalidTransition):
            comment_approve(comment=comment, moderator=moderator)
        assert ArticleComment.objects.get(pk=comment.pk).status == CommentStatus.REMOVED


def test_moderators_see_nothing_erased_either(client, committed, article, leaver, moderator):
    approved, *_ = leaver
    committed(comments_erase, email=EMAIL)
    _, token = APIToken.create_token(user=moderator, name="test")
    mod_api = APIClient()
    mod_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.force_login(moderator)
    for reader, url in [
        (mod_api, "/api/moderation/comments/?status=removed"),
        (mod_api, f"/api/moderation/comments/{approved.pk}/history/"),
        (client, "/admin/comments/?status=removed"),
        (client, f"/admin/comments/{approved.pk}/history/"),
    ]:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert_nothing_private(response.content, url)
    queue = mod_api.get("/api/moderation/comments/?status=removed").json()["results"]
    assert len(queue) == 3 and {item["name"] for item in queue} == {"[erased]"}


def test_erasing_again_changes_nothing_and_a_blank_address_is_refused(committed, article, leaver):
    assert committed(comments_erase, email=EMAIL) == 3
    entries = ModelLogEntry.objects.count()
    assert committed(comments_erase, email=EMAIL) == 0
    assert ModelLogEntry.objects.count() == entries
    for blank in ("", "   "):
        with pytest.raises(ValueError, match="e-mail address"):
            comments_erase(email=blank)


def test_erasure_works_in_batches_and_reports_progress(committed, article, leaver):
    seen = []
    assert committed(comments_erase, email=EMAIL, batch_size=2, progress=seen.append) == 3
    assert seen == [2, 3]


# --- the command ------------------------------------------------------------------------------------
def test_the_command_erases_through_the_service(
    client, django_capture_on_commit_callbacks, purged, hooks, receiver, article, leaver, cached_twice
):
    read_through_the_cache(client, article, cached_twice)
    receiver.requests.clear()
    with pytest.raises(CommandError, match="--yes"):  # stdin is not a terminal under pytest
        call_command("comments_erase", EMAIL)
    assert client.get(article.url)["X-Cache"] == "HIT"  # nothing happened

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("comments_erase", EMAIL.lower(), "--yes", stdout=out)

    assert "Erased the personal data of 3 comments." in out.getvalue()
    assert_erased_everywhere_public(client, article)
    assert {f"http://testserver{url}" for url in public_urls(article)} <= set(purged)
    assert not CommentReport.objects.filter(resolved=False).exists()
    assert [payload(request)["event"] for request in receiver.requests] == ["comment.removed"]

    again = io.StringIO()
    call_command("comments_erase", EMAIL, "--yes", stdout=again)
    assert again.getvalue().strip() == "No comments with that address."


def test_the_command_counts_its_progress(django_capture_on_commit_callbacks, article, leaver, moderator):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("comments_erase", EMAIL, "--yes", "--batch-size", "2", "--actor", moderator.username, stdout=out)
    assert re.findall(r"Erased (\d+) of 3", out.getvalue()) == ["2", "3"]
    erasures = ModelLogEntry.objects.filter(action="comments.erase")
    assert erasures.count() == 3 and {entry.user for entry in erasures} == {moderator}
    with pytest.raises(CommandError, match="nobody"):
        call_command("comments_erase", EMAIL, "--yes", "--actor", "nobody")
    with pytest.raises(CommandError, match="e-mail address"):
        call_command("comments_erase", " ", "--yes")
