"""OpenAPI shapes of body blocks and images (drf-spectacular); the endpoints' are in ``api_schema.py``.

The body's schema is not written here: it is derived from the StreamBlock's child blocks, each of
which declares the shape of its ``value`` (``api_schema()`` in ``articles/blocks.py``). These
serializers describe responses only; the presenters (``articles/representations.py``) build them.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, inline_serializer
from rest_framework import serializers


class ImageObject(serializers.Serializer):
    """An image as a rendition of it: never an ID the client must resolve."""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()


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
