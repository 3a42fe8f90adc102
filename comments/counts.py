"""The stored public counts of each article's thread (``ArticleCommentCounts``), kept by the services.

Reading ``COUNT(*)`` and ``COUNT(DISTINCT thread_id)`` over every approved comment made a thread's
database time grow with its size; the numbers are stored instead, and every state change in
``comments.services`` calls ``apply`` in its own transaction, after the comments' rows are locked and
their new state saved:

1. the articles' counts rows are locked, in article order (so two moderators never deadlock), and made
   with zeros if missing (an article none of whose comments was ever approved);
2. one query (an ``EXISTS`` per thread touched, on the thread index) says which threads still have an
   approved comment besides the ones changing: a thread counts when its first approved comment
   appears and stops when its last one goes;
3. one ``UPDATE`` adds the differences with ``F()`` expressions, and the threads that start or stop
   counting are added to or deleted from ``PublicThread`` (what the thread page lists).

Every transaction that changes what is approved takes the counts row lock before it commits, so the
one holding it sees every committed change and no half-made one: concurrent moderation never makes
the numbers drift. ``recount`` (``manage.py comments_recount``) rebuilds them from the rows anyway.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, When
from django.db.models import Value as V

from articles.models import ArticlePage
from comments.models import ArticleComment, ArticleCommentCounts, CommentStatus, PublicThread
from core import cache

APPROVED = CommentStatus.APPROVED


def _lock(article_ids):
    rows = ArticleCommentCounts.objects.select_for_update().filter(article_id__in=article_ids).order_by("article_id")
    found = set(rows.values_list("article_id", flat=True))
    missing = [pk for pk in article_ids if pk not in found]
    if missing:
        made = [ArticleCommentCounts(article_id=pk) for pk in missing]
        ArticleCommentCounts.objects.bulk_create(made, ignore_conflicts=True)
        list(rows.filter(article_id__in=missing).values_list("article_id", flat=True))


def _by_article(deltas):
    whens = [When(article_id=pk, then=V(d)) for pk, d in deltas.items()]
    return Case(*whens, default=V(0), output_field=IntegerField())


def apply(changes):
    """Bring the counts in step with ``changes``: ``[(comment, previous status), …]`` whose new status
    is saved (and whose rows are locked) in the current transaction. A constant number of queries."""
    moved = [(c, previous) for c, previous in changes if (previous == APPROVED) != (c.status == APPROVED)]
    if not moved:
        return
    articles = sorted({c.article_id for c, _ in moved})
    _lock(articles)
    thread_ids = {c.thread_id for c, _ in moved}
    others = ArticleComment.objects.filter(thread_id=OuterRef("pk"), status=APPROVED).exclude(
        pk__in=[c.pk for c, _ in moved]
    )
    still = dict(
        ArticleComment.objects.filter(pk__in=thread_ids).annotate(other=Exists(others)).values_list("pk", "other")
    )
    approved, threads = defaultdict(int), defaultdict(int)
    before, after = defaultdict(bool), defaultdict(bool)
    for comment, previous in moved:
        approved[comment.article_id] += 1 if comment.status == APPROVED else -1
        before[comment.thread_id] |= previous == APPROVED
        after[comment.thread_id] |= comment.status == APPROVED
    article_of = {c.thread_id: c.article_id for c, _ in moved}
    started, stopped = [], []
    for thread_id in thread_ids:
        other = still.get(thread_id, False)
        change = int(other or after[thread_id]) - int(other or before[thread_id])
        threads[article_of[thread_id]] += change
        if change:
            (started if change > 0 else stopped).append(thread_id)
    ArticleCommentCounts.objects.filter(article_id__in=articles).update(
        approved=F("approved") + _by_article(approved), threads=F("threads") + _by_article(threads)
    )
    _list_threads(article_of, started, stopped)


def _list_threads(article_of, started, stopped):
    if started:
        made = [PublicThread(article_id=article_of[pk], thread_id=pk) for pk in started]
        PublicThread.objects.bulk_create(made, ignore_conflicts=True)
    if stopped:
        articles = {article_of[pk] for pk in stopped}
        PublicThread.objects.filter(article_id__in=articles, thread_id__in=stopped).delete()


def stored(article_id):
    """``(approved, threads)`` of the article; zeros if nothing was ever approved on it."""
    row = ArticleCommentCounts.objects.filter(article_id=article_id).values_list("approved", "threads").first()
    return (max(row[0], 0), max(row[1], 0)) if row else (0, 0)


def recount(article_ids=None, progress=None):
    """Recompute the stored counts and listed threads from the rows; ``[(article id, (old), (new)), …]``
    for each article fixed (``(approved, threads)``; equal when only the listed threads were wrong).

    Each article in its own short transaction with its counts row locked, so that it is safe while
    moderators work: a change not yet committed is not counted, and applies its difference after.
    The cached responses of an article whose counts were wrong are invalidated.
    """
    if article_ids is None:
        article_ids = ArticlePage.objects.order_by("pk").values_list("pk", flat=True)
    article_ids = list(article_ids)
    fixed = []
    for done, article_id in enumerate(article_ids, 1):
        with transaction.atomic():
            found = _recount_one(article_id)
        if found:
            fixed.append(found)
        if progress is not None:
            progress(done, len(article_ids))
    return fixed


def _recount_one(article_id):
    _lock([article_id])
    row = ArticleCommentCounts.objects.get(article_id=article_id)
    approved = ArticleComment.objects.filter(article_id=article_id, status=APPROVED)
    public = set(approved.order_by().values_list("thread_id", flat=True).distinct())
    old, new = (row.approved, row.threads), (approved.count(), len(public))
    listed = PublicThread.objects.filter(article_id=article_id)
    listed_wrong = set(listed.values_list("thread_id", flat=True)) != public
    if old == new and not listed_wrong:
        return None
    if listed_wrong:
        listed.exclude(thread_id__in=public).delete()
        made = [PublicThread(article_id=article_id, thread_id=pk) for pk in sorted(public)]
        PublicThread.objects.bulk_create(made, batch_size=1000, ignore_conflicts=True)
    row.approved, row.threads = new
    row.save(update_fields=["approved", "threads"])
    tags = {cache.thread_tag(article_id)}  # the thread and the article showed the wrong count or threads
    transaction.on_commit(lambda: cache.invalidate(tags))
    return article_id, old, new
