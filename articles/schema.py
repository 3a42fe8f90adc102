"""OpenAPI shapes of body blocks and images (drf-spectacular); the endpoints' are in ``api_schema.py``.

The body's schema is not written here: it is derived from the StreamBlock's child blocks, each of
which declares the shape of its ``value`` (``api_schema()`` in ``articles/blocks.py``). These
serializers describe responses only; the presenters (``articles/representations.py``) build them.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, inline_serializer
from rest_framework import serializers


class ImageRendition(serializers.Serializer):
    """One rendition of an image: an entry of a `srcset` (`url` followed by `width` and `w`)."""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.ChoiceField(choices=["jpeg", "png", "gif", "webp", "avif"])


class ImageSource(serializers.Serializer):
    """The same widths in a modern format: a `<source type srcset>` of a `<picture>`."""

    type = serializers.ChoiceField(choices=["image/webp", "image/avif"], help_text="The MIME type.")
    srcset = ImageRendition(many=True)


class ImageObject(serializers.Serializer):
    """An image as renditions of it: never an ID the client must resolve.

    `url`, `width` and `height` are one fixed rendition (an `<img src>`, and the proportions to
    reserve). `srcset` holds the widths of `IMAGE_RENDITION_WIDTHS` in the original's format, narrowest
    first, each the same proportions; none is wider than the original: an image narrower than a width
    ends the list at its own width. `sources` gives those widths again in each `IMAGE_MODERN_FORMATS`
    format (none when it is empty), preferred first.
    """

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    srcset = ImageRendition(many=True)
    sources = ImageSource(many=True)


def body_block_schema(block_type, block):
    """``{type, id, value}`` of one block type, ``type`` fixed to its name."""
    return inline_serializer(
        f"{block_type.title().replace('_', '')}Block",
        {
            "type": serializers.ChoiceField(choices=[block_type]),
            "id": serializers.CharField(),
            "value": block.api_schema(),
        },
    )


def body_schema(stream_block):
    """A body of ``stream_block`` (e.g. ``ArticleBodyBlock()``): a list of its child blocks'
    ``{type, id, value}``, ``oneOf`` them with ``type`` as the discriminator."""
    return PolymorphicProxySerializer(
        component_name="BodyBlock",
        serializers={name: body_block_schema(name, block) for name, block in stream_block.child_blocks.items()},
        resource_type_field_name="type",
        many=True,
        help_text="The content, block by block: `type` says the shape of `value` (every shape, with examples: "
        '`docs/api.md` in the repository, "Body blocks"). Skip a `type` you do not know.',
    )
