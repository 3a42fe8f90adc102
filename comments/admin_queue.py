"""The moderators' queue in the Wagtail admin: list, filter, act one by one or in bulk, history.

Pagination is by key (``created``, ``pk``), not by page number: the listing never counts the whole
queue, so page 1 and page 2,000 of a 100,000-comment queue cost the same.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from articles.models import ArticlePage
from comments import services
from comments.admin_blocks import annotate_commenter_context
from comments.models import ArticleComment, CommentStatus
from comments.moderation_api import comment_history
from core.ids import parse_id

PER_PAGE = 50
PAST_TENSE = {"approve": "approved", "reject": "rejected", "spam": "marked as spam", "remove": "removed"}


def require_moderator(request):
    if not request.user.has_perm("comments.moderate_comments"):
        raise PermissionDenied


def excerpt(html, length=120):
    return Truncator(strip_tags(html or "")).chars(length)


def _parse_after(value):
    try:
        stamp, pk = value.rsplit(",", 1)
        stamp, pk = datetime.fromisoformat(stamp), parse_id(pk)
    except (ValueError, AttributeError):
        return None
    return (stamp, pk) if pk else None


def queue(request):
    require_moderator(request)
    status = request.GET.get("status", CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    comments = ArticleComment.objects.select_related(None).select_related("article").filter(status=status)
    article_id = parse_id(request.GET.get("article"))
    if article_id:
        comments = comments.filter(article_id=article_id)
    reported = request.GET.get("reported") == "1"
    if reported:
        comments = comments.filter(reports__resolved=False).distinct()
    after = _parse_after(request.GET.get("after", ""))
    if after:
        stamp, pk = after
        comments = comments.filter(Q(created__gt=stamp) | Q(created=stamp, pk__gt=pk))
    rows = list(comments.prefetch_related("reports").order_by("created", "pk")[: PER_PAGE + 1])
    has_next = len(rows) > PER_PAGE
    rows = annotate_commenter_context(rows[:PER_PAGE])

    parent_ids = {row.parent_id for row in rows if row.parent_id != row.pk}
    parents = dict(ArticleComment.objects.select_related(None).filter(pk__in=parent_ids).values_list("pk", "comment"))
    for row in rows:
        row.excerpt = excerpt(row.comment, 300)
        row.parent_excerpt = excerpt(parents.get(row.parent_id, ""), 80) if row.parent_id != row.pk else ""
        row.open_reports = [report for report in row.reports.all() if not report.resolved]

    filters = {
        "status": status,
        "article": str(article_id) if article_id else "",  # the filter actually applied
        "reported": "1" if reported else "",
    }
    next_url = None
    if has_next:
        last = rows[-1]
        next_url = "?" + urlencode({**filters, "after": f"{last.created.isoformat()},{last.pk}"})
    articles = (
        ArticlePage.objects.filter(reader_comments__isnull=False)
        .distinct()
        .order_by("title")
        .values_list("pk", "title")
    )
    context = {
        "comments": rows,
        "filters": filters,
        "statuses": CommentStatus.choices,
        "articles": articles,
        "next_url": next_url,
        "first_url": "?" + urlencode(filters) if after else None,
        "actions": [(name, name.capitalize()) for name in services.TRANSITIONS],
        "current_url": request.get_full_path(),
    }
    return TemplateResponse(request, "comments/admin/queue.html", context)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("comments_admin:queue")


@require_POST
def act(request, pk, action):
    require_moderator(request)
    if action not in services.TRANSITIONS:
        raise Http404
    comment = ArticleComment.objects.filter(pk=pk).first()
    if comment is None:
        raise Http404
    try:
        _, changed = services.comment_transition(comment=comment, action=action, moderator=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        verb = PAST_TENSE[action]
        messages.success(request, f"Comment by {comment.user_name} {verb}." if changed else f"Already {verb}.")
    return _back(request)


@require_POST
def bulk(request):
    require_moderator(request)
    action = request.POST.get("action", "")
    ids = [pk for pk in map(parse_id, request.POST.getlist("ids")) if pk]
    if action not in services.TRANSITIONS or not ids:
        messages.error(request, "Choose comments and an action.")
        return _back(request)
    updated = services.comments_bulk(ids=ids, action=action, moderator=request.user)
    messages.success(request, f"{updated} comment{'s' if updated != 1 else ''} {PAST_TENSE[action]}.")
    return _back(request)


def history(request, pk):
    require_moderator(request)
    comment = ArticleComment.objects.select_related("article").filter(pk=pk).first()
    if comment is None:
        raise Http404
    context = {
        "comment": comment,
        "excerpt": excerpt(comment.comment, 500),
        "entries": comment_history(comment),
    }
    return TemplateResponse(request, "comments/admin/history.html", context)
