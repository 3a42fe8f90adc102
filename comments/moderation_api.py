"""The moderation API (``/api/moderation/``): the queue, actions one by one and in bulk, each
comment's history. Moderators only (a session or a Bearer token with ``comments.moderate_comments``);
every state change goes through ``comments.services``."""

from django.http import Http404
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import ModelLogEntry

from comments import services
from comments.api import DETAIL_SCHEMA, JSONOnlyMixin
from comments.auth import AllowedOrigin, BearerTokenAuthentication, CanModerateComments
from comments.models import ArticleComment, CommentStatus
from core.ids import MAX_ID, parse_id


class ModerationCommentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="user_name")
    email = serializers.EmailField(source="user_email")
    url = serializers.CharField(source="user_url")
    body = serializers.CharField(source="comment")
    created = serializers.DateTimeField()
    client_address = serializers.CharField(source="ip_address", allow_null=True)
    article = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()

    class Meta:
        model = ArticleComment
        fields = [
            "id", "status", "name", "email", "url", "body", "created", "level", "client_address",
            "held_reasons", "reports", "article", "parent", "moderated_at",
        ]  # fmt: skip

    def get_article(self, comment) -> dict:
        article = comment.article
        return {
            "id": article.pk,
            "title": article.title,
            "url": article.get_full_url(self.context.get("request")),
        }

    def get_parent(self, comment) -> int | None:
        return None if comment.parent_id == comment.pk else comment.parent_id

    def get_reports(self, comment) -> list:
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


class ModerationQueueView(ModerationMixin, APIView):
    """The queue: pending comments oldest first by default, with filters."""

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[choice for choice, _ in CommentStatus.choices]),
            OpenApiParameter("page", int, description="Only this article's comments."),
            OpenApiParameter("reported", bool),
            OpenApiParameter("cursor", str),
            OpenApiParameter("limit", int),
        ],
        responses={200: ModerationCommentSerializer(many=True)},
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
        responses={200: ModerationCommentSerializer, 404: DETAIL_SCHEMA, 409: DETAIL_SCHEMA},
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
        request=BulkInputSerializer,
        responses={200: inline_serializer("BulkResult", {"updated": serializers.IntegerField()})},
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
    @extend_schema(responses={200: HistoryEntrySerializer(many=True), 404: DETAIL_SCHEMA})
    def get(self, request, pk):
        comment = self.get_comment(pk)
        return Response(HistoryEntrySerializer(comment_history(comment), many=True).data)
