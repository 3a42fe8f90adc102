"""``comment.approved`` and ``comment.removed``: what the public thread saw change, as webhooks;
``comment.pending`` and ``comment.reported``: the moderators' alerts, sent to
``WEBHOOK_MODERATION_URLS`` only (a chat or a pager, never a frontend's build hook).

Connected to ``comments_moderated`` (a transaction's changes at once: one query for their articles),
``comment_submitted`` and ``comment_reported`` (all sent after the commit) in ``CommentsConfig.ready``.
A comment event carries ids and URLs only, never the commenter's name, e-mail, address or text (nor a
report's words, nor the reasons a comment is held: they quote it), and nothing is sent for comments on
articles that are not live and public.
"""

import logging

from django.urls import reverse

from articles.models import ArticlePage
from comments.models import CommentReport, CommentStatus
from comments.selectors import thread_api_url
from core.links import admin_url
from webhooks.delivery import configured_urls, send_event

logger = logging.getLogger(__name__)

COMMENT_APPROVED = "comment.approved"
COMMENT_REMOVED = "comment.removed"
COMMENT_PENDING = "comment.pending"
COMMENT_REPORTED = "comment.reported"
MODERATION_URLS = "WEBHOOK_MODERATION_URLS"


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


def _send(event, comment, extra=None, setting="WEBHOOK_URLS"):
    if not configured_urls(setting):
        return
    try:
        article = ArticlePage.objects.live().public().filter(pk=comment.article_id).first()
        if article is None:
            return  # not on the public site: nothing to rebuild, and nothing to tell about it
        send_event(event, {**comment_data(comment, article), **(extra or {})}, setting)
    except Exception:
        logger.exception("Could not send the %s webhook for comment %s", event, comment.pk)


def on_comments_moderated(sender, changes, **kwargs):
    events = [(event, comment) for comment, previous in changes if (event := comment_event(previous, comment.status))]
    if not events or not configured_urls("WEBHOOK_URLS"):
        return
    try:
        ids = {comment.article_id for _, comment in events}
        articles = ArticlePage.objects.live().public().in_bulk(ids)
    except Exception:
        logger.exception("Could not send the webhooks of %s comments", len(events))
        return
    for event, comment in events:
        article = articles.get(comment.article_id)
        if article is None:
            continue  # not on the public site: nothing to rebuild, and nothing to tell about it
        try:
            send_event(event, comment_data(comment, article))
        except Exception:
            logger.exception("Could not send the %s webhook for comment %s", event, comment.pk)


def _moderation_links(comment, **query):
    queue = reverse("comments_admin:queue")
    return {
        "queue_url": admin_url(queue + ("?reported=1" if query.get("reported") else "")),
        "history_url": admin_url(reverse("comments_admin:history", args=[comment.pk])),
    }


def on_comment_submitted(sender, comment, **kwargs):
    """A comment entered the queue: ``held`` says whether the checks flagged it."""
    extra = {"status": comment.status, "held": bool(comment.held_reasons), **_moderation_links(comment)}
    _send(COMMENT_PENDING, comment, extra, MODERATION_URLS)


def on_comment_reported(sender, comment, report, **kwargs):
    """A reader reported a comment: the reason's code and how many reports are open on it."""
    if not configured_urls(MODERATION_URLS):
        return
    open_reports = CommentReport.objects.filter(comment_id=comment.pk, resolved=False).count()
    extra = {
        "reason": report.reason,
        "open_reports": open_reports,
        **_moderation_links(comment, reported=True),
    }
    _send(COMMENT_REPORTED, comment, extra, MODERATION_URLS)
