"""The moderators' digest: one mail every ``COMMENTS_MODERATOR_DIGEST_MINUTES`` instead of one per comment.

While the digest is on, ``comments.services`` records a ``ModeratorAlert`` for each comment that
enters the queue and for each comment readers report (one per comment and kind), and sends no mail
per comment. ``manage.py scheduler`` runs :func:`send_digest` every N minutes (one server per slot,
claimed in Redis): it claims the alerts no digest has taken yet with one conditional ``UPDATE``
(so that two runs at once never take the same alert), and queues one mail per moderator, each its
own task (``send_digest_mail``), listing what is still pending or still reported, with links to the
queue. A comment is never in two digests for the same reason; a run with nothing new sends nothing.
"""

import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_tasks import task

from comments.models import CommentStatus, ModeratorAlert
from comments.tasks import moderator_emails
from core.links import admin_url

logger = logging.getLogger(__name__)
LISTED = 100  # comments listed per section of one mail; the rest are "and N more" in the queue


def send_digest():
    """Claim every alert no digest has taken and queue one mail per moderator; what it did."""
    batch = uuid.uuid4().hex
    with transaction.atomic():
        claimed = ModeratorAlert.objects.filter(batch="").update(batch=batch)
    if not claimed:
        return "nothing new for the moderators"
    recipients = moderator_emails()
    for to in recipients:
        send_digest_mail.enqueue(batch, to)
    return f"{claimed} alert(s) in a digest to {len(recipients)} moderator(s)"


def _sections(batch):
    alerts = ModeratorAlert.objects.filter(batch=batch).select_related("comment__article").order_by("comment_id")
    pending, reported = [], []
    for alert in alerts:
        comment = alert.comment
        if alert.kind == ModeratorAlert.Kind.PENDING and comment.status == CommentStatus.PENDING:
            pending.append(comment)
        elif alert.kind == ModeratorAlert.Kind.REPORTED and comment.status == CommentStatus.APPROVED:
            reported.append(comment)
    for comment in pending + reported:
        comment.text = Truncator(strip_tags(comment.comment)).chars(200)
        comment.history_url = admin_url(reverse("comments_admin:history", args=[comment.pk]))
    return pending, reported


@task()
def send_digest_mail(batch, to):
    """One moderator's digest of ``batch``: what is still pending or reported; nothing if nothing is."""
    pending, reported = _sections(batch)
    if not pending and not reported:
        return 0
    queue = reverse("comments_admin:queue")
    context = {
        "pending": pending[:LISTED],
        "pending_more": max(len(pending) - LISTED, 0),
        "reported": reported[:LISTED],
        "reported_more": max(len(reported) - LISTED, 0),
        "queue_url": admin_url(queue),
        "reported_url": admin_url(queue + "?status=approved&reported=1"),
    }
    subject = f"Comments for moderation: {len(pending)} new, {len(reported)} reported"
    body = render_to_string("comments/email/digest.txt", context)
    try:
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()
    except Exception:
        logger.exception("The moderators' digest %s could not be sent", batch)
        raise
    return 1
