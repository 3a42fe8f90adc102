"""Flat costs on PostgreSQL: the duplicate rule's plan, and stored counts under concurrent moderation."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.seeding import seed_threads
from comments import counts
from comments.models import ArticleComment, CommentStatus
from comments.selectors import public_thread_page
from comments.services import comment_approve, comment_create, comment_remove
from tests.at_once import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"),
]


@pytest.mark.django_db
def test_the_duplicate_rule_reads_an_index(article_factory):
    article = article_factory()
    seed_threads(article, threads=3000)
    # Recent comments from 300 networks: the rule's query must not read them all, nor the whole table.
    ArticleComment.objects.filter(article=article).update(submit_date=timezone.now())
    for n, pk in enumerate(ArticleComment.objects.filter(article=article).values_list("pk", flat=True)):
        ArticleComment.objects.filter(pk=pk).update(ip_address=f"10.{n % 300 // 250}.{n % 250}.0")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE django_comments")
    since = timezone.now() - timedelta(minutes=10)
    query = ArticleComment.objects.filter(ip_address="10.0.7.0", comment="<p>Hello</p>", submit_date__gte=since)
    plan = query.explain()
    assert "comment_duplicate_idx" in plan, plan
    assert "Seq Scan on django_comments" not in plan, plan


@pytest.mark.django_db
def test_the_thread_page_reads_its_threads_from_an_index(article_factory):
    """Not a DISTINCT over every approved comment of the article (it grew with the thread)."""
    article, other = article_factory(), article_factory()
    seed_threads(article, threads=3000)
    seed_threads(other, threads=3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE comments_publicthread")
    with CaptureQueriesContext(connection) as ctx:
        total, trees = public_thread_page(article)
    assert total == 3000 and len(trees) == settings.COMMENTS_THREADS_PER_PAGE
    listing = next(q["sql"] for q in ctx.captured_queries if "comments_publicthread" in q["sql"])
    assert "DISTINCT" not in listing.upper()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + listing)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "public_thread_once" in plan and "Seq Scan" not in plan, plan


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_moderation_in_one_thread_never_drifts(article_factory, moderator):
    article = article_factory()
    root = comment_create(article=article, parent=None, name="R", email="r@example.com", body="Root", client_ip="")
    replies = [
        comment_create(
            article=article, parent=root, name=f"N{i}", email="n@example.com", body=f"Reply {i}", client_ip=""
        )
        for i in range(8)
    ]
    run_at_once(8, lambda i: comment_approve(comment=replies[i], moderator=moderator))
    assert counts.stored(article.pk) == (8, 1)
    run_at_once(8, lambda i: comment_remove(comment=replies[i], moderator=moderator))
    assert counts.stored(article.pk) == (0, 0)
    assert ArticleComment.objects.filter(status=CommentStatus.REMOVED).count() == 8
    assert counts.recount([article.pk]) == []
