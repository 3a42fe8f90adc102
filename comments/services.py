"""Everything that changes a comment's state goes through here.

Each operation runs in one transaction with the rows it depends on locked, is recorded in Wagtail's
audit log (who, when, from which state to which), and is harmless to repeat. Mails are never sent
inside a request: they are queued as background tasks once the transaction commits. A change that
can alter what the public sees sends ``comments.signals.comment_moderated`` after the commit: the
response cache and the HTTP cache in front of it forget the thread, and webhooks go out.
"""

from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import ModelLogEntry

from articles.models import ArticlePage
from comments import counts
from comments.models import ArticleComment, CommentReport, CommentStatus, ModeratorAlert
from comments.rules import CommentRejected, check_comment
from comments.signals import comment_moderated, comment_reported, comment_submitted, comments_moderated
from comments.unsubscribe import new_unsubscribe_key
from core.client_address import truncate_address
from core.sanitize import sanitize_comment, sanitize_plain

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
            unsubscribe_key=new_unsubscribe_key() if followup else None,
            parent_id=parent.pk if parent is not None else 0,
        )
        comment.save()
        log(
            instance=comment,
            action="comments.submit",
            user=user,
            data={"from": None, "to": CommentStatus.PENDING, "held_reasons": held_reasons},
        )
        _alert_moderators(comment, ModeratorAlert.Kind.PENDING)
        transaction.on_commit(partial(comment_submitted.send, sender=ArticleComment, comment=comment))
    return comment


def _alert_moderators(comment, kind):
    """A mail per comment (pending ones only), or a line in the next digest (``comments.digest``)."""
    if settings.COMMENTS_MODERATOR_DIGEST_MINUTES > 0:
        ModeratorAlert.objects.bulk_create([ModeratorAlert(comment=comment, kind=kind)], ignore_conflicts=True)
    elif kind == ModeratorAlert.Kind.PENDING:
        _enqueue_on_commit("notify_moderators", comment.pk)


def _log_all(changes, *, action, user, data):
    """One audit entry per change, written in one query: what ``log()`` writes for each (the same
    content type, label, user, timestamp and the active log context's uuid)."""
    context = get_active_log_context()
    content_type = ContentType.objects.get_for_model(ArticleComment, for_concrete_model=False)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=ModelLogEntry.objects.get_instance_title(comment),
                action=action,
                timestamp=now,
                data=data(comment, previous),
                user=user or context.user,
                uuid=context.uuid,
                object_id=str(comment.pk),
            )
            for comment, previous in changes
        ]
    )


def _announce(changes, action):
    """After the commit: ``comment_moderated`` for each change, ``comments_moderated`` for them all."""

    def send():
        for comment, previous in changes:
            comment_moderated.send(
                sender=ArticleComment, comment=comment, action=action, previous=previous, status=comment.status
            )
        comments_moderated.send(sender=ArticleComment, action=action, changes=changes)

    transaction.on_commit(send)


def _moved(comments, action):
    """The comments ``action`` applies to, as ``[(comment, previous)]``, their new state set (not saved)."""
    target, allowed_from = TRANSITIONS[action]
    now = timezone.now()
    changes = []
    for comment in comments:
        if comment.status == target or comment.status not in allowed_from:
            continue
        changes.append((comment, comment.status))
        comment.status = target
        comment.is_public = target == CommentStatus.APPROVED
        comment.is_removed = target == CommentStatus.REMOVED
        comment.moderated_at = now
    return changes


def _apply(changes, *, action, moderator):
    """Save the moved comments and everything that goes with it, in a constant number of queries."""
    target, _ = TRANSITIONS[action]
    ids = [comment.pk for comment, _ in changes]
    ArticleComment.objects.filter(pk__in=ids).update(
        status=target,
        is_public=target == CommentStatus.APPROVED,
        is_removed=target == CommentStatus.REMOVED,
        moderated_at=changes[0][0].moderated_at,
    )
    if target != CommentStatus.APPROVED:
        CommentReport.objects.filter(comment_id__in=ids, resolved=False).update(resolved=True)
    _log_all(changes, action=f"comments.{action}", user=moderator, data=lambda c, prev: {"from": prev, "to": target})
    counts.apply(changes)
    if target == CommentStatus.APPROVED:
        task, arg = ("notify_approval", ids[0]) if len(ids) == 1 else ("notify_approvals", ids)
        _enqueue_on_commit(task, arg)
    _announce(changes, action)


def _locked(ids):
    return list(
        ArticleComment.objects.select_related(None)
        .select_related("user")
        .select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
    )


def comment_transition(*, comment, action, moderator):
    """Move ``comment`` by ``action``; return ``(comment, changed)``.

    The row is locked first, so two moderators acting at once are serialised: the second sees the
    first one's result. Repeating an action that already took effect changes nothing and logs
    nothing; an action that makes no sense from the current state raises ``InvalidTransition``.
    """
    target, allowed_from = TRANSITIONS[action]
    with transaction.atomic():
        locked = _locked([comment.pk])
        if not locked:
            raise ArticleComment.DoesNotExist(f"No comment {comment.pk}.")
        locked = locked[0]
        if locked.status == target:
            return locked, False
        if locked.status not in allowed_from:
            raise InvalidTransition(f"A {locked.status} comment cannot be {target}.")
        _apply(_moved([locked], action), action=action, moderator=moderator)
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
    """Apply ``action`` to each comment; the number whose state changed. Invalid ones are skipped.

    One transaction, and the same number of queries for a hundred ids as for one: the rows are locked
    in one query (in id order, as one by one), changed with one update, logged with one insert, and
    the caches, webhooks and mails hear of every change after the commit, as one by one.
    """
    with transaction.atomic():
        changes = _moved(_locked(ids), action)
        if changes:
            _apply(changes, action=action, moderator=moderator)
    return len(changes)


def report_create(*, comment, reason, detail=""):
    """A reader's report on an approved comment; it shows in the queue's "reported" filter."""
    with transaction.atomic():
        report = CommentReport.objects.create(comment=comment, reason=reason, detail=sanitize_plain(detail)[:1000])
        log(instance=comment, action="comments.report", data={"reason": reason})
        _alert_moderators(comment, ModeratorAlert.Kind.REPORTED)
        transaction.on_commit(partial(comment_reported.send, sender=ArticleComment, comment=comment, report=report))
    return report


def reports_dismiss(*, comment, moderator):
    """Close the open reports on ``comment`` and leave it as it is (a moderator read it and keeps it).

    Returns the number of reports closed; none open is harmless. The public sees no change, so no
    ``comment_moderated`` signal is sent.
    """
    with transaction.atomic():
        closed = CommentReport.objects.filter(comment=comment, resolved=False).update(resolved=True)
        if closed:
            log(instance=comment, action="comments.dismiss_reports", user=moderator, data={"reports": closed})
    return closed


ERASED_NAME = "[erased]"
ERASE_BATCH_SIZE = 100


def comments_erase(*, email, actor=None, batch_size=ERASE_BATCH_SIZE, progress=None):
    """Erase the personal data of every comment written with ``email`` (any case); the number erased.

    A commenter's erasure request (docs: "a commenter's data can be exported or erased by e-mail
    address"). What is left of each comment is what its thread needs to stay in shape:

    - ``user_name`` becomes ``"[erased]"``, so that moderators see why the comment is empty; the
      public never sees it (a removed comment is an anonymous placeholder);
    - ``user_email``, ``user_url`` and the text (``comment``) become empty, the client network
      (``ip_address``) ``None``;
    - ``user`` (a linked account) becomes ``None``: django-comments shows an account's name and
      e-mail in place of the fields above;
    - ``followup`` becomes ``False`` and ``unsubscribe_key`` ``None``: no more thread e-mails, and the
      links already sent name nothing;
    - ``held_reasons`` become empty: they quote the e-mail domain and words of the text;
    - the status becomes ``removed``, from any state. An approved comment leaves the thread, and
      other people's approved replies stay under the "comment removed" placeholder, as after a
      removal. A pending, rejected or spam comment becomes ``removed`` too (the old command left
      rejected and spam ones as they were): no moderation action leads out of ``removed``, so the
      empty shell can never be approved and published;
    - open reports on it are closed (the reporters' reasons and details are theirs, and kept);
    - its audit-log entries keep who moderated it and when, but their labels, which quoted the name
      and the start of the text, are rewritten, and held reasons are dropped from their data.

    Kept: the article, the thread position (``thread_id``, ``parent_id``, ``level``, ``order``) and
    the dates. Each comment's erasure is logged as ``comments.erase`` by ``actor`` (from its state
    to ``removed``) and, after the commit, sends ``comment_moderated`` with ``action="erase"``: the
    thread's cached responses are invalidated and purged, and an approved comment sends the
    ``comment.removed`` webhook. Pending notification tasks find nothing to send.

    The comments are erased ``batch_size`` at a time, each batch one transaction with its rows
    locked (a moderator acting at the same moment waits, then sees the erased comment). An
    interruption leaves every comment either erased or untouched; running again erases the rest
    (an erased comment no longer has the address, so a repeat finds nothing). ``progress``, if
    given, is called with the number erased so far after each batch.
    """
    email = (email or "").strip()
    if not email:
        raise ValueError("An e-mail address is needed: a blank one would match every erased comment.")
    matching = ArticleComment.objects.select_related(None).filter(user_email__iexact=email).order_by("pk")
    done = 0
    while True:
        with transaction.atomic():
            batch = list(matching.select_for_update(of=("self",))[:batch_size])
            if not batch:
                return done
            _erase_batch(batch, actor=actor)
        done += len(batch)
        if progress is not None:
            progress(done)


def _erase_batch(comments, *, actor):
    now = timezone.now()
    erased = []
    for comment in comments:
        previous = comment.status
        comment.user = None
        comment.user_name = ERASED_NAME
        comment.user_email = ""
        comment.user_url = ""
        comment.comment = ""
        comment.ip_address = None
        comment.followup = False
        comment.unsubscribe_key = None
        comment.held_reasons = []
        comment.status = CommentStatus.REMOVED
        comment.is_public = False
        comment.is_removed = True
        if previous != CommentStatus.REMOVED:
            comment.moderated_at = now
        comment.save(
            update_fields=[
                "user", "user_name", "user_email", "user_url", "comment", "ip_address", "followup",
                "unsubscribe_key", "held_reasons", "status", "is_public", "is_removed", "moderated_at",
            ]
        )  # fmt: skip
        erased.append((comment, previous))

    ids = [comment.pk for comment in comments]
    CommentReport.objects.filter(comment_id__in=ids, resolved=False).update(resolved=True)
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticleComment, for_concrete_model=False),
        object_id__in=[str(pk) for pk in ids],
    )
    entries.update(label=ModelLogEntry.objects.get_instance_title(comments[0]))
    for entry in entries.filter(data__has_key="held_reasons"):
        if entry.data["held_reasons"]:
            entry.data = {**entry.data, "held_reasons": []}
            entry.save(update_fields=["data"])

    removed = CommentStatus.REMOVED
    _log_all(erased, action="comments.erase", user=actor, data=lambda c, prev: {"from": prev, "to": removed})
    counts.apply(erased)
    _announce(erased, "erase")
