"""Signals other parts of the project listen to (cache invalidation, webhooks).

``comment_moderated`` is sent once the transaction that changed a comment's state has committed:
``sender=ArticleComment, comment=<ArticleComment>, action="approve"|"reject"|"spam"|"remove"|"erase",
previous=<old status>, status=<new status>``. It is not sent when an action changed nothing. An
erasure (``comments.services.comments_erase``) sends it for every comment it erased, with
``status="removed"``, even one that was removed already: its data changed.

``comments_moderated`` is sent once per transaction beside them, with all of its changes:
``sender=ArticleComment, action=…, changes=[(comment, previous), …]`` (``comment.status`` is the new
state). The project's own receivers (the caches, webhooks) listen to it, so that a bulk action of a
hundred comments costs them one cache call and one query, not a hundred.

``comment_submitted`` (``comment=``) and ``comment_reported`` (``comment=, report=``) are sent once a
new comment, or a reader's report, has committed: the moderators' webhooks hear of them.
"""

from django.dispatch import Signal

from core import cache

comment_moderated = Signal()
comments_moderated = Signal()
comment_submitted = Signal()
comment_reported = Signal()


def invalidate_threads(sender, changes, **kwargs):
    """The public threads of the comments' articles are stale (the signal is already sent after the commit)."""
    cache.invalidate({cache.thread_tag(comment.article_id) for comment, _ in changes})
