"""DRF fields for the ``api_fields`` of the article models: each hands its value to a presenter.

Wagtail's API v2 builds its serializers from ``api_fields``; these fields only pass the request on,
so the shapes themselves stay in ``articles.representations`` where the templates read them too.
"""

from rest_framework import serializers

from articles.representations import author_object, image_object


class _ContextField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    @property
    def request(self):
        return self.context.get("request")


class ImageField(_ContextField):
    """An image as its renditions for ``shape`` (``articles.renditions``)."""

    def __init__(self, shape, **kwargs):
        self.shape = shape
        super().__init__(**kwargs)

    def to_representation(self, image):
        return image_object(image, self.shape, self.request)


class AuthorField(_ContextField):
    def to_representation(self, author):
        return author_object(author, self.request)


class TagsField(_ContextField):
    def to_representation(self, tags):
        return sorted(tag.name for tag in tags.all())


class PageMethodField(_ContextField):
    """Serialises the result of ``page.<method>(request)``."""

    def __init__(self, method, **kwargs):
        self.method = method
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        return getattr(page, self.method)(self.request)


class RevisionPartField(_ContextField):
    """On an article's detail, its part ``name`` as stored for the live revision
    (``ArticlePage.revision_parts``: one row for all of them), through ``shown``; in a listing, where
    the page's relations are prefetched for the whole page of results, ``field`` of the attribute."""

    def __init__(self, name, field, shown=None, **kwargs):
        self.part, self.field, self.shown = name, field, shown or (lambda value: value)
        super().__init__(source="*", **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.field.bind(field_name, parent)

    def to_representation(self, page):
        if getattr(self.context.get("view"), "action", None) == "detail_view":
            return self.shown(page.revision_parts(self.request)[self.part])
        value = getattr(page, self.part)
        return None if value is None else self.field.to_representation(value)
