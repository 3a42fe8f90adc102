"""Threading under real concurrency, on PostgreSQL (SQLite serialises every write anyway)."""

import pytest
from django.db import connection

from comments.models import ArticleComment
from comments.services import comment_approve, comment_create
from tests.at_once import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"),
]


def test_simultaneous_replies_get_distinct_positions_and_counts(article_factory, moderator):
    article = article_factory()
    root = comment_create(
        article=article, parent=None, name="Root", email="r@example.com", body="Root", client_ip="192.0.2.1"
    )
    root, _ = comment_approve(comment=root, moderator=moderator)
    first = comment_create(
        article=article,
        parent=root,
        name="A",
        email="a@example.com",
        body="First reply",
        client_ip="192.0.2.2",
    )
    first, _ = comment_approve(comment=first, moderator=moderator)

    def reply(i):
        parent = root if i % 2 else first
        comment_create(
            article=article,
            parent=parent,
            name=f"R{i}",
            email=f"r{i}@example.com",
            body=f"Reply {i}",
            client_ip=f"192.0.2.{i + 10}",
        )

    run_at_once(16, reply)

    rows = list(ArticleComment.objects.filter(thread_id=root.pk).order_by("order"))
    assert len(rows) == 18
    orders = [row.order for row in rows]
    assert orders == list(range(1, 19)), orders  # distinct and gap-free
    root.refresh_from_db()
    first.refresh_from_db()
    assert root.nested_count == 17
    assert first.nested_count == 8
    # Every reply sits after its parent, and replies to `first` stay inside first's subtree.
    position = {row.pk: row.order for row in rows}
    for row in rows:
        if row.parent_id != row.pk:
            assert position[row.parent_id] < position[row.pk]
