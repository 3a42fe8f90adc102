from django.urls import path

import core.converters  # noqa: F401 - registers <id:…>
from comments import api, moderation_api

urlpatterns = [
    path("comments/", api.CommentListCreateView.as_view(), name="comments-thread"),
    path("comments/<id:pk>/report/", api.CommentReportView.as_view(), name="comments-report"),
    path("moderation/comments/", moderation_api.ModerationQueueView.as_view(), name="moderation-queue"),
    path("moderation/comments/bulk/", moderation_api.ModerationBulkView.as_view(), name="moderation-bulk"),
    path(
        "moderation/comments/<id:pk>/history/",
        moderation_api.ModerationHistoryView.as_view(),
        name="moderation-history",
    ),
    *[
        path(
            f"moderation/comments/<id:pk>/{action}/",
            moderation_api.ModerationActionView.as_view(action_name=action),
            name=f"moderation-{action}",
        )
        for action in ("approve", "reject", "spam", "remove")
    ],
]
