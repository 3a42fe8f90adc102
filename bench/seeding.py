"""Bulk-insert comment threads for benchmarks and scale tests.

Django's ``bulk_create`` refuses multi-table models, and going through ``comment_create`` for
100,000 rows would take minutes. This writes the three tables of ``ArticleComment`` directly, in
batches, with the same values the services would store (thread ids, positions, levels, counts).
It is never used on a request path. The article's stored counts (``comments.counts``) are recomputed
at the end.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from articles.models import ArticlePage
from comments.counts import recount
from comments.models import ArticleComment, CommentStatus

BATCH = 2000


def _insert(model, rows):
    fields = list(model._meta.local_concrete_fields)
    for start in range(0, len(rows), BATCH):
        model._base_manager._insert(rows[start : start + BATCH], fields=fields, raw=True)


def _base_comments(article, content_type, *, first, count, replies, submitted, public):
    """django-contrib-comments' rows of ``count`` threads from the ``first``-th: bulk-created, so with pks."""
    bases = []
    for t in range(count):
        for r in range(1 + replies):
            n = (first + t) * (1 + replies) + r
            bases.append(
                Comment(
                    content_type=content_type,
                    object_pk=str(article.pk),
                    site_id=1,
                    user_name=f"Reader {n}",
                    user_email=f"reader{n}@example.com",
                    comment=f"<p>Comment {n} on the article.</p>",
                    submit_date=submitted + timedelta(seconds=n),
                    ip_address="192.0.2.0",
                    is_public=public,
                )
            )
    return Comment.objects.bulk_create(bases)


def _thread_rows(article, bases, *, replies, status):
    """django-comments-xtd's rows and ours for the base comments, thread by thread (a root, then its replies)."""
    xtd_rows, ours = [], []
    for start in range(0, len(bases), 1 + replies):
        group = bases[start : start + 1 + replies]
        root = group[0]
        for position, base in enumerate(group):
            xtd_rows.append(
                XtdComment(
                    comment_ptr_id=base.pk,
                    thread_id=root.pk,
                    parent_id=root.pk,
                    level=0 if position == 0 else 1,
                    order=position + 1,
                    nested_count=replies if position == 0 else 0,
                    followup=False,
                )
            )
            ours.append(
                ArticleComment(
                    xtdcomment_ptr_id=base.pk,
                    article_id=article.pk,
                    status=status,
                    held_reasons=[],
                    created=base.submit_date,
                )
            )
    return xtd_rows, ours


@transaction.atomic
def seed_threads(article, *, threads, replies=0, status=CommentStatus.APPROVED, progress=None):
    """Create ``threads`` top-level comments on ``article``, each with ``replies`` direct replies.

    Returns the number of comments written. ``progress(n)`` is called after each batch.
    """
    content_type = ContentType.objects.get_for_model(ArticlePage)
    submitted = timezone.now() - timedelta(days=1)
    public = status == CommentStatus.APPROVED
    made = 0
    per_batch = max(1, BATCH // (1 + replies))
    for first in range(0, threads, per_batch):
        count = min(per_batch, threads - first)
        bases = _base_comments(
            article, content_type, first=first, count=count, replies=replies, submitted=submitted, public=public
        )
        xtd_rows, ours = _thread_rows(article, bases, replies=replies, status=status)
        _insert(XtdComment, xtd_rows)
        _insert(ArticleComment, ours)
        made += len(bases)
        if progress:
            progress(made)
    if status == CommentStatus.APPROVED:
        recount([article.pk])  # the services keep the stored counts; rows written here must set them
    return threads * (1 + replies)
