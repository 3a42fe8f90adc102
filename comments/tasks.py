"""Comment e-mails, sent by background tasks (django-tasks), never inside a request.

Each message has exactly one recipient, and says nothing about anyone but the approved comment it
announces: no other reader's address, no pending or rejected text.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django_tasks import task

from comments.models import ArticleComment, CommentStatus
from comments.unsubscribe import unsubscribe_url

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


def _send(messages):
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def _message(subject, template, context, to):
    body = render_to_string(template, context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


@task()
def notify_moderators(comment_id):
    """Tell every moderator that a comment waits in the queue."""
    comment = ArticleComment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING:
        return 0
    context = {
        "comment": comment,
        "text": strip_tags(comment.comment),
        "article": comment.article,
        "queue_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + QUEUE_PATH,
    }
    subject = f"New comment awaiting moderation on “{comment.article.title}”"
    return _send([_message(subject, "comments/email/moderators.txt", context, to) for to in moderator_emails()])


@task()
def notify_approval(comment_id):
    """The commenter hears that the comment is published; followers of the thread hear of a reply."""
    comment = ArticleComment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.APPROVED:
        return 0
    article = comment.article
    context = {
        "comment": comment,
        "text": strip_tags(comment.comment),
        "article": article,
        "article_url": article.get_full_url(),
    }
    messages = []
    author_email = (comment.user_email or "").lower()
    if author_email:
        own = {
            **context,
            "unsubscribe": unsubscribe_url(author_email, article.pk) if comment.followup else None,
        }
        messages.append(
            _message(
                f"Your comment on “{article.title}” is published",
                "comments/email/approved.txt",
                own,
                author_email,
            )
        )
    followers = (
        ArticleComment.objects.filter(article=article, status=CommentStatus.APPROVED, followup=True)
        .exclude(user_email="")
        .values_list("user_email", flat=True)
    )
    for email in sorted({address.lower() for address in followers} - {author_email}):
        follower = {**context, "unsubscribe": unsubscribe_url(email, article.pk)}
        messages.append(_message(f"New reply on “{article.title}”", "comments/email/follower.txt", follower, email))
    return _send(messages)
