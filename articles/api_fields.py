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
