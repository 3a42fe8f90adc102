"""The moderation API (``/api/moderation/``): the queue, actions one by one and in bulk, each
comment's history. Moderators only (a session or a Bearer token with ``comments.moderate_comments``);
every state change goes through ``comments.services``."""

from django.http import Http404
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import ModelLogEntry

from comments import services
from comments.api import JSONOnlyMixin
from comments.auth import AllowedOrigin, BearerTokenAuthentication, CanModerateComments
from comments.models import ArticleComment, CommentReport, CommentStatus
from core.ids import MAX_ID, parse_id

ARTICLE_SCHEMA = inline_serializer(
    "ModerationArticle",
    {"id": serializers.IntegerField(), "title": serializers.CharField(), "url": serializers.URLField()},
)
REPORT_SCHEMA = inline_serializer(
    "ModerationReport",
    {
        "reason": serializers.ChoiceField(choices=CommentReport.Reason.choices),
        "detail": serializers.CharField(allow_blank=True),
        "created": serializers.DateTimeField(),
    },
    many=True,
)


class ModerationCommentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="user_name")
    email = serializers.EmailField(source="user_email", allow_blank=True, help_text="Empty once erased.")
    url = serializers.CharField(source="user_url", allow_blank=True)
    body = serializers.CharField(source="comment", help_text="Sanitized HTML.")
    created = serializers.DateTimeField()
    client_address = serializers.CharField(
        source="ip_address", allow_null=True, help_text="The client's network (IPv4 /24, IPv6 /64), or null."
    )
    held_reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why the rules held it for a moderator."
    )
    article = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField(help_text="The id of the comment this replies to, or null.")
    reports = serializers.SerializerMethodField(help_text="Readers' reports, oldest first.")

    class Meta:
        model = ArticleComment
        fields = [
            "id", "status", "name", "email", "url", "body", "created", "level", "client_address",
            "held_reasons", "reports", "article", "parent", "moderated_at",
        ]  # fmt: skip

    @extend_schema_field(ARTICLE_SCHEMA)
    def get_article(self, comment):
        article = comment.article
        return {
            "id": article.pk,
            "title": article.title,
            "url": article.get_full_url(self.context.get("request")),
        }

    def get_parent(self, comment) -> int | None:
        return None if comment.parent_id == comment.pk else comment.parent_id

    @extend_schema_field(REPORT_SCHEMA)
    def get_reports(self, comment):
        return [
            {"reason": report.reason, "detail": report.detail, "created": report.created.isoformat()}
            for report in comment.reports.all()
        ]


class QueuePagination(CursorPagination):
    """Keyset pagination: no ``COUNT(*)``, the same cost on page 1 and page 5,000."""

    ordering = ("created",)
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class ModerationMixin(JSONOnlyMixin):
    """Moderators only. Every answer (errors too) is ``private, no-store``: it holds e-mail addresses
    and networks, which no shared cache, browser cache or history may keep."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [CanModerateComments, AllowedOrigin]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def get_comment(self, pk):
        comment = ArticleComment.objects.filter(pk=pk).first()
        if comment is None:
            raise Http404
        return comment


QUEUE_PAGE = inline_serializer(
    "ModerationQueuePage",
    {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": ModerationCommentSerializer(many=True),
    },
)


class ModerationQueueView(ModerationMixin, APIView):
    """The queue: pending comments oldest first by default, with filters."""

    @extend_schema(
        summary="The moderation queue",
        description="Comments in one status (pending by default), oldest first, 50 per answer; follow `next` "
        "for more. Holds e-mail and client addresses: moderators only, never cached.",
        parameters=[
            OpenApiParameter("status", str, enum=[choice for choice, _ in CommentStatus.choices]),
            OpenApiParameter("page", int, description="Only this article's comments."),
            OpenApiParameter("reported", bool, description="Only comments with a report not yet resolved."),
            OpenApiParameter("cursor", str, description="From `next` or `previous` of an earlier answer."),
            OpenApiParameter("limit", int, description="Comments per answer (at most 200)."),
        ],
        responses={200: QUEUE_PAGE},
    )
    def get(self, request):
        params = request.query_params
        state = params.get("status", CommentStatus.PENDING)
        if state not in CommentStatus.values:
            raise exceptions.ValidationError({"status": [f"Choose one of: {', '.join(CommentStatus.values)}."]})
        queryset = ArticleComment.objects.filter(status=state)
        if params.get("page"):
            page_id = parse_id(params["page"])
            if page_id is None:
                raise exceptions.ValidationError({"page": ["Must be a page id."]})
            queryset = queryset.filter(article_id=page_id)
        if params.get("reported", "").lower() in {"1", "true", "yes"}:
            queryset = queryset.filter(reports__resolved=False).distinct()
        queryset = queryset.select_related("article").prefetch_related("reports")
        paginator = QueuePagination()
        items = paginator.paginate_queryset(queryset, request, view=self)
        data = ModerationCommentSerializer(items, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class ModerationActionView(ModerationMixin, APIView):
    action_name = None

    @extend_schema(
        request=None,
        summary="Moderate a comment",
        description="Applies the action of the path and answers with the comment. Repeating an action is harmless; "
        "an action that does not apply to the comment's status is a 409.",
        responses={200: ModerationCommentSerializer, 409: OpenApiResponse(description="Not from this status.")},
    )
    def post(self, request, pk):
        comment = self.get_comment(pk)
        try:
            comment, _ = services.comment_transition(comment=comment, action=self.action_name, moderator=request.user)
        except services.InvalidTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        comment = ArticleComment.objects.select_related("article").prefetch_related("reports").get(pk=comment.pk)
        return Response(ModerationCommentSerializer(comment, context={"request": request}).data)


class BulkInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=200
    )
    action = serializers.ChoiceField(choices=sorted(services.TRANSITIONS))


class ModerationBulkView(ModerationMixin, APIView):
    @extend_schema(
        summary="Moderate comments in bulk",
        description="Applies one action to up to 200 comments; those it does not apply to are left as they are.",
        request=BulkInputSerializer,
        responses={
            200: inline_serializer(
                "BulkResult", {"updated": serializers.IntegerField(help_text="Comments whose status changed.")}
            )
        },
    )
    def post(self, request):
        serializer = BulkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.comments_bulk(moderator=request.user, **serializer.validated_data)
        return Response({"updated": updated})


class HistoryEntrySerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    user = serializers.CharField(allow_null=True)
    timestamp = serializers.DateTimeField()
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField(allow_null=True)


def comment_history(comment):
    entries = ModelLogEntry.objects.for_instance(comment).select_related("user").order_by("-timestamp", "-pk")
    return [
        {
            "action": entry.action,
            "label": entry.message,
            "user": entry.user.get_username() if entry.user else None,
            "timestamp": entry.timestamp,
            "from_status": (entry.data or {}).get("from"),
            "to_status": (entry.data or {}).get("to"),
        }
        for entry in entries
    ]


class ModerationHistoryView(ModerationMixin, APIView):
    @extend_schema(
        summary="A comment's history",
        description="The recorded actions on a comment, newest first.",
        responses={200: HistoryEntrySerializer(many=True)},
    )
    def get(self, request, pk):
        comment = self.get_comment(pk)
        return Response(HistoryEntrySerializer(comment_history(comment), many=True).data)
