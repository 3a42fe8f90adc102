"""StreamField blocks of an article body.

Each block's API shape is produced by ``articles.representations.serialize_body`` in bulk (one query per
kind of chooser, whatever the number of blocks), so the blocks here only define editing and
validation.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")], default="h2")

    class Meta:
        icon = "title"
        label = "Heading"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=255)
    alt = blocks.CharBlock(
        required=False,
        max_length=255,
        label="Alt text",
        help_text="Describe the image for people who cannot see it; defaults to the image's description.",
    )

    class Meta:
        icon = "image"
        label = "Image"


class VideoEmbedBlock(blocks.StructBlock):
    url = EmbedBlock(help_text="A video page URL (YouTube, Vimeo, …).")
    caption = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "media"
        label = "Video"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = "Quote"


class LinkItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=255)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="External URL")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choose either an internal page or an external URL, not both."
            raise blocks.StructBlockValidationError(block_errors={"url": ErrorList([ValidationError(message)])})
        return value

    class Meta:
        icon = "link"


class LinkListBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=255)
    items = blocks.ListBlock(LinkItemBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Link list"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, icon="pilcrow")
    image = ImageBlock()
    embed = VideoEmbedBlock()
    quote = QuoteBlock()
    links = LinkListBlock()
    promo = SnippetChooserBlock("articles.Promo", icon="pick")
    disclaimer = SnippetChooserBlock("articles.Disclaimer", icon="warning")
