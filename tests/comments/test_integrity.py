"""No comment is lost and no state is torn, with real concurrent connections on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection, connections
from wagtail.models import ModelLogEntry

from comments import services
from comments.models import ArticleComment, CommentStatus
from core.factories import UserFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL")


def in_threads(calls, workers=16):
    """Run every call from a pool of threads, released together; return results and errors."""
    start = threading.Barrier(workers)
    results, errors = [], []
    lock = threading.Lock()
    queue = list(enumerate(calls))

    def worker():
        try:
            start.wait(timeout=60)
            while True:
                with lock:
                    if not queue:
                        return
                    _, call = queue.pop()
                try:
                    outcome = call()
                except Exception as exc:  # noqa: BLE001 - collected and asserted below
                    with lock:
                        errors.append(exc)
                else:
                    with lock:
                        results.append(outcome)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(worker) for _ in range(workers)]:
            future.result(timeout=600)
    return results, errors


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_comments_and_200_replies_at_once_are_all_stored(article_factory, moderator):
    article = article_factory()
    root = services.comment_create(
        article=article, parent=None, name="Root", email="r@example.com", body="Root", client_ip="192.0.2.1"
    )
    root, _ = services.comment_approve(comment=root, moderator=moderator)

    def post(n, parent):
        return lambda: services.comment_create(
            article=article,
            parent=parent,
            name=f"N{n}",
            email=f"n{n}@example.com",
            body=f"Comment number {n}",
            client_ip=f"198.51.{n // 250}.{n % 250}",
        ).pk

    calls = [post(n, None) for n in range(200)] + [post(n, root) for n in range(200, 400)]
    results, errors = in_threads(calls)
    assert not errors, errors[:3]
    assert len(set(results)) == 400
    assert ArticleComment.objects.filter(article=article).count() == 401
    thread = list(ArticleComment.objects.filter(thread_id=root.pk).order_by("order").values_list("order", flat=True))
    assert thread == list(range(1, 202))
    root.refresh_from_db()
    assert root.nested_count == 200
    tops = ArticleComment.objects.filter(article=article, level=0).exclude(pk=root.pk)
    assert tops.count() == 200 and all(c.thread_id == c.pk and c.order == 1 for c in tops)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_100_approve_reject_races_leave_one_consistent_state(article_factory, moderator):
    second = UserFactory(username="mod2", groups=["Moderators"])
    article = article_factory()
    comments = [
        services.comment_create(
            article=article,
            parent=None,
            name="R",
            email="r@example.com",
            body=f"Race {n}",
            client_ip="192.0.2.9",
        )
        for n in range(100)
    ]

    def act(comment, action, user):
        def call():
            try:
                return comment.pk, services.comment_transition(comment=comment, action=action, moderator=user)[1]
            except services.InvalidTransition:
                return comment.pk, False

        return call

    calls = []
    for comment in comments:
        calls += [act(comment, "approve", moderator), act(comment, "reject", second)]
    results, errors = in_threads(calls)
    assert not errors, errors[:3]
    took_effect = {comment.pk: 0 for comment in comments}
    for pk, changed in results:
        took_effect[pk] += changed

    for comment in ArticleComment.objects.filter(pk__in=[c.pk for c in comments]):
        assert comment.status in {CommentStatus.APPROVED, CommentStatus.REJECTED}
        assert comment.is_public == (comment.status == CommentStatus.APPROVED)
        assert not comment.is_removed
        entries = list(
            ModelLogEntry.objects.for_instance(comment).exclude(action="comments.submit").order_by("timestamp", "pk")
        )
        # One audit entry per action that took effect, chained from pending to the final state.
        assert len(entries) == took_effect[comment.pk] >= 1
        assert entries[0].data["from"] == CommentStatus.PENDING
        assert entries[-1].data["to"] == comment.status
        for earlier, later in zip(entries, entries[1:], strict=False):
            assert earlier.data["to"] == later.data["from"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_failing_after_the_insert_leaves_nothing_behind(api, article_factory):
    article = article_factory()
    before = ArticleComment.objects.count(), ModelLogEntry.objects.count()
    with mock.patch("comments.services.log", side_effect=RuntimeError("injected failure")):
        with pytest.raises(RuntimeError):
            services.comment_create(
                article=article,
                parent=None,
                name="X",
                email="x@example.com",
                body="Doomed",
                client_ip="192.0.2.5",
            )
    assert (ArticleComment.objects.count(), ModelLogEntry.objects.count()) == before
    from django_comments.models import Comment

    assert not Comment.objects.filter(comment__contains="Doomed").exists()
