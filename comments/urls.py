from django.urls import path

from comments import api

urlpatterns = [
    path("comments/", api.CommentListCreateView.as_view(), name="comments-thread"),
    path("comments/<int:pk>/report/", api.CommentReportView.as_view(), name="comments-report"),
    path("moderation/comments/", api.ModerationQueueView.as_view(), name="moderation-queue"),
    path("moderation/comments/bulk/", api.ModerationBulkView.as_view(), name="moderation-bulk"),
    path(
        "moderation/comments/<int:pk>/history/",
        api.ModerationHistoryView.as_view(),
        name="moderation-history",
    ),
    *[
        path(
            f"moderation/comments/<int:pk>/{action}/",
            api.ModerationActionView.as_view(action_name=action),
            name=f"moderation-{action}",
        )
        for action in ("approve", "reject", "spam", "remove")
    ],
]
