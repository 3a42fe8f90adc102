"""OpenAPI description of the content endpoints (drf-spectacular), as decorators for the viewsets.

Wagtail's API v2 viewsets build their serializers per request, which drf-spectacular cannot
inspect; the shapes here and in ``articles/page_schema.py`` describe what they return (docs/api.md).
Error answers are added to every operation by ``core.schema.document_errors``.
Descriptions are for frontend developers: each operation sets its own, so no docstring leaks in.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

from articles.page_schema import optional, page_detail_union, page_list_item, testimonial_fields

LISTING_PARAMS = [
    OpenApiParameter("limit", int, description="Items per answer (default 20)."),
    OpenApiParameter("offset", int, description="Items to skip."),
    OpenApiParameter(
        "fields",
        str,
        description="Comma-separated fields to add (`*` for all), or to remove with a `-` prefix "
        "(`-title`); `_` first starts from none.",
    ),
    OpenApiParameter("search", str, description="Plain words to search for (255 characters at most)."),
    OpenApiParameter("search_operator", str, description="`and` or `or` (default), with `search`."),
]


def listing(name, item):
    return inline_serializer(
        name,
        {
            "meta": inline_serializer(
                f"{name}Meta", {"total_count": serializers.IntegerField(help_text="Items in all, over every offset.")}
            ),
            "items": item,
        },
    )


def testimonial(name, **kwargs):
    """A testimonial; in a listing (``many``), ``fields`` may add or remove any field."""
    listed = kwargs.get("many", False)
    meta = {"type": serializers.CharField(), "detail_url": serializers.URLField()}
    fields = {**testimonial_fields(), "featured": serializers.BooleanField()}
    if listed:
        meta = {key: optional(field) for key, field in meta.items()}
        fields = {key: optional(field) for key, field in fields.items()}
    fields["meta"] = inline_serializer(f"{name}Meta", meta, required=not listed)
    return inline_serializer(name, fields, **kwargs)


# Decorators for the Wagtail viewsets' own methods (listing_view, detail_view, find_view).
pages_listing = extend_schema(
    operation_id="pages_list",
    summary="List pages",
    description="Live, public pages. Each item holds `id`, `meta` and `title` unless `fields` says otherwise; "
    "with `type`, the fields of that page type can be asked for.",
    parameters=[
        *LISTING_PARAMS,
        OpenApiParameter("type", str, description="A page type, e.g. `articles.ArticlePage`."),
        OpenApiParameter("child_of", int, description="Only the children of this page."),
        OpenApiParameter("descendant_of", int, description="Only the descendants of this page."),
        OpenApiParameter("order", str, description="A field to order by (`-date` for newest first), or `random`."),
    ],
    responses={200: listing("PageListing", page_list_item(many=True))},
)
pages_detail = extend_schema(
    operation_id="pages_retrieve",
    summary="A page",
    description="A live, public page with every field of its type; `meta.type` says which type it is.",
    responses={200: page_detail_union()},
)
pages_find = extend_schema(
    summary="Find a page by its path",
    description="Redirects to the detail of the live, public page at `html_path` on this site.",
    parameters=[OpenApiParameter("html_path", str, required=True, description="e.g. `/articles/my-article/`.")],
    responses={302: OpenApiResponse(description="`Location` is the page's detail URL.")},
)
testimonials_listing = extend_schema(
    operation_id="testimonials_list",
    summary="List testimonials",
    description="Live testimonials.",
    parameters=LISTING_PARAMS,
    responses={200: listing("TestimonialListing", testimonial("TestimonialListItem", many=True))},
)
testimonials_detail = extend_schema(
    operation_id="testimonials_retrieve",
    summary="A testimonial",
    description="A live testimonial.",
    responses={200: testimonial("Testimonial")},
)
preview_listing = extend_schema(
    summary="A draft, for the headless preview",
    description="The draft an editor is previewing, with the fields of a page's detail. The admin's preview "
    "panel opens the frontend's preview route with `content_type` and `token`; the token expires.",
    parameters=[
        OpenApiParameter("content_type", str, required=True, description="e.g. `articles.articlepage`."),
        OpenApiParameter("token", str, required=True),
    ],
    responses={200: page_detail_union()},
)
excluded = extend_schema(exclude=True)
