"""Everything that changes a comment's state goes through here.

Each operation runs in one transaction with the rows it depends on locked, is recorded in Wagtail's
audit log (who, when, from which state to which), and is harmless to repeat. Mails are never sent
inside a request: they are queued as background tasks once the transaction commits.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from articles.models import ArticlePage
from comments.client import truncate_address
from comments.models import ArticleComment, CommentReport, CommentStatus
from comments.rules import CommentRejected, check_comment
from comments.sanitize import sanitize_comment, sanitize_plain
from comments.signals import comment_moderated

__all__ = ["CommentRejected", "InvalidTransition"]

# action name -> (target state, states it may come from)
TRANSITIONS = {
    "approve": (CommentStatus.APPROVED, {CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM}),
    "reject": (CommentStatus.REJECTED, {CommentStatus.PENDING}),
    "spam": (CommentStatus.SPAM, {CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.REJECTED}),
    "remove": (CommentStatus.REMOVED, {CommentStatus.APPROVED}),
}


class InvalidTransition(Exception):
    """The comment is in a state from which the action cannot be taken."""


def _enqueue_on_commit(task_name, comment_id):
    def send():
        from comments import tasks

        getattr(tasks, task_name).enqueue(comment_id)

    transaction.on_commit(send)


def comment_create(*, article, parent, name, email, body, url="", followup=False, client_ip="", user=None):
    """Store a reader's comment or reply as pending and tell the moderators.

    ``parent`` must already be an approved comment of ``article`` (the caller checks, so that a
    bad parent is a 404). Replies lock their thread's root row, so that django-comments-xtd's
    position arithmetic never sees another reply half-way (it takes no lock of its own).
    """
    body_html = sanitize_comment(body)
    body_text = sanitize_plain(body)
    name = sanitize_plain(name)
    network = truncate_address(client_ip)
    held_reasons = check_comment(
        body_html=body_html, body_text=body_text, name=name, email=email, client_network=network
    )

    with transaction.atomic():
        if parent is not None:
            ArticleComment.objects.select_related(None).select_for_update(of=("self",)).filter(
                pk=parent.thread_id
            ).first()
        comment = ArticleComment(
            content_type=ContentType.objects.get_for_model(ArticlePage),
            object_pk=str(article.pk),
            site_id=1,
            article=article,
            user=user,
            user_name=name,
            user_email=email,
            user_url=url or "",
            comment=body_html,
            ip_address=network,
            is_public=False,
            status=CommentStatus.PENDING,
            held_reasons=held_reasons,
            followup=followup,
            parent_id=parent.pk if parent is not None else 0,
        )
        comment.save()
        log(
            instance=comment,
            action="comments.submit",
            user=user,
            data={"from": None, "to": CommentStatus.PENDING, "held_reasons": held_reasons},
        )
        _enqueue_on_commit("notify_moderators", comment.pk)
    return comment


def comment_transition(*, comment, action, moderator):
    """Move ``comment`` by ``action``; return ``(comment, changed)``.

    The row is locked first, so two moderators acting at once are serialised: the second sees the
    first one's result. Repeating an action that already took effect changes nothing and logs
    nothing; an action that makes no sense from the current state raises ``InvalidTransition``.
    """
    target, allowed_from = TRANSITIONS[action]
    with transaction.atomic():
        locked = ArticleComment.objects.select_related(None).select_for_update(of=("self",)).get(pk=comment.pk)
        if locked.status == target:
            return locked, False
        if locked.status not in allowed_from:
            raise InvalidTransition(f"A {locked.status} comment cannot be {target}.")
        previous = locked.status
        locked.status = target
        locked.is_public = target == CommentStatus.APPROVED
        locked.is_removed = target == CommentStatus.REMOVED
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "is_public", "is_removed", "moderated_at"])
        if target != CommentStatus.APPROVED:
            CommentReport.objects.filter(comment=locked, resolved=False).update(resolved=True)
        log(
            instance=locked,
            action=f"comments.{action}",
            user=moderator,
            data={"from": previous, "to": target},
        )
        if target == CommentStatus.APPROVED:
            _enqueue_on_commit("notify_approval", locked.pk)
        transaction.on_commit(
            lambda: comment_moderated.send(
                sender=ArticleComment, comment=locked, action=action, previous=previous, status=target
            )
        )
    return locked, True


def comment_approve(*, comment, moderator):
    return comment_transition(comment=comment, action="approve", moderator=moderator)


def comment_reject(*, comment, moderator):
    return comment_transition(comment=comment, action="reject", moderator=moderator)


def comment_mark_spam(*, comment, moderator):
    return comment_transition(comment=comment, action="spam", moderator=moderator)


def comment_remove(*, comment, moderator):
    return comment_transition(comment=comment, action="remove", moderator=moderator)


def comments_bulk(*, ids, action, moderator):
    """Apply ``action`` to each comment; the number whose state changed. Invalid ones are skipped."""
    updated = 0
    for comment in ArticleComment.objects.filter(pk__in=ids).order_by("pk"):
        try:
            _, changed = comment_transition(comment=comment, action=action, moderator=moderator)
        except InvalidTransition:
            continue
        updated += changed
    return updated


def report_create(*, comment, reason, detail=""):
    """A reader's report on an approved comment; it shows in the queue's "reported" filter."""
    with transaction.atomic():
        report = CommentReport.objects.create(comment=comment, reason=reason, detail=sanitize_plain(detail)[:1000])
        log(instance=comment, action="comments.report", data={"reason": reason})
    return report
