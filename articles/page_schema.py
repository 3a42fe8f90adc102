"""OpenAPI shapes of pages (drf-spectacular): each page type's detail, their union, and listing items.

A page type declares the shape of its own ``api_fields`` (``api_schema_fields()`` on the model, as a
block declares ``api_schema()``); this module adds what Wagtail serves for every page (``id``,
``meta``, ``title``) and joins the types into one ``oneOf`` keyed by ``meta.type``.
tests/test_schema_conformance.py fails for a page type without a shape.

Every field below is a new instance: a DRF field bound to two serializers takes the last one's name
(``next_post`` was once titled "Previous post" and ``previous_post`` was missing).
"""

import copy
import functools

from drf_spectacular.utils import PolymorphicProxySerializer, inline_serializer
from rest_framework import serializers
from wagtail.models import Page, get_page_models

from articles.blocks import ArticleBodyBlock
from articles.schema import ImageObject, body_schema


def image(**kwargs):
    return ImageObject(allow_null=True, **kwargs)


class PageRefMeta(serializers.Serializer):
    type = serializers.CharField(help_text="The page type, e.g. `articles.ArticlePage`.")
    detail_url = serializers.URLField()
    html_url = serializers.URLField(allow_null=True)


class PageRef(serializers.Serializer):
    """Another page: its id, type, URLs and title."""

    id = serializers.IntegerField()
    meta = PageRefMeta()
    title = serializers.CharField()


@functools.cache
def page_meta(model):
    """A detail's ``meta``; ``type`` names the page type, and so the branch of the union."""
    label = page_type(model)
    return inline_serializer(
        f"{model.__name__}Meta",
        {
            "type": serializers.ChoiceField(choices=[label], help_text=f"Always `{label}` for this page type."),
            "detail_url": serializers.URLField(),
            "html_url": serializers.URLField(allow_null=True, help_text="The page on the rendered site."),
            "slug": serializers.CharField(),
            "show_in_menus": serializers.BooleanField(),
            "seo_title": serializers.CharField(allow_blank=True),
            "search_description": serializers.CharField(allow_blank=True),
            "first_published_at": serializers.DateTimeField(allow_null=True),
            "alias_of": PageRef(allow_null=True, help_text="The page this one is an alias of, or null."),
            "parent": PageRef(allow_null=True, help_text="The parent page, or null for the home page."),
        },
    )


def optional(field, **changes):
    """A copy of ``field`` that may be absent (DRF rebuilds a declared field from its arguments)."""
    kwargs = {**copy.deepcopy(field._kwargs), "required": False, **changes}
    return type(field)(*copy.deepcopy(field._args), **kwargs)


def page_type(model):
    return f"{model._meta.app_label}.{model.__name__}"


def public_page_models():
    """Every page type that can be published on the site (not Wagtail's abstract root ``Page``)."""
    return [model for model in get_page_models() if model is not Page]


@functools.cache
def page_detail(model):
    """``GET /api/v2/pages/{id}/`` of one page type."""
    fields = getattr(model, "api_schema_fields", None)
    if fields is None:
        raise NotImplementedError(f"{page_type(model)} must declare api_schema_fields() for the API schema")
    return inline_serializer(
        model.__name__,
        {"id": serializers.IntegerField(), "meta": page_meta(model), "title": serializers.CharField(), **fields()},
    )


def page_detail_union():
    return PolymorphicProxySerializer(
        component_name="PageDetail",
        serializers=lambda: [page_detail(model) for model in public_page_models()],
        resource_type_field_name=None,  # the discriminator is nested: ``meta.type``
    )


def page_list_item(**kwargs):
    """An item of ``GET /api/v2/pages/``: ``fields`` adds or removes any of these, so none is required.

    The fields of every page type are here; each appears only on items of a type that has it.
    """
    absent = {"required": False}
    fields = {
        "id": serializers.IntegerField(**absent),
        "meta": inline_serializer(
            "PageListItemMeta",
            {
                "type": serializers.CharField(**absent),
                "detail_url": serializers.URLField(**absent),
                "html_url": serializers.URLField(allow_null=True, **absent),
                "slug": serializers.CharField(**absent),
                "first_published_at": serializers.DateTimeField(allow_null=True, **absent),
                "show_in_menus": serializers.BooleanField(**absent),
                "seo_title": serializers.CharField(**absent),
                "search_description": serializers.CharField(**absent),
                "alias_of": PageRef(allow_null=True, required=False),
                "locale": serializers.CharField(help_text="Language code, e.g. `en`.", **absent),
            },
            **absent,
        ),
        "title": serializers.CharField(**absent),
    }
    for model in public_page_models():
        detail_only = set(getattr(model, "api_detail_only_fields", ()))
        for name, field in model.api_schema_fields().items():
            if name in detail_only:
                continue
            if name not in fields:
                fields[name] = optional(field)
            elif fields[name].help_text != field.help_text:  # HTML on one type, plain text on another
                fields[name] = optional(field, help_text="Depends on the page type: see its detail.")
    return inline_serializer("PageListItem", fields, **kwargs)


# --- the fields of articles --------------------------------------------------------------------
class PageLink(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


class Author(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    bio = serializers.CharField(allow_blank=True)
    photo = image()


class RelatedPost(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    intro = serializers.CharField()
    date = serializers.DateField()
    thumbnail = image()


class ShareLinks(serializers.Serializer):
    facebook = serializers.CharField()
    x = serializers.CharField()
    linkedin = serializers.CharField()
    pinterest = serializers.CharField()
    email = serializers.CharField(help_text="A `mailto:` link.")


class ArticleTestimonial(serializers.Serializer):
    id = serializers.IntegerField()
    quote = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    photo = image()


class Disclaimer(serializers.Serializer):
    body = serializers.CharField(help_text="Sanitized HTML.")


class CommentsSummary(serializers.Serializer):
    enabled = serializers.BooleanField()
    count = serializers.IntegerField(help_text="Approved comments only.")
    url = serializers.URLField(allow_null=True, help_text="The thread: `GET /api/comments/?page=…`.")


def article_fields():
    """``ArticlePage``'s ``api_fields`` (docs/api.md, "ArticlePage detail fields")."""
    return {
        "intro": serializers.CharField(help_text="Plain text: one or two sentences for listings and previews."),
        "date": serializers.DateField(),
        "author": Author(allow_null=True),
        "hero_image": image(),
        "body": body_schema(ArticleBodyBlock()),  # oneOf the blocks' own schemas, by type
        "tags": serializers.ListField(child=serializers.CharField()),
        "related_posts": RelatedPost(
            many=True, help_text="At most 3: the editor's picks, then articles sharing tags, then the newest."
        ),
        "previous_post": PageLink(allow_null=True, help_text="The next older article in the same index, or null."),
        "next_post": PageLink(allow_null=True, help_text="The next newer article in the same index, or null."),
        "share_links": ShareLinks(),
        "testimonials": ArticleTestimonial(many=True),
        "disclaimer": Disclaimer(
            allow_null=True, help_text="The article's own disclaimer, else the site's default, else null."
        ),
        "comments": CommentsSummary(),
    }


def testimonial_fields():
    return {name: copy.deepcopy(field) for name, field in ArticleTestimonial().fields.items()}
