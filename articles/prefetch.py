"""The one bulk pass behind an article body: what its blocks point at, loaded kind by kind.

Iterating a body makes Wagtail resolve its choosers, one query per block type (every image of every
image block in one query, every promo in one, the pages of every link list in one). What those
objects lead to would still cost queries per block: an image's rendition, whether a linked page is
public and where it is, an embed's player, the page links inside rich text. So ``ArticleBodyBlock``
first asks each of its blocks what it will read (``block.prefetch(value, prefetch)``), then
``BodyPrefetch.load`` fetches each kind once for the whole body, and the blocks read the results
from their context (``BodyPrefetch.of(context)``). A body costs the same queries with 3 blocks or 30.

A block represented without its body (alone, in a test or a shell) gets an empty ``BodyPrefetch``
that loads what the block asks for when it asks: correct, a query or so per block.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model
from wagtail.models import Page

from articles.representations import BODY_IMAGE, load_embeds, rich_texts_html
from core.cache import django_request, page_tag, tag_request

CONTEXT_KEY = "article_body_prefetch"
SANITIZED_KEY = "rich_text_sanitized"  # in a body's context: its page's ``rich_text_sanitized``


class _Batch:
    """Values by key: the keys wanted so far are loaded together, with one call of ``load``.

    ``load`` takes the wanted items and returns ``{key: value}``; a key it leaves out maps to None.
    A key first asked for after the batch was loaded costs one more call, for that key alone.
    """

    def __init__(self, load):
        self._load = load
        self._wanted = {}
        self._found = {}

    def want(self, key, item=None):
        if key not in self._found:
            self._wanted.setdefault(key, key if item is None else item)

    def load(self):
        wanted, self._wanted = self._wanted, {}
        if wanted:
            found = self._load(list(wanted.values()))
            self._found.update({key: found.get(key) for key in wanted})

    def get(self, key, item=None):
        if key not in self._found:
            self.want(key, item)
            self.load()
        return self._found[key]


class BodyPrefetch:
    """What the blocks of one body point at; ``want_*`` before ``load``, the readers after."""

    def __init__(self, request=None, rich_text_sanitized=False):
        self.request = request
        self.rich_text_sanitized = rich_text_sanitized  # the body's own rich text was sanitized when saved
        self._images = _Batch(self._load_images)
        self._pages = _Batch(self._load_public_pages)
        self._embeds = _Batch(load_embeds)
        self._html = _Batch(self._load_html)

    @classmethod
    def of(cls, context):
        """The prefetch the body put in ``context``, else an empty one that loads on demand."""
        context = context or {}
        return context.get(CONTEXT_KEY) or cls(context.get("request"), context.get(SANITIZED_KEY, False))

    def load(self):
        """Each kind wanted so far, in one query (or one call) per kind."""
        for batch in (self._images, self._pages, self._embeds, self._html):
            batch.load()

    # --- what the blocks ask for, before ``load`` ---------------------------------------------------
    def want_image(self, image):
        if image is not None:
            self._images.want(image.pk, image)

    def want_page(self, page_id):
        if page_id:
            self._pages.want(page_id)

    def want_embed(self, url):
        if url:
            self._embeds.want(url)

    def want_html(self, source, sanitized=None):
        """``sanitized``: of a snippet's rich text, the snippet's flag; None for the body's own."""
        self._html.want(self._html_key(source, sanitized))

    # --- what the blocks read, after it ----------------------------------------------------------
    def image(self, image):
        """``image`` with its body renditions prefetched (None for None)."""
        return None if image is None else self._images.get(image.pk, image)

    def page_url(self, page_id):
        """The full URL of a live, public page; None for any other page."""
        page = self._pages.get(page_id) if page_id else None
        return page.get_full_url(django_request(self.request)) if page else None

    def embed(self, url):
        """The stored ``Embed`` of a URL, or None when no finder could embed it."""
        return self._embeds.get(url) if url else None

    def html(self, source, sanitized=None):
        """Rich text expanded and sanitized, a ``SafeString``."""
        return self._html.get(self._html_key(source, sanitized))

    def _html_key(self, source, sanitized):
        return (str(source or ""), self.rich_text_sanitized if sanitized is None else bool(sanitized))

    # --- the loaders ----------------------------------------------------------------------------
    def _load_images(self, images):
        """The body renditions of every image in one query, onto the instances Wagtail resolved."""
        renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=BODY_IMAGE.specs())
        prefetch_related_objects(images, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"))
        return {image.pk: image for image in images}

    def _load_public_pages(self, page_ids):
        # A linked page that is published, unpublished or moved changes the body, public or not now.
        tag_request(self.request, *(page_tag(pk) for pk in page_ids))
        public = Page.objects.live().public().filter(pk__in=page_ids)
        return public.only("pk", "url_path", "path", "depth").in_bulk()

    def _load_html(self, keys):
        sources = [source for source, _ in keys]
        html = rich_texts_html(sources, self.request, [sanitized for _, sanitized in keys])
        return dict(zip(keys, html, strict=True))
