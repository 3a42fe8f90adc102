"""The queue's listing: Wagtail's generic ``IndexView`` (filters, search, sortable columns, the
results swapped in as filters change) with Wagtail's bulk-action checkboxes and footer.

One thing differs from Wagtail's listings, on purpose: pagination is by key (the sort column, then
``pk``), not by page number. Wagtail's paginator counts the whole result for "Page 1 of N"; a queue of
100,000 pending comments would be counted on every page, and page 2,000 would make the database walk
past 100,000 rows. Here page 1 and page 2,000 cost the same, and nothing is counted.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table
from wagtail.admin.views.generic import IndexView

from comments import services
from comments.admin_blocks import annotate_commenter_context
from comments.admin_queue import filters
from comments.models import ArticleComment, CommentReport, CommentStatus
from core.ids import parse_id

PER_PAGE = 50
# A row's buttons: (action, label, key). Only those valid from the row's state are shown.
ROW_ACTIONS = [("approve", "Approve", "a"), ("reject", "Reject", "r"), ("spam", "Spam", "s"), ("remove", "Remove", "")]
SORT_FIELDS = {"created": "created", "user_name": "user_name"}


def require_moderator(request):
    if not request.user.has_perm("comments.moderate_comments"):
        raise PermissionDenied


def excerpt(html, length=120):
    return Truncator(strip_tags(html or "")).chars(length)


def valid_actions(comment):
    """The moderation actions that would change this comment, from ``services.TRANSITIONS``."""
    actions = [
        (action, label, key)
        for action, label, key in ROW_ACTIONS
        if comment.status in services.TRANSITIONS[action][1] and comment.status != services.TRANSITIONS[action][0]
    ]
    if comment.open_reports and comment.status == CommentStatus.APPROVED:
        actions.insert(0, ("dismiss", "Keep, dismiss reports", ""))
    return actions


class QueueColumn(Column):
    """A column drawn by one of ``templates/comments/admin/cells/``, which also gets the page's
    return URL and CSRF token (Wagtail renders cells without the request's context processors)."""

    def __init__(self, name, template, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = f"comments/admin/cells/{template}.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["next_url"] = parent_context["table"].next_url
        if self.name in ("actions", "commenter"):  # their forms POST
            context["csrf_token"] = get_token(parent_context["request"])
        if self.name == "actions":
            context["actions"] = valid_actions(instance)
        return context


class QueueTable(Table):
    """Each row is a target for the keyboard shortcuts (``static/comments/admin/queue.js``)."""

    def __init__(self, *args, next_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.next_url = next_url

    def get_row_attrs(self, instance):
        return {"id": f"comment-{instance.pk}", "data-queue-row": "", "class": f"queue-row status-{instance.status}"}


class KeysetPage:
    """What Wagtail's bulk-action footer asks of a page: are there other pages?"""

    def __init__(self, has_next, has_previous):
        self.has_next, self.has_previous = has_next, has_previous

    def has_other_pages(self):
        return self.has_next or self.has_previous


def parse_cursor(value, field):
    """``"<pk>,<value of the sort field>"`` as ``(value, pk)``; None if it is not one."""
    pk, _, raw = (value or "").partition(",")
    pk = parse_id(pk)
    if pk is None:
        return None
    if field == "created":
        try:
            return datetime.fromisoformat(raw), pk
        except ValueError:
            return None
    return raw, pk


class QueueView(IndexView):
    """The moderators' queue: pending first (oldest first), reported comments whatever their status."""

    model = ArticleComment
    permission_policy = None  # moderators hold comments.moderate_comments only (core/groups.py)
    any_permission_required = None
    template_name = "comments/admin/queue.html"
    results_template_name = "comments/admin/queue_results.html"
    index_url_name = "comments_admin:queue"
    index_results_url_name = "comments_admin:queue_results"
    page_title = "Comments"
    header_icon = "comment"
    filterset_class = filters.QueueFilterSet
    search_fields = filters.SEARCH_FIELDS
    default_ordering = "created"
    paginate_by = PER_PAGE
    table_class = QueueTable
    table_classname = "listing comments-queue"
    verbose_name = "comment"
    verbose_name_plural = "comments"
    columns = [
        BulkActionsCheckboxColumn("bulk_actions", obj_type="comment"),
        QueueColumn("comment", "comment", label="Comment"),
        QueueColumn("commenter", "commenter", label="Commenter", sort_key="user_name"),
        QueueColumn("article", "article", label="Article"),
        QueueColumn("created", "created", label="Submitted", sort_key="created", classname="queue-date"),
        QueueColumn("actions", "actions", label="Actions"),
    ]

    def dispatch(self, request, *args, **kwargs):
        require_moderator(request)
        return super().dispatch(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.is_export = False  # no spreadsheet of e-mail addresses and networks

    @cached_property
    def header_buttons(self):
        return []

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, *super().get_breadcrumbs_items()]

    def get_base_queryset(self):
        open_reports = CommentReport.objects.filter(resolved=False).order_by("-created")
        return (
            ArticleComment.objects.select_related(None)
            .select_related("article")
            .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        )

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "data": filters.queue_data(self.request.GET)}

    def filter_queryset(self, queryset):
        if self.filters and self.filters.is_valid():
            return self.filters.filter_queryset(queryset)
        return filters.show(queryset, filters.DEFAULT_SHOW)

    def search_queryset(self, queryset):
        return filters.search(queryset, self.search_query) if self.is_searching else queryset

    @cached_property
    def sort(self):
        """(field, descending) of the chosen column; ``pk`` breaks ties in the same direction."""
        ordering = self.ordering or self.default_ordering
        return SORT_FIELDS[ordering.lstrip("-")], ordering.startswith("-")

    def order_queryset(self, queryset):
        field, descending = self.sort
        sign = "-" if descending else ""
        return queryset.order_by(f"{sign}{field}", f"{sign}pk")

    def paginate_queryset(self, queryset, page_size):
        field, descending = self.sort
        cursor = parse_cursor(self.request.GET.get(self.page_kwarg), field)
        if cursor:
            value, pk = cursor
            op = "lt" if descending else "gt"
            queryset = queryset.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk}))
        rows = list(queryset[: page_size + 1])
        self.has_next = len(rows) > page_size
        rows = rows[:page_size]
        self._annotate(rows)
        self.keyset_page = KeysetPage(self.has_next, cursor is not None)
        return None, None, rows, False

    def _annotate(self, rows):
        annotate_commenter_context(rows)  # history and blocks beside each row: two queries per page
        parent_ids = {row.parent_id for row in rows if row.parent_id != row.pk}
        parents = dict(
            ArticleComment.objects.select_related(None).filter(pk__in=parent_ids).values_list("pk", "comment")
        )
        for row in rows:
            row.excerpt = excerpt(row.comment, 300)
            row.parent_excerpt = excerpt(parents.get(row.parent_id, ""), 80) if row.parent_id != row.pk else ""

    def _url(self, **changes):
        params = self.request.GET.copy()
        params.pop("_w_filter_fragment", None)
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None:
                params[key] = value
        query = params.urlencode()
        return self.index_url + (f"?{query}" if query else "")

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "next_url": self._url()}

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = context["object_list"]
        field, _ = self.sort
        if self.has_next:
            last = rows[-1]
            value = getattr(last, field)
            value = value.isoformat() if field == "created" else value
            context["next_page_url"] = self._url(p=f"{last.pk},{value}")
        if self.keyset_page.has_previous:
            context["first_page_url"] = self._url(p=None)
        context["keyset_page"] = self.keyset_page
        context["showing"] = dict(filters.SHOW_CHOICES).get(filters.queue_data(self.request.GET)["status"])
        return context
