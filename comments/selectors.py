"""Read-only questions about comments that public responses may ask.

Everything here filters on ``status``: a pending, rejected, spam or removed comment never reaches a
public list or count. A non-approved comment only appears as an anonymous placeholder, and only when
an approved reply hangs below it.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models import Value as V
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from articles.models import ArticlePage
from comments import counts
from comments.models import STORED_PREFIX, ArticleComment, BlockedSender, CommentStatus, PublicThread
from core import groups
from core.ids import parse_id
from core.links import absolute_url

APPROVED = CommentStatus.APPROVED


def staff_name_taken(name):
    """Is ``name`` (spaces aside, any case) the username or full name of an editor, moderator or admin?
    A reader may not comment under it."""
    name = " ".join(name.split())
    staff = Q(is_superuser=True) | Q(is_staff=True) | Q(groups__name__in=[groups.EDITORS, groups.MODERATORS])
    named = Q(username__iexact=name) | Q(full_name__iexact=name)
    users = (
        get_user_model().objects.filter(is_active=True).annotate(full_name=Concat("first_name", V(" "), "last_name"))
    )
    return users.filter(staff).filter(named).exists()


def commentable_article(page_id):
    """The live, public article accepting comments with this id, or None."""
    page_id = parse_id(page_id)
    if page_id is None:
        return None
    return ArticlePage.objects.live().public().defer_streamfields().filter(pk=page_id, allow_comments=True).first()


def public_comment_count(page):
    """Approved comments on ``page``: nothing pending, rejected, spam or removed is counted. Stored
    (``comments.counts``): one row read, whatever the size of the thread."""
    return counts.stored(page.pk)[0]


def thread_api_url(page, request=None):
    return absolute_url(f"{reverse('comments-thread')}?page={page.pk}", request)


def approved_parent(article, parent_id):
    """An approved comment of ``article`` to reply to, or None (a 404 to the reader)."""
    parent_id = parse_id(parent_id)
    if parent_id is None:
        return None
    return ArticleComment.objects.filter(pk=parent_id, article=article, status=APPROVED).first()


def public_thread_page(article, *, offset=0, limit=None):
    """One page of threads: ``(total_threads, [tree, ...])``, three queries whatever the size."""
    limit = limit or settings.COMMENTS_THREADS_PER_PAGE
    threads = PublicThread.objects.filter(article=article).order_by("thread_id").values_list("thread_id", flat=True)
    total = counts.stored(article.pk)[1]
    thread_ids = list(threads[offset : offset + limit])
    rows = list(
        ArticleComment.objects.select_related(None)
        .filter(article=article, thread_id__in=thread_ids)
        .order_by("thread_id", "order")
        .values_list(  # named tuples, not model instances: a page of 100 comments is 100 of them
            "pk",
            "parent_id",
            "thread_id",
            "level",
            "order",
            "status",
            "user_name",
            "user_url",
            "comment",
            "submit_date",
            named=True,
        )
    )
    return total, build_trees(rows)


def build_trees(rows):
    """Nest rows (ordered by thread and position) into trees of public dicts."""
    children = {}
    for row in rows:
        if row.parent_id != row.pk:
            children.setdefault(row.parent_id, []).append(row)

    def has_public(row):
        return row.status == APPROVED or any(has_public(child) for child in children.get(row.pk, []))

    def node(row):
        public = row.status == APPROVED
        return {
            "id": row.pk,
            "name": row.user_name if public else "",
            "url": row.user_url if public else "",
            "body": row.comment if public else "",
            "created": row.submit_date.isoformat(),
            "level": row.level,
            "removed": not public,
            "replies": [node(child) for child in children.get(row.pk, []) if has_public(child)],
        }

    return [node(row) for row in rows if row.parent_id == row.pk and has_public(row)]


# --- moderators only: never call these for a public response --------------------------------------
HISTORY_STATES = (CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM)


def commenter_history(emails):
    """``{e-mail in lower case: {"approved": n, "rejected": n, "spam": n}}`` for every address given
    (any case), in one query for a whole page of the queue (the ``lower(user_email)`` index). An
    address without such comments maps to zeros."""
    keys = {email.strip().lower() for email in emails if email and email.strip()}
    history = {key: dict.fromkeys(HISTORY_STATES, 0) for key in keys}
    if not keys:
        return history
    counts = (
        ArticleComment.objects.annotate(key=Lower("user_email"))
        .filter(key__in=keys)
        .order_by()
        .values("key")
        .annotate(**{state: Count("pk", filter=Q(status=state)) for state in HISTORY_STATES})
    )
    for row in counts:
        history[row["key"]] = {state: row[state] for state in HISTORY_STATES}
    return history


def stored_network(address):
    """The block value of a comment's stored client network (``203.0.113.0/24``), or None."""
    try:
        version = ipaddress.ip_address(address or "").version
    except ValueError:
        return None
    return BlockedSender.normalise(BlockedSender.Kind.NETWORK, f"{address}/{STORED_PREFIX[version]}")


def active_blocks(emails, networks):
    """``{(kind, value): block}`` of the active blocks on these addresses and networks, in one query."""
    emails = {email.strip().lower() for email in emails if email}
    networks = {network for network in networks if network}
    if not emails and not networks:
        return {}
    blocks = BlockedSender.objects.filter(active=True).filter(
        Q(kind=BlockedSender.Kind.EMAIL, value__in=emails) | Q(kind=BlockedSender.Kind.NETWORK, value__in=networks)
    )
    return {(block.kind, block.value): block for block in blocks}
