"""OpenAPI description of the public API (drf-spectacular).

Wagtail's API v2 viewsets build their serializers per request, which drf-spectacular cannot
inspect; the shapes below describe what they return (docs/api.md), so frontends get typed schemas.
An article body's shape comes from its blocks (``articles/schema.py``).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers

from articles.blocks import ArticleBodyBlock
from articles.schema import ImageObject, body_schema

Image = ImageObject(allow_null=True)
PageLink = inline_serializer(
    "PageLink",
    {"id": serializers.IntegerField(), "title": serializers.CharField(), "url": serializers.URLField()},
    allow_null=True,
)
Meta = inline_serializer(
    "ItemMeta",
    {
        "type": serializers.CharField(),
        "detail_url": serializers.URLField(),
        "html_url": serializers.URLField(),
    },
)
ArticleDetail = inline_serializer(
    "ArticlePage",
    {
        "id": serializers.IntegerField(),
        "meta": Meta,
        "title": serializers.CharField(),
        "intro": serializers.CharField(),
        "date": serializers.DateField(),
        "author": inline_serializer(
            "Author",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "bio": serializers.CharField(),
                "photo": Image,
            },
            allow_null=True,
        ),
        "hero_image": Image,
        "body": body_schema(ArticleBodyBlock()),  # oneOf the blocks' own schemas, by type
        "tags": serializers.ListField(child=serializers.CharField()),
        "related_posts": inline_serializer(
            "RelatedPost",
            {
                "id": serializers.IntegerField(),
                "title": serializers.CharField(),
                "url": serializers.URLField(),
                "intro": serializers.CharField(),
                "date": serializers.DateField(),
                "thumbnail": Image,
            },
            many=True,
        ),
        "previous_post": PageLink,
        "next_post": PageLink,
        "share_links": inline_serializer(
            "ShareLinks",
            {name: serializers.CharField() for name in ["facebook", "x", "linkedin", "pinterest", "email"]},
        ),
        "testimonials": inline_serializer(
            "ArticleTestimonial",
            {
                "id": serializers.IntegerField(),
                "quote": serializers.CharField(),
                "name": serializers.CharField(),
                "role": serializers.CharField(),
                "photo": Image,
            },
            many=True,
        ),
        "disclaimer": inline_serializer("Disclaimer", {"body": serializers.CharField()}, allow_null=True),
        "comments": inline_serializer(
            "CommentsSummary",
            {
                "enabled": serializers.BooleanField(),
                "count": serializers.IntegerField(),
                "url": serializers.URLField(),
            },
        ),
    },
)
NotFound = inline_serializer("NotFound", {"detail": serializers.CharField()})


def listing(name, item_name, item_fields):
    return inline_serializer(
        name,
        {
            "meta": inline_serializer(f"{name}Meta", {"total_count": serializers.IntegerField()}),
            "items": inline_serializer(item_name, item_fields, many=True),
        },
    )


PAGE_ITEM = {"id": serializers.IntegerField(), "meta": Meta, "title": serializers.CharField()}
TESTIMONIAL_ITEM = {
    "id": serializers.IntegerField(),
    "meta": Meta,
    "quote": serializers.CharField(),
    "name": serializers.CharField(),
    "role": serializers.CharField(),
    "photo": Image,
}
LISTING_PARAMS = [
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
    OpenApiParameter("fields", str, description="Comma-separated extra fields, or *."),
    OpenApiParameter("search", str),
]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer <token>``: a Wagtail API token (Users › API tokens in the admin)."""

    target_class = "comments.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


# Decorators for the Wagtail viewsets' own methods (listing_view, detail_view, find_view).
pages_listing = extend_schema(
    operation_id="pages_list",
    parameters=[
        *LISTING_PARAMS,
        OpenApiParameter("type", str, description="e.g. articles.ArticlePage"),
        OpenApiParameter("child_of", int),
        OpenApiParameter("order", str),
    ],
    responses={200: listing("PageListing", "PageListItem", PAGE_ITEM), 400: NotFound},
)
pages_detail = extend_schema(operation_id="pages_retrieve", responses={200: ArticleDetail, 404: NotFound})
pages_find = extend_schema(
    parameters=[OpenApiParameter("html_path", str, required=True)], responses={302: None, 404: NotFound}
)
testimonials_listing = extend_schema(
    operation_id="testimonials_list",
    parameters=LISTING_PARAMS,
    responses={200: listing("TestimonialListing", "TestimonialListItem", TESTIMONIAL_ITEM)},
)
testimonials_detail = extend_schema(
    operation_id="testimonials_retrieve",
    responses={200: inline_serializer("Testimonial", TESTIMONIAL_ITEM), 404: NotFound},
)
preview_listing = extend_schema(
    parameters=[
        OpenApiParameter("content_type", str, required=True, description="e.g. articles.articlepage"),
        OpenApiParameter("token", str, required=True),
    ],
    responses={200: ArticleDetail, 404: NotFound},
)
excluded = extend_schema(exclude=True)


def public_api_only(endpoints, **kwargs):
    """Document ``/api/`` only: the admin's internal API is not part of the contract, nor are
    Wagtail's stock image and document endpoints (their shapes are Wagtail's own)."""
    skipped = ("/api/v2/images/", "/api/v2/documents/")
    return [e for e in endpoints if e[0].startswith("/api/") and not e[0].startswith(skipped)]


ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every API error: `{"detail": "…"}`, or `{"errors": {field: [messages]}}` for bad input.',
    "properties": {"detail": {"type": "string"}, "errors": {"type": "object", "additionalProperties": {}}},
}
ERROR_REASONS = {
    "400": "Bad input: field errors, or a query parameter out of range.",
    "401": "No credentials: an admin session or `Authorization: Bearer <token>`.",
    "403": "Credentials without the moderate-comments permission, or a browser origin not allowed.",
    "404": "Nothing public here.",
    "415": "The body is not JSON.",
    "429": "Too many comments from this client; see `Retry-After`.",
}


def document_errors(result, generator, request, public):
    """Add the error answers every ``/api/`` operation can give, as ``core.api_errors`` shapes them.

    Schemathesis (tests/test_fuzz.py) holds the API to this: an answer the schema does not list fails.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {"400", "404"}
            if path.startswith("/api/moderation/"):
                codes |= {"401", "403"}
            if path.startswith("/api/comments/") and method == "post":
                codes |= {"403", "415", "429"}
            if method == "post" and path.startswith("/api/moderation/"):
                codes |= {"415"}
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": ERROR_REASONS[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
