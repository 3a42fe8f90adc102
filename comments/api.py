"""Reader endpoints for comments (``/api/comments/``); the moderators' are in ``moderation_api.py``.

django-comments-xtd's own API is not mounted: it leaks e-mail hashes, accepts any target and has
no moderation. These views keep its model and threading and put our rules around them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from comments import selectors, services
from comments.auth import AllowedOrigin
from comments.models import ArticleComment, CommentReport, CommentStatus
from comments.posting_limits import posting_place
from core.api_errors import JSONErrorsMixin
from core.cache import page_tag, tag_request, thread_tag
from core.client_address import client_address
from core.ids import MAX_ID
from core.sanitize import is_safe_url, sanitize_plain
from core.validators import display_name, strict_email

PENDING_MESSAGE = "Thank you! Your comment is awaiting moderation and will appear once a moderator approves it."


class JSONOnlyMixin(JSONErrorsMixin):
    """Errors are JSON (``JSONErrorsMixin``) and writes must be JSON: anything else is a 415, once the
    caller is allowed and before any field is read."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # who may call, first: a 401/403 tells nothing about the body
        try:
            has_body = int(request.META.get("CONTENT_LENGTH") or 0) > 0
        except ValueError:
            has_body = True
        media_type = request.content_type.split(";")[0].strip().lower()
        if request.method == "POST" and has_body and media_type != "application/json":
            raise exceptions.UnsupportedMediaType(media_type or "none")


# --- public --------------------------------------------------------------------------------------
@extend_schema_field({"type": "string", "maxLength": 0, "description": "Leave empty. Filled in only by bots."})
class HoneypotField(serializers.CharField):
    """Any value is refused with a field error; the schema says so (``maxLength: 0``)."""


class CommentInputSerializer(serializers.Serializer):
    # Not bounded here: any id that names no commentable page or approved comment is the one 404
    # (docs/api.md), 0 and 40-digit ids included; ``core.ids.parse_id`` keeps them from the database.
    page = serializers.IntegerField()
    parent = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=settings.COMMENTS_NAME_MAX_LENGTH, min_length=1, trim_whitespace=True)
    email = serializers.EmailField(max_length=254)
    url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The commenter's website: empty, or an http(s) address.",
    )
    body = serializers.CharField(max_length=settings.COMMENTS_MAX_LENGTH, min_length=1, trim_whitespace=True)
    followup = serializers.BooleanField(required=False, default=False)
    honeypot = HoneypotField(required=False, allow_blank=True, default="")

    def validate_email(self, value):
        try:
            return strict_email(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_name(self, value):
        try:
            value = display_name(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        # Normalising can lengthen a name ("\ufdfa" becomes 18 letters): the limit holds after it too.
        if len(value) > settings.COMMENTS_NAME_MAX_LENGTH:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {settings.COMMENTS_NAME_MAX_LENGTH} characters."
            )
        if not sanitize_plain(value):
            raise serializers.ValidationError("Enter a name.")
        if selectors.staff_name_taken(value):
            raise serializers.ValidationError("This name belongs to a member of staff; choose another.")
        return value

    def validate_url(self, value):
        if value and not is_safe_url(value):
            raise serializers.ValidationError("Enter a web address starting with http:// or https://.")
        return value

    def validate_honeypot(self, value):
        if value:
            raise serializers.ValidationError("This field must be left empty.")
        return value


@extend_schema_field(
    {
        "type": "array",
        "items": {"$ref": "#/components/schemas/CommentNode"},
        "description": "Approved replies, oldest first.",
    }
)
class RepliesField(serializers.ListField):
    """Replies are comments again: the schema refers to ``CommentNode`` itself."""


class CommentNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True, help_text="Empty for a removed comment.")
    url = serializers.CharField(allow_blank=True, help_text="The commenter's website, or empty.")
    body = serializers.CharField(help_text="Sanitized HTML; empty for a removed comment.")
    created = serializers.DateTimeField()
    level = serializers.IntegerField(help_text="0 for a top-level comment, 1 for a reply to it, ...")
    removed = serializers.BooleanField(help_text="Removed by a moderator and kept for its replies.")
    replies = RepliesField()


class ThreadPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Top-level threads in all.")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = CommentNodeSerializer(many=True)


ACCEPTED_SCHEMA = inline_serializer(
    "CommentAccepted",
    {
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(choices=["pending"]),
        "message": serializers.CharField(help_text="Tell the reader their comment awaits moderation."),
    },
)
REPORT_ACCEPTED = inline_serializer("ReportAccepted", {"detail": serializers.CharField(help_text="A thank-you.")})


def submit_comment(request, data):
    """Validate and store a reader's comment; shared by the API and the page's form."""
    serializer = CommentInputSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    values = serializer.validated_data
    article = selectors.commentable_article(values["page"])
    if article is None:
        raise Http404
    parent = None
    if values.get("parent"):
        parent = selectors.approved_parent(article, values["parent"])
        if parent is None:
            raise Http404
        if parent.level + 1 >= settings.COMMENTS_MAX_DEPTH:
            raise exceptions.ValidationError({"parent": ["Replies cannot be nested any deeper."]})
    try:
        return services.comment_create(
            article=article,
            parent=parent,
            name=values["name"],
            email=values["email"],
            url=values.get("url", ""),
            body=values["body"],
            followup=values.get("followup", False),
            client_ip=client_address(request),
        )
    except services.CommentRejected as exc:
        raise exceptions.ValidationError(exc.errors) from exc


class CommentListCreateView(JSONOnlyMixin, APIView):
    """The approved threads of an article, and the way in for a new comment."""

    authentication_classes = []
    permission_classes = [AllowedOrigin]

    @extend_schema(
        summary="An article's comment threads",
        description="The approved comments of a live, public, commentable article, paginated over top-level "
        "comments, each with its replies nested.",
        parameters=[
            OpenApiParameter("page", int, required=True, description="The article's page id."),
            OpenApiParameter("offset", int, description="Top-level comments to skip."),
            OpenApiParameter("limit", int, description="Top-level comments per answer (1 to 100)."),
        ],
        responses={200: ThreadPageSerializer},
    )
    def get(self, request):
        article = selectors.commentable_article(request.query_params.get("page"))
        if article is None:
            raise Http404
        tag_request(request, page_tag(article), thread_tag(article))
        errors, numbers = {}, {}
        for name, default in [("offset", 0), ("limit", settings.COMMENTS_THREADS_PER_PAGE)]:
            try:
                numbers[name] = int(request.query_params.get(name, default))
            except ValueError:
                errors[name] = ["Must be a whole number."]
        if errors:
            raise exceptions.ValidationError(errors)
        offset = min(max(numbers["offset"], 0), MAX_ID)
        limit = min(max(numbers["limit"], 1), 100)
        total, trees = selectors.public_thread_page(article, offset=offset, limit=limit)

        def link(new_offset):
            return request.build_absolute_uri(f"{request.path}?page={article.pk}&offset={new_offset}&limit={limit}")

        return Response(
            {
                "count": total,
                "next": link(offset + limit) if offset + limit < total else None,
                "previous": link(max(offset - limit, 0)) if offset > 0 else None,
                "results": trees,
            }
        )

    @extend_schema(
        summary="Post a comment",
        description="Stores a comment or a reply (`parent`) for a moderator to approve; it is not public until "
        "then. One 404 for a page or parent that cannot take it.",
        request=CommentInputSerializer,
        responses={202: ACCEPTED_SCHEMA},
    )
    def post(self, request):
        """Only an accepted comment counts toward the posting limit (``comments/posting_limits.py``)."""
        with posting_place(request):
            comment = submit_comment(request, request.data)
        return Response(
            {"id": comment.pk, "status": comment.status, "message": PENDING_MESSAGE},
            status=status.HTTP_202_ACCEPTED,
        )


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CommentReport.Reason.choices)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class CommentReportView(JSONOnlyMixin, APIView):
    """A reader flags an approved comment for the moderators."""

    authentication_classes = []
    permission_classes = [AllowedOrigin]

    @extend_schema(
        summary="Report a comment",
        description="Flags an approved comment for the moderators.",
        request=ReportInputSerializer,
        responses={202: REPORT_ACCEPTED},
    )
    def post(self, request, pk):
        with posting_place(request):  # a filed report counts toward the limit, a refused one does not
            comment = ArticleComment.objects.filter(pk=pk, status=CommentStatus.APPROVED).first()
            # The same 404 as the thread's: a comment on a page that is not live, public and commentable
            # cannot be reported, or a 202 would tell that it exists.
            if comment is None or selectors.commentable_article(comment.article_id) is None:
                raise Http404
            serializer = ReportInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.report_create(comment=comment, **serializer.validated_data)
        return Response({"detail": "Thank you. A moderator will look at it."}, status=status.HTTP_202_ACCEPTED)
