"""OpenAPI description of the content endpoints (drf-spectacular), as decorators for the viewsets.

Wagtail's API v2 viewsets build their serializers per request, which drf-spectacular cannot
inspect; the shapes below describe what they return (docs/api.md), so frontends get typed schemas.
An article body's shape comes from its blocks (``articles/schema.py``).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers

from articles.blocks import ArticleBodyBlock
from articles.schema import ImageObject, body_schema

IMAGE = ImageObject(allow_null=True)
PAGE_LINK = inline_serializer(
    "PageLink",
    {"id": serializers.IntegerField(), "title": serializers.CharField(), "url": serializers.URLField()},
    allow_null=True,
)
ITEM_META = inline_serializer(
    "ItemMeta",
    {
        "type": serializers.CharField(),
        "detail_url": serializers.URLField(),
        "html_url": serializers.URLField(),
    },
)
ARTICLE_DETAIL = inline_serializer(
    "ArticlePage",
    {
        "id": serializers.IntegerField(),
        "meta": ITEM_META,
        "title": serializers.CharField(),
        "intro": serializers.CharField(),
        "date": serializers.DateField(),
        "author": inline_serializer(
            "Author",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "bio": serializers.CharField(),
                "photo": IMAGE,
            },
            allow_null=True,
        ),
        "hero_image": IMAGE,
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
                "thumbnail": IMAGE,
            },
            many=True,
        ),
        "previous_post": PAGE_LINK,
        "next_post": PAGE_LINK,
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
                "photo": IMAGE,
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
NOT_FOUND = inline_serializer("NotFound", {"detail": serializers.CharField()})


def listing(name, item_name, item_fields):
    return inline_serializer(
        name,
        {
            "meta": inline_serializer(f"{name}Meta", {"total_count": serializers.IntegerField()}),
            "items": inline_serializer(item_name, item_fields, many=True),
        },
    )


PAGE_ITEM = {"id": serializers.IntegerField(), "meta": ITEM_META, "title": serializers.CharField()}
TESTIMONIAL_ITEM = {
    "id": serializers.IntegerField(),
    "meta": ITEM_META,
    "quote": serializers.CharField(),
    "name": serializers.CharField(),
    "role": serializers.CharField(),
    "photo": IMAGE,
}
LISTING_PARAMS = [
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
    OpenApiParameter("fields", str, description="Comma-separated extra fields, or *."),
    OpenApiParameter("search", str),
]


# Decorators for the Wagtail viewsets' own methods (listing_view, detail_view, find_view).
pages_listing = extend_schema(
    operation_id="pages_list",
    parameters=[
        *LISTING_PARAMS,
        OpenApiParameter("type", str, description="e.g. articles.ArticlePage"),
        OpenApiParameter("child_of", int),
        OpenApiParameter("order", str),
    ],
    responses={200: listing("PageListing", "PageListItem", PAGE_ITEM), 400: NOT_FOUND},
)
pages_detail = extend_schema(operation_id="pages_retrieve", responses={200: ARTICLE_DETAIL, 404: NOT_FOUND})
pages_find = extend_schema(
    parameters=[OpenApiParameter("html_path", str, required=True)], responses={302: None, 404: NOT_FOUND}
)
testimonials_listing = extend_schema(
    operation_id="testimonials_list",
    parameters=LISTING_PARAMS,
    responses={200: listing("TestimonialListing", "TestimonialListItem", TESTIMONIAL_ITEM)},
)
testimonials_detail = extend_schema(
    operation_id="testimonials_retrieve",
    responses={200: inline_serializer("Testimonial", TESTIMONIAL_ITEM), 404: NOT_FOUND},
)
preview_listing = extend_schema(
    parameters=[
        OpenApiParameter("content_type", str, required=True, description="e.g. articles.articlepage"),
        OpenApiParameter("token", str, required=True),
    ],
    responses={200: ARTICLE_DETAIL, 404: NOT_FOUND},
)
excluded = extend_schema(exclude=True)
