"""What the queue shows: Wagtail's filter set (django-filter) and the search over text, name and e-mail.

The listing view and the "select all in listing" bulk actions share ``filtered_comments``, so a
bulk action on "all" acts on exactly the comments the moderator was looking at.
"""

import django_filters
from django import forms
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet

from articles.models import ArticlePage
from comments.models import ArticleComment, CommentReport, CommentStatus

DEFAULT_SHOW = CommentStatus.PENDING
REPORTED = "reported"
ANY = "all"
SHOW_CHOICES = [
    (CommentStatus.PENDING, "Pending"),
    (REPORTED, "Reported (any status)"),
    (CommentStatus.APPROVED, "Approved"),
    (CommentStatus.REJECTED, "Rejected"),
    (CommentStatus.SPAM, "Spam"),
    (CommentStatus.REMOVED, "Removed"),
    (ANY, "Any status"),
]
SEARCH_FIELDS = ["comment", "user_name", "user_email"]


def open_report_ids():
    """The comments with a report no moderator has dealt with yet, whatever their status."""
    return CommentReport.objects.filter(resolved=False).values("comment_id")


def show(queryset, value):
    if value == REPORTED:
        return queryset.filter(pk__in=open_report_ids())
    if value == ANY:
        return queryset
    return queryset.filter(status=value)


class QueueFilterSet(WagtailFilterSet):
    """ "Show" (pending by default, reported, a status, any) and the article. Applied as soon as they
    change, as every Wagtail listing's filters are (the results are swapped in without a reload)."""

    status = django_filters.ChoiceFilter(
        label="Show",
        choices=SHOW_CHOICES,
        empty_label=None,
        initial=DEFAULT_SHOW,
        method="filter_status",
        widget=forms.RadioSelect,
    )
    article = django_filters.ModelChoiceFilter(
        label="Article",
        queryset=ArticlePage.objects.order_by("title").only("pk", "title"),
        empty_label="All articles",
    )

    class Meta:
        model = ArticleComment
        fields = []

    def filter_status(self, queryset, name, value):
        return show(queryset, value or DEFAULT_SHOW)


def queue_data(params):
    """The filter data with "Show" defaulting to pending: a missing or unknown value is pending."""
    data = params.copy()
    if data.get("status") not in dict(SHOW_CHOICES):
        data["status"] = DEFAULT_SHOW
    return data


def search(queryset, query):
    """Comments whose text, commenter's name or e-mail contains ``query`` (any case)."""
    if not query:
        return queryset
    wanted = Q()
    for field in SEARCH_FIELDS:
        wanted |= Q(**{f"{field}__icontains": query})
    return queryset.filter(wanted)


def filtered_comments(params, queryset):
    """``queryset`` narrowed as the listing with these GET ``params`` narrows it (bulk "select all")."""
    filters = QueueFilterSet(queue_data(params), queryset=queryset)
    queryset = filters.qs if filters.is_valid() else show(queryset, DEFAULT_SHOW)
    return search(queryset, (params.get("q") or "").strip()[:255])
