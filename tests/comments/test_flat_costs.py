"""Flat costs: stored thread counts, the duplicate rule's index, bulk moderation in constant queries."""

import io
import itertools

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from bench.seeding import seed_threads
from comments import counts
from comments.models import ArticleComment, ArticleCommentCounts, CommentStatus, PublicThread
from comments.services import (
    comment_approve,
    comment_create,
    comment_remove,
    comments_bulk,
    comments_erase,
)
from comments.tasks import notify_approval, notify_approvals
from core import cache
from tests.webhook_receiver import SECRET
from webhooks.delivery import deliver_webhook

pytestmark = pytest.mark.django_db


def thread(api, article):
    data = api.get("/api/comments/", {"page": article.pk}).json()
    return data["count"], [t["id"] for t in data["results"]]


def assert_counts_true(*articles):
    """The stored counts are what the rows say (a recount fixes nothing) and the API reports them."""
    assert counts.recount([a.pk for a in articles]) == []


BODIES = itertools.count()


def post(article, n, parent=None, email=None):
    return comment_create(
        article=article,
        parent=parent,
        name=f"Reader {n}",
        email=email or f"r{n}@example.com",
        body=f"Words {n}, {next(BODIES)}",
        client_ip=f"198.51.100.{n}",
        followup=True,
    )


def test_counts_follow_every_change_of_state(api, article_factory, moderator, committed):
    article = article_factory()
    root = post(article, 1)
    assert thread(api, article) == (0, [])  # a pending comment changes nothing public
    reply = post(article, 2, parent=committed(comment_approve, comment=root, moderator=moderator)[0])
    committed(comment_approve, comment=reply, moderator=moderator)
    assert counts.stored(article.pk) == (2, 1)
    committed(comment_remove, comment=root, moderator=moderator)  # the thread stays, under a placeholder
    assert counts.stored(article.pk) == (1, 1) and thread(api, article) == (1, [root.pk])
    committed(comments_bulk, ids=[reply.pk], action="spam", moderator=moderator)
    assert counts.stored(article.pk) == (0, 0) and thread(api, article) == (0, [])
    other = post(article, 3, email="leaver@example.com")
    committed(comment_approve, comment=other, moderator=moderator)
    assert counts.stored(article.pk) == (1, 1)
    committed(comments_erase, email="leaver@example.com")
    assert counts.stored(article.pk) == (0, 0)
    assert_counts_true(article)


def test_a_bulk_action_over_threads_and_articles_keeps_the_counts(api, article_factory, moderator, committed):
    first, second = article_factory(), article_factory()
    comments = []
    for n, article in enumerate([first, first, second]):
        root = comment_approve(comment=post(article, n), moderator=moderator)[0]
        comments += [root, *(post(article, 10 * n + k, parent=root) for k in range(1, 4))]
    pending = [c.pk for c in comments if c.status == CommentStatus.PENDING]
    assert committed(comments_bulk, ids=pending, action="approve", moderator=moderator) == 9
    assert counts.stored(first.pk) == (8, 2) and counts.stored(second.pk) == (4, 1)
    roots = [c.pk for c in comments if c.level == 0]
    assert committed(comments_bulk, ids=roots + pending[:3], action="remove", moderator=moderator) == 6
    assert counts.stored(first.pk) == (3, 1) and thread(api, first)[0] == 1
    assert_counts_true(first, second)


def test_recount_repairs_and_says_what_it_fixed(api, article_factory, committed):
    article, quiet = article_factory(), article_factory()
    seed_threads(article, threads=5, replies=2)
    assert counts.stored(article.pk) == (15, 5)
    ArticleCommentCounts.objects.filter(article=article).update(approved=99, threads=-3)
    assert thread(api, article)[0] == 0  # a drift never shows as a negative count
    out = io.StringIO()
    committed(call_command, "comments_recount", stdout=out)
    assert f"Article {article.pk}: 99 → 15 approved, -3 → 5 threads" in out.getvalue()
    assert "Recounted 2 of 2 articles" in out.getvalue() and "Fixed 1 articles." in out.getvalue()
    assert thread(api, article)[0] == 5 and counts.stored(quiet.pk) == (0, 0)
    out = io.StringIO()
    call_command("comments_recount", "--article", str(article.pk), stdout=out)
    assert out.getvalue().strip() == "Every count was right."
    with pytest.raises(CommandError, match="No article"):
        call_command("comments_recount", "--article", "999999")


def test_the_migration_fills_the_counts_of_existing_comments(article_factory):
    from importlib import import_module

    from django.apps import apps

    article = article_factory()
    seed_threads(article, threads=4, replies=1)
    ArticleCommentCounts.objects.all().delete()
    import_module("comments.migrations.0006_fill_comment_counts_and_duplicate_index").fill(apps, None)
    assert counts.stored(article.pk) == (8, 4)


def test_recount_lists_a_thread_the_page_lost_and_drops_one_it_should_not_list(api, article_factory, committed):
    article = article_factory()
    seed_threads(article, threads=3, replies=1)
    shown = thread(api, article)[1]
    assert len(shown) == 3
    PublicThread.objects.filter(article=article, thread_id=shown[0]).delete()
    hidden = post(article, 7)  # pending: its thread must not be listed
    PublicThread.objects.create(article=article, thread_id=hidden.thread_id)
    cache.clear()
    assert thread(api, article)[1] == shown[1:]  # a drift loses a thread; a pending one never shows anyway
    assert committed(counts.recount, [article.pk]) == [(article.pk, (6, 3), (6, 3))]
    assert thread(api, article)[1] == shown
    assert counts.recount([article.pk]) == []


def test_the_migration_lists_the_threads_of_existing_comments(article_factory):
    from importlib import import_module

    from django.apps import apps

    article = article_factory()
    seed_threads(article, threads=4, replies=1)
    PublicThread.objects.all().delete()
    import_module("comments.migrations.0007_public_threads").fill(apps, None)
    assert PublicThread.objects.filter(article=article).count() == 4
    assert counts.recount([article.pk]) == []


def test_reading_a_thread_counts_nothing_at_any_size(article_factory):
    article = article_factory()
    seed_threads(article, threads=300, replies=2)
    with CaptureQueriesContext(connection) as ctx:
        counts.stored(article.pk)
    assert "COUNT(" not in ctx.captured_queries[0]["sql"].upper()


# --- bulk moderation ------------------------------------------------------------------------------


@pytest.fixture
def queued(settings):
    """Tasks are kept, not run: what a bulk action queues (mails, webhook deliveries) can be counted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend.results


def pending_comments(article_factory, n):
    """``n`` pending comments over three articles, half of them replies, and one approved among them."""
    articles = [article_factory() for _ in range(3)]
    made = []
    for i in range(n):
        article = articles[i % 3]
        parent = made[i - 3] if i >= 3 and i % 2 and made[i - 3].status == CommentStatus.APPROVED else None
        made.append(post(article, i % 250, parent=parent, email=f"r{i}@example.com"))
        if i % 7 == 0:
            made[-1] = comment_approve(comment=made[-1], moderator=None)[0]
    return made


def test_bulk_approve_of_100_costs_the_queries_of_1(article_factory, moderator, settings, receiver, queued, committed):
    settings.WEBHOOK_URLS, settings.WEBHOOK_SECRET = [receiver.url()], SECRET
    cost = {}
    for n in (1, 100):
        comments = pending_comments(article_factory, n + 1)[1:]
        ids, pending = [c.pk for c in comments], sum(c.status == CommentStatus.PENDING for c in comments)
        queued.clear()
        with CaptureQueriesContext(connection) as ctx:
            changed = committed(comments_bulk, ids=ids, action="approve", moderator=moderator)
        assert changed == pending > 0
        cost[n] = len(ctx.captured_queries)
        tasks = [r.task.func for r in queued]
        assert tasks.count(deliver_webhook.func) == changed  # one delivery per approved comment, as one by one
        assert tasks.count(notify_approval.func if changed == 1 else notify_approvals.func) == 1
    assert cost[100] <= 1.2 * cost[1], cost


def snapshot(comments):
    ids = sorted(c.pk for c in comments)
    rows = ArticleComment.objects.filter(pk__in=ids).order_by("pk")
    statuses = [(c.status, c.is_public, c.is_removed, c.moderated_at is not None) for c in rows]
    entries = sorted(
        (e.object_id, e.action, e.label, str(e.data), e.user_id, e.content_type_id)
        for e in ModelLogEntry.objects.filter(object_id__in=[str(i) for i in ids])
    )
    return statuses, entries


def test_bulk_does_what_one_by_one_does(api, article_factory, moderator, receiver, settings, committed):
    settings.WEBHOOK_URLS, settings.WEBHOOK_SECRET = [receiver.url()], SECRET
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    results = {}
    for way in ("one by one", "bulk"):
        comments = pending_comments(article_factory, 12)
        articles = sorted({c.article_id for c in comments})
        before = [api.get("/api/comments/", {"page": pk}).json()["count"] for pk in articles]  # cached now
        mail.outbox.clear()
        receiver.clear()
        ids = [c.pk for c in comments]
        if way == "bulk":
            committed(comments_bulk, ids=ids, action="approve", moderator=moderator)
        else:
            for comment in comments:
                committed(comment_approve, comment=comment, moderator=moderator)
        after = [api.get("/api/comments/", {"page": pk}).json()["count"] for pk in articles]
        position = {pk: i for i, pk in enumerate(ids)}  # the same comment in either run
        statuses, entries = snapshot(comments)
        entries = sorted((position[int(e[0])], *e[1:3][:1], e[3], e[4]) for e in entries)
        hooks = sorted((e["event"], position[e["data"]["id"]]) for e in receiver.events)
        mails = sorted((m.subject.split("“")[0], m.to[0].split("@")[0]) for m in mail.outbox)
        results[way] = (statuses, entries, hooks, mails, [a - b for a, b in zip(after, before, strict=True)])
        assert_counts_true(*[c.article for c in comments])
    assert results["bulk"] == results["one by one"]
    statuses, entries, hooks, mails, grown = results["bulk"]
    assert len(hooks) == 10 and grown == [2, 3, 4] and len(mails) >= 10  # threads appeared, caches forgot
