"""Comments in Wagtail: what an article page and its API detail show of the thread, audit-log action
names, the "Comments" menu item with the numbers pending and reported, the moderation queue's URLs
and bulk actions (``comments/admin_queue/``), the block buttons beside each comment and Settings ›
Blocked commenters (``comments/admin_blocks.py``) and Settings › API tokens (``comments/token_admin.py``)."""

from django.conf import settings
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.snippets.models import register_snippet

import core.converters  # noqa: F401 - registers <id:…>
from comments import admin_blocks, site_forms
from comments.admin_queue import actions, counts
from comments.admin_queue.listing import QueueView
from comments.selectors import public_comment_count, public_thread_page, thread_api_url
from comments.token_admin import APITokenViewSet
from core.cache import tag_request, thread_tag


@hooks.register("describe_article_comments")
def describe_article_comments(article, request):
    """The article's ``comments`` field: approved comments only are counted."""
    tag_request(request, thread_tag(article))
    return {
        "enabled": article.allow_comments,
        "count": public_comment_count(article),
        "url": thread_api_url(article, request),
    }


@hooks.register("article_page_context")
def article_comments_context(article, request):
    """The approved thread (paginated by top-level comment) and an empty form, for the rendered page."""
    if not article.allow_comments:
        return {}
    per_page = settings.COMMENTS_THREADS_PER_PAGE
    try:
        number = min(max(int(request.GET.get("comments", 1)), 1), 1_000_000)
    except ValueError:
        number = 1
    if article.pk is None:  # the preview of an article never saved yet: no thread can exist
        total, threads = 0, []
    else:
        total, threads = public_thread_page(article, offset=(number - 1) * per_page, limit=per_page)
    return {
        "comment_threads": threads,
        "comment_thread_count": total,
        "comments_page": number,
        "comments_has_next": number * per_page < total,
        **site_forms.form_context(article, request),
        "comment_max_level": settings.COMMENTS_MAX_DEPTH - 1,
    }


LOG_ACTIONS = [
    ("comments.submit", "Submit comment", "Submitted"),
    ("comments.approve", "Approve comment", "Approved"),
    ("comments.reject", "Reject comment", "Rejected"),
    ("comments.spam", "Mark comment as spam", "Marked as spam"),
    ("comments.remove", "Remove comment", "Removed"),
    ("comments.report", "Report comment", "Reported by a reader"),
    ("comments.dismiss_reports", "Dismiss reports", "Reports dismissed, comment kept"),
    ("comments.erase", "Erase commenter's data", "Commenter's data erased"),
    ("comments.block", "Block commenter", "Blocked from the moderation queue"),
    ("comments.unblock", "Unblock commenter", "Unblocked"),
]


@hooks.register("register_log_actions")
def register_comment_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


class CommentsMenuItem(MenuItem):
    """ "Comments (N) ⚑M": N pending (one indexed COUNT), M with open reports whatever their status
    (counted on the reports table), both said in words in the link's name; moderators only."""

    def is_shown(self, request):
        return request.user.has_perm("comments.moderate_comments")

    def render_component(self, request):
        label, name = counts.menu_label(counts.pending_count(), counts.reported_count())
        attrs = {**self.attrs, "aria-label": name, "title": name}
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name, attrs=attrs)


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return CommentsMenuItem(
        "Comments", reverse("comments_admin:queue"), name="comments", icon_name="comment", order=250
    )


@hooks.register("register_admin_urls")
def register_comments_admin_urls():
    urls = [
        path("", QueueView.as_view(), name="queue"),
        path("results/", QueueView.as_view(results_only=True), name="queue_results"),
        path("<id:pk>/history/", actions.history, name="history"),
        path("<id:pk>/block/<str:kind>/", admin_blocks.block, name="block"),
        path("blocks/<id:pk>/unblock/", admin_blocks.unblock, name="unblock"),
        path("<id:pk>/<str:action>/", actions.act, name="act"),
    ]
    return [path("comments/", include((urls, "comments_admin"), namespace="comments_admin"))]


for bulk_action in actions.BULK_ACTIONS:  # approve, reject, spam, remove: Wagtail's bulk-action footer
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    """Settings › API tokens, for the moderation API's Bearer tokens (``comments/token_admin.py``)."""
    return APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")


register_snippet(admin_blocks.BlockedSenderViewSet)
