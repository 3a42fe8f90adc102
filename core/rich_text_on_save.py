"""Editor rich text sanitized once, when it is saved, instead of on every read.

A model with ``SanitizedOnSave`` first in its bases cleans every ``RichTextField`` and every rich
text block of its ``StreamField``\\ s with ``sanitize_stored_rich_text`` in ``save()``, and then says
so in ``rich_text_sanitized``. Readers of its rich text pass that flag on
(``articles.representations.rich_texts_html(..., sanitized=)``): expanded, a sanitized row needs no
bleach pass, and a row saved before this existed (the flag False, as the migration left every row)
is still sanitized on every read, as before.

What the flag does not cover, and so reads as unsanitized: a revision's content (drafts and
previews build their page from it, with the field's default, False), a fixture (the flag is not
serialized), and ``QuerySet.update`` of a rich-text field, which no ``save()`` sees: don't.
"""

from django.db import models
from wagtail.blocks import RichTextBlock, StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText

from core.sanitize import sanitize_stored_rich_text


def _rich_text_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, (RichTextField, StreamField))]


def _holds_rich_text(block):
    children = list(getattr(block, "child_blocks", {}).values()) + [getattr(block, "child_block", None)]
    return isinstance(block, RichTextBlock) or any(_holds_rich_text(c) for c in children if c is not None)


def _sanitize_block_value(block, value):
    """``value`` of ``block`` with every rich text inside it sanitized (in place where it can be)."""
    if isinstance(block, RichTextBlock):
        source = value.source if isinstance(value, RichText) else str(value or "")
        return RichText(sanitize_stored_rich_text(source))
    if isinstance(value, StreamValue):
        for index in range(len(value)):  # only the children that hold rich text: choosers cost queries
            child_block = block.child_blocks.get(value.raw_data[index]["type"])
            if child_block is not None and _holds_rich_text(child_block):
                child = value[index]
                child.value = _sanitize_block_value(child.block, child.value)
    elif isinstance(value, StructValue):
        for name, child_block in block.child_blocks.items():
            if name in value:
                value[name] = _sanitize_block_value(child_block, value[name])
    elif isinstance(value, ListValue):
        for child in value.bound_blocks:
            child.value = _sanitize_block_value(child.block, child.value)
    return value


def sanitize_instance(instance, names=None):
    """Sanitize the rich text of ``instance`` (of the fields named, else all); True when all were."""
    fields = _rich_text_fields(type(instance))
    for field in fields:
        if names is not None and field.name not in names:
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, RichTextField):
            setattr(instance, field.attname, sanitize_stored_rich_text(value) if value else value)
        elif value is not None:
            setattr(instance, field.attname, _sanitize_block_value(field.stream_block, value))
    return names is None or {field.name for field in fields} <= set(names)


class SanitizedOnSave(models.Model):
    rich_text_sanitized = models.BooleanField(
        default=False,
        editable=False,
        serialize=False,
        help_text="Its rich text was sanitized when saved, so reads expand it without sanitizing again.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        names = kwargs.get("update_fields")
        if sanitize_instance(self, None if names is None else set(names)):
            self.rich_text_sanitized = True
            if names is not None:
                kwargs["update_fields"] = {*names, "rich_text_sanitized"}
        super().save(*args, **kwargs)
