"""Admin integration for comments: audit-log action names, the "Comments" menu item with the
number pending, and the moderation queue's URLs (views in ``comments/views.py``)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

import comments.converters  # noqa: F401 - registers <id:…>
from comments import views
from comments.models import ArticleComment, CommentStatus

LOG_ACTIONS = [
    ("comments.submit", "Submit comment", "Submitted"),
    ("comments.approve", "Approve comment", "Approved"),
    ("comments.reject", "Reject comment", "Rejected"),
    ("comments.spam", "Mark comment as spam", "Marked as spam"),
    ("comments.remove", "Remove comment", "Removed"),
    ("comments.report", "Report comment", "Reported by a reader"),
    ("comments.erase", "Erase commenter's data", "Commenter's data erased"),
]


@hooks.register("register_log_actions")
def register_comment_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


class CommentsMenuItem(MenuItem):
    """ "Comments (N)": N pending, one cheap indexed COUNT, shown to moderators only."""

    def is_shown(self, request):
        return request.user.has_perm("comments.moderate_comments")

    def render_component(self, request):
        pending = ArticleComment.objects.filter(status=CommentStatus.PENDING).count()
        label = f"Comments ({pending})" if pending else "Comments"
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return CommentsMenuItem(
        "Comments", reverse("comments_admin:queue"), name="comments", icon_name="comment", order=250
    )


@hooks.register("register_admin_urls")
def register_comments_admin_urls():
    urls = [
        path("", views.queue, name="queue"),
        path("bulk/", views.bulk, name="bulk"),
        path("<id:pk>/history/", views.history, name="history"),
        path("<id:pk>/<str:action>/", views.act, name="act"),
    ]
    return [path("comments/", include((urls, "comments_admin"), namespace="comments_admin"))]
