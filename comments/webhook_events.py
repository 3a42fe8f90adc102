"""``comment.approved`` and ``comment.removed``: what the public thread saw change, as webhooks.

Connected to ``comment_moderated`` (sent after the commit) in ``CommentsConfig.ready``. A comment
event carries ids and public URLs only, never the commenter's name, e-mail, address or text, and
nothing is sent for comments on articles that are not live and public.
"""

import logging

from articles.models import ArticlePage
from comments.models import CommentStatus
from comments.selectors import thread_api_url
from webhooks.delivery import configured_urls, send_event

logger = logging.getLogger(__name__)

COMMENT_APPROVED = "comment.approved"
COMMENT_REMOVED = "comment.removed"


def comment_event(previous, status):
    """Approving (from pending, rejected or spam) shows a comment; removing it, or marking an
    approved comment as spam, hides one. Rejecting or marking a pending comment as spam changes
    nothing anyone could see, so it sends nothing."""
    if status == CommentStatus.APPROVED and previous != CommentStatus.APPROVED:
        return COMMENT_APPROVED
    if previous == CommentStatus.APPROVED and status != CommentStatus.APPROVED:
        return COMMENT_REMOVED
    return None


def comment_data(comment, article):
    return {
        "id": comment.pk,
        "page": article.pk,
        "page_url": article.get_full_url() or None,
        "thread_url": thread_api_url(article),
    }


def on_comment_moderated(sender, comment, action, previous, status, **kwargs):
    event = comment_event(previous, status)
    if event is None or not configured_urls():
        return
    try:
        article = ArticlePage.objects.live().public().filter(pk=comment.article_id).first()
        if article is None:
            return  # not on the public site: nothing to rebuild, and nothing to tell about it
        send_event(event, comment_data(comment, article))
    except Exception:
        logger.exception("Could not send the %s webhook for comment %s", event, comment.pk)
