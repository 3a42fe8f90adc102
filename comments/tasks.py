"""Comment e-mails, sent by background tasks (django-tasks), never inside a request.

Each message has exactly one recipient and is sent by a task of its own (``send_comment_mail``),
so one address a mail server refuses stops no other mail. A message says nothing about anyone but
the approved comment it announces: no other reader's address, no pending or rejected text.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django_tasks import task

from comments.models import ArticleComment, CommentStatus
from comments.unsubscribe import subscription_key, unsubscribe_url
from core.links import admin_url

logger = logging.getLogger(__name__)

QUEUE_PATH = "/admin/comments/"


def moderator_emails():
    permission = Permission.objects.get(content_type__app_label="comments", codename="moderate_comments")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(users))


def _message(subject, template, context, to):
    body = render_to_string(template, context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def _moderator_message(comment, to):
    context = {
        "comment": comment,
        "text": strip_tags(comment.comment),
        "article": comment.article,
        "queue_url": admin_url(QUEUE_PATH),
    }
    subject = f"New comment awaiting moderation on “{comment.article.title}”"
    return _message(subject, "comments/email/moderators.txt", context, to)


def _approval_message(comment, to, *, follower):
    article = comment.article
    context = {
        "comment": comment,
        "text": strip_tags(comment.comment),
        "article": article,
        "article_url": article.get_full_url(),
    }
    key = subscription_key(to, article.pk) if follower or comment.followup else None
    context["unsubscribe"] = unsubscribe_url(key) if key else None
    if follower:
        return _message(f"New reply on “{article.title}”", "comments/email/follower.txt", context, to)
    return _message(f"Your comment on “{article.title}” is published", "comments/email/approved.txt", context, to)


# kind -> (the state the comment must still be in, how the message is built)
KINDS = {
    "moderator": (CommentStatus.PENDING, _moderator_message),
    "author": (CommentStatus.APPROVED, lambda comment, to: _approval_message(comment, to, follower=False)),
    "follower": (CommentStatus.APPROVED, lambda comment, to: _approval_message(comment, to, follower=True)),
}


@task()
def send_comment_mail(kind, comment_id, to):
    """One message to one recipient, as its own task: an address a mail server refuses fails this task
    alone (the worker records it as failed, and it is logged), never the mails to everyone else."""
    status, build = KINDS[kind]
    comment = ArticleComment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != status:
        return 0
    try:
        build(comment, to).send()
    except Exception:
        logger.exception("The %s e-mail about comment %s could not be sent", kind, comment_id)
        raise
    return 1


def _enqueue_each(kind, comment_id, recipients):
    for to in recipients:
        send_comment_mail.enqueue(kind, comment_id, to)
    return len(recipients)


@task()
def notify_moderators(comment_id):
    """Tell every moderator that a comment waits in the queue: one task per moderator. Nothing while
    the digest is on (``comments.digest``), even for a task queued before it was turned on."""
    if settings.COMMENTS_MODERATOR_DIGEST_MINUTES > 0:
        return 0
    comment = ArticleComment.objects.filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING:
        return 0
    return _enqueue_each("moderator", comment_id, moderator_emails())


@task()
def notify_approval(comment_id, later=()):
    """The commenter hears that the comment is published; followers of the thread hear of a reply.
    One task per recipient. ``later``: comments approved with it by a bulk action after it (in id
    order): their authors are not followers yet, as if the comments had been approved one by one."""
    comment = ArticleComment.objects.filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.APPROVED:
        return 0
    author_email = (comment.user_email or "").lower()
    followers = (
        ArticleComment.objects.filter(article_id=comment.article_id, status=CommentStatus.APPROVED, followup=True)
        .exclude(user_email="")
        .exclude(pk__in=list(later))
        .values_list("user_email", flat=True)
    )
    sent = _enqueue_each("author", comment_id, [author_email] if author_email else [])
    return sent + _enqueue_each("follower", comment_id, sorted({a.lower() for a in followers} - {author_email}))


@task()
def notify_approvals(comment_ids):
    """``notify_approval`` for each comment a bulk action approved: the request queues one task, not
    one per comment (a queued task is a row in the database backend's table)."""
    comment_ids = sorted(comment_ids)
    return sum(notify_approval.call(pk, later=comment_ids[i + 1 :]) for i, pk in enumerate(comment_ids))
