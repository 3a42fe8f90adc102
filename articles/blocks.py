"""StreamField blocks of an article body. Each block owns its output.

- Its API shape: ``get_api_representation(value, context)``, which Wagtail's API v2 reaches through
  ``ArticleBodyBlock`` (the body as ``[{type, id, value}]``). None leaves the block out (a deleted
  image or snippet): the API and the page both skip it.
- Its HTML: ``Meta.template``, rendered by ``{% include_block %}`` with that same API shape as
  ``value`` (``BodyBlock.render``), so the page shows exactly what the API serves. HTML in it is
  already a ``SafeString`` (sanitized rich text, embed players): templates never use ``|safe``.
- Its OpenAPI schema: ``api_schema()``, the shape of ``value``; ``articles/schema.py`` joins every
  child of ``ArticleBodyBlock`` into one ``oneOf`` keyed by ``type``.
- Its queries: none of its own. What it reads beyond Wagtail's chooser values (a rendition, a public
  page's URL, an embed, expanded rich text) it asks for in ``prefetch(value, prefetch)`` and reads
  from ``BodyPrefetch.of(context)``; the body loads each kind once for all its blocks
  (``articles/prefetch.py``), so an article costs the same with 3 blocks or 30.

Adding a block type is one block class, one template and one test:

1. A class here with ``BodyBlock`` first in its bases, defining ``get_api_representation``,
   ``api_schema`` and ``Meta.template`` (and ``prefetch`` if it points at images, pages, embeds or
   rich text), and one line in ``ArticleBodyBlock``. The API, the page and the schema find it there.
2. Its template, ``templates/articles/blocks/<type>.html``.
3. A sample value in ``SAMPLES`` of ``tests/articles/test_blocks.py``: the tests there check its API
   output against its schema branch, that the page renders it, and that the article's query count
   does not grow with it; they fail for a block type without a sample.

Then run ``makemigrations``: a new child changes the StreamField's definition (a subclass of a
field or chooser block goes in ``DECONSTRUCT_ALIASES`` below, so that migrations record Wagtail's block).
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from rest_framework import serializers
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from articles.prefetch import CONTEXT_KEY, SANITIZED_KEY, BodyPrefetch
from articles.representations import BODY_IMAGE, embed_html, embed_title, image_object
from articles.schema import ImageObject
from core.cache import object_tag, tag_request
from core.sanitize import is_safe_href

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class BodyBlock:
    """What every child block of ``ArticleBodyBlock`` does besides editing; mixed in first."""

    # The parts of the API shape that are HTML made safe here (sanitized rich text, a finder's player).
    html_keys = ()

    def for_template(self, data):
        """A stored API shape (``articles/body_store.py``: plain JSON strings) as its template's ``value``,
        its HTML parts ``SafeString`` again: they were made safe when the body was built."""
        return {**data, **{key: mark_safe(data[key]) for key in self.html_keys}}  # noqa: S308 - see above

    def prefetch(self, value, prefetch):
        """Tell ``prefetch`` (a ``BodyPrefetch``) what ``get_api_representation`` will read."""

    def get_api_representation(self, value, context=None):
        raise NotImplementedError(f"{type(self).__name__} must define its API representation")

    @classmethod
    def api_schema(cls):
        """The OpenAPI shape of this block's ``value``: a DRF serializer or field, for the schema only."""
        raise NotImplementedError(f"{cls.__name__} must declare its API schema")

    def render(self, value, context=None):
        """``Meta.template`` with the API shape as ``value``; nothing for a block the API leaves out."""
        data = self.get_api_representation(value, context)
        return "" if data is None else super().render(data, context)


class HeadingValue(serializers.Serializer):
    text = serializers.CharField()
    level = serializers.IntegerField(min_value=2, max_value=4)


class HeadingBlock(BodyBlock, blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")], default="h2")

    class Meta:
        icon = "title"
        label = "Heading"
        template = "articles/blocks/heading.html"

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": int(str(value["level"]).lstrip("h") or 2)}

    @classmethod
    def api_schema(cls):
        return HeadingValue()


class ParagraphBlock(BodyBlock, blocks.RichTextBlock):
    class Meta:
        template = "articles/blocks/paragraph.html"

    def for_template(self, data):
        return mark_safe(data)  # noqa: S308 - sanitized when the body was built

    def prefetch(self, value, prefetch):
        prefetch.want_html(value.source)

    def get_api_representation(self, value, context=None):
        return BodyPrefetch.of(context).html(value.source)

    @classmethod
    def api_schema(cls):
        return serializers.CharField(help_text="Sanitized HTML; internal links resolved.")


class ImageValue(serializers.Serializer):
    image = ImageObject()
    caption = serializers.CharField(allow_blank=True)


class ImageBlock(BodyBlock, blocks.StructBlock):
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
        template = "articles/blocks/image.html"

    def prefetch(self, value, prefetch):
        prefetch.want_image(value.get("image"))

    def get_api_representation(self, value, context=None):
        prefetch = BodyPrefetch.of(context)
        picture = image_object(prefetch.image(value.get("image")), BODY_IMAGE, prefetch.request, alt=value.get("alt"))
        if picture is None:  # the image was deleted, or its file is missing
            return None
        return {"image": picture, "caption": value.get("caption") or ""}

    @classmethod
    def api_schema(cls):
        return ImageValue()


class EmbedValue(serializers.Serializer):
    url = serializers.URLField()
    html = serializers.CharField(allow_blank=True, help_text="The provider's player; empty when none was found.")
    title = serializers.CharField(allow_blank=True)
    provider = serializers.CharField(allow_blank=True)


class VideoEmbedBlock(BodyBlock, blocks.StructBlock):
    html_keys = ("html",)
    url = EmbedBlock(
        label="Video URL",
        help_text="The video's page on YouTube, Vimeo or another video site, copied from the address bar.",
    )
    caption = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "media"
        label = "Video"
        template = "articles/blocks/embed.html"

    def prefetch(self, value, prefetch):
        prefetch.want_embed(value["url"].url if value.get("url") else "")

    def get_api_representation(self, value, context=None):
        url = value["url"].url if value.get("url") else ""
        embed = BodyPrefetch.of(context).embed(url)
        return {
            "url": url,
            "html": embed_html(embed, title=embed_title(embed, url, value.get("caption") or "")),
            "title": value.get("caption") or (embed.title if embed else ""),
            "provider": embed.provider_name if embed else "",
        }

    @classmethod
    def api_schema(cls):
        return EmbedValue()


class QuoteValue(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.CharField(allow_blank=True)


class QuoteBlock(BodyBlock, blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "articles/blocks/quote.html"

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "attribution": value.get("attribution") or ""}

    @classmethod
    def api_schema(cls):
        return QuoteValue()


class LinkItemValue(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class LinkItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=255)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="External URL")

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choose either an internal page or an external URL, not both."
            raise blocks.StructBlockValidationError(block_errors={"url": ErrorList([ValidationError(message)])})
        return value

    def prefetch(self, value, prefetch):
        prefetch.want_page(value["page"].pk if value.get("page") else None)

    def get_api_representation(self, value, context=None):
        """``{title, url}``; None for a link to a page that is not public or to an unsafe URL."""
        url = BodyPrefetch.of(context).page_url(value["page"].pk) if value.get("page") else value.get("url")
        return {"title": value["title"], "url": url} if url and is_safe_href(url) else None


class LinkListValue(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    items = LinkItemValue(many=True, help_text="Links to pages that are not public, or unsafe URLs, are left out.")


class LinkListBlock(BodyBlock, blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=255)
    items = blocks.ListBlock(LinkItemBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Link list"
        template = "articles/blocks/links.html"

    @property
    def item_block(self):
        return self.child_blocks["items"].child_block

    def prefetch(self, value, prefetch):
        for item in value["items"]:
            self.item_block.prefetch(item, prefetch)

    def get_api_representation(self, value, context=None):
        links = (self.item_block.get_api_representation(item, context) for item in value["items"])
        return {"title": value.get("title") or "", "items": [link for link in links if link is not None]}

    @classmethod
    def api_schema(cls):
        return LinkListValue()


class PromoValue(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField(help_text="Sanitized HTML.")
    link = serializers.URLField(allow_null=True, help_text="The promo's public page, else its safe external URL.")


class PromoBlock(BodyBlock, SnippetChooserBlock):
    html_keys = ("body",)

    class Meta:
        template = "articles/blocks/promo.html"

    def prefetch(self, promo, prefetch):
        if promo is not None:
            prefetch.want_html(promo.body, promo.rich_text_sanitized)
            prefetch.want_page(promo.link_page_id)

    def get_api_representation(self, promo, context=None):
        if promo is None:  # the snippet was deleted
            return None
        prefetch = BodyPrefetch.of(context)
        tag_request(prefetch.request, object_tag(promo))
        link = prefetch.page_url(promo.link_page_id)
        external = promo.link_url if is_safe_href(promo.link_url) else None
        return {
            "title": promo.title,
            "body": prefetch.html(promo.body, promo.rich_text_sanitized),
            "link": link or external or None,
        }

    @classmethod
    def api_schema(cls):
        return PromoValue()


class DisclaimerValue(serializers.Serializer):
    body = serializers.CharField(help_text="Sanitized HTML.")


class DisclaimerBlock(BodyBlock, SnippetChooserBlock):
    html_keys = ("body",)

    class Meta:
        template = "articles/blocks/disclaimer.html"

    def prefetch(self, disclaimer, prefetch):
        if disclaimer is not None:
            prefetch.want_html(disclaimer.body, disclaimer.rich_text_sanitized)

    def get_api_representation(self, disclaimer, context=None):
        if disclaimer is None:  # the snippet was deleted
            return None
        prefetch = BodyPrefetch.of(context)
        tag_request(prefetch.request, object_tag(disclaimer))
        return {"body": prefetch.html(disclaimer.body, disclaimer.rich_text_sanitized)}

    @classmethod
    def api_schema(cls):
        return DisclaimerValue()


class ArticleBodyBlock(blocks.StreamBlock):
    """The body: its blocks' outputs in order, after one prefetch pass over all of them."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock(features=PARAGRAPH_FEATURES, icon="pilcrow")
    image = ImageBlock()
    embed = VideoEmbedBlock()
    quote = QuoteBlock()
    links = LinkListBlock()
    promo = PromoBlock("articles.Promo", icon="pick")
    disclaimer = DisclaimerBlock("articles.Disclaimer", icon="warning")

    class Meta:
        template = "articles/blocks/body.html"

    # Form data only a hand-made POST sends (``body-count=abc``, a missing ``body-0-type``) made
    # Wagtail's parser raise, a 500 on the editor's save and preview. It reads as an empty body that
    # ``clean`` refuses, so the editor answers with a form error and the preview with ``is_valid: false``.
    MALFORMED = "The body could not be read. Reload the editor and try again."

    def value_from_datadict(self, data, files, prefix):
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError, OverflowError):
            value = blocks.StreamValue(self, [])
            value.malformed = True
            return value

    def clean(self, value):
        if getattr(value, "malformed", False):
            raise ValidationError(self.MALFORMED)
        return super().clean(value)

    def prefetch(self, value, context):
        """Ask every block what it will read, then load each kind once for the whole body."""
        prefetch = BodyPrefetch(context.get("request"), context.get(SANITIZED_KEY, False))
        for child in value or []:
            child.block.prefetch(child.value, prefetch)
        prefetch.load()
        return prefetch

    def get_api_representation(self, value, context=None):
        context = dict(context or {})
        context[CONTEXT_KEY] = self.prefetch(value, context)
        output = []
        for child in value or []:
            data = child.block.get_api_representation(child.value, context)
            if data is not None:
                output.append({"type": child.block_type, "id": child.id, "value": data})
        return output

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context[CONTEXT_KEY] = self.prefetch(value, context)
        return context


# Migrations record these blocks as the Wagtail blocks they extend (as Wagtail records any StructBlock
# or StreamBlock subclass): what they add is output, not stored data.
DECONSTRUCT_ALIASES = {
    ParagraphBlock: "wagtail.blocks.RichTextBlock",
    PromoBlock: "wagtail.snippets.blocks.SnippetChooserBlock",
    DisclaimerBlock: "wagtail.snippets.blocks.SnippetChooserBlock",
}
