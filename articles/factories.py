"""factory_boy factories for the content model: tests, the demo content and the bench all use them.

Pages are added under ``parent`` and published with one revision, as an editor's "Publish" does;
``publish=False`` leaves a draft (its only revision unpublished, the page not live).
"""

import datetime
import json

import factory
import wagtail_factories
from django.core.files.images import ImageFile
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model

from articles.demo_pictures import draw_picture
from articles.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    Disclaimer,
    Promo,
    RelatedPostPick,
    Testimonial,
    TestimonialPick,
)


def _picture_file(image, n):
    extension = {"JPEG": "jpg"}.get(image.format, image.format.lower())
    picture = draw_picture(image.title, size=image.size, hue=n * 37, fmt=image.format)
    return ImageFile(picture, name=f"picture-{n}.{extension}")


class ImageFactory(DjangoModelFactory):
    """A drawn picture of ``size`` pixels, as ``format`` (``"JPEG"``, ``"PNG"``); its alt text is not its title."""

    class Meta:
        model = get_image_model()

    class Params:
        size = (640, 360)
        format = "JPEG"

    title = factory.Sequence(lambda n: f"Picture {n}")
    description = factory.LazyAttribute(lambda o: f"{o.title} (alt)")
    file = factory.LazyAttributeSequence(_picture_file)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    bio = "Writes about muscles and movement."


class TestimonialFactory(DjangoModelFactory):
    class Meta:
        model = Testimonial

    quote = factory.Sequence(lambda n: f"Testimonial {n}: clear and practical.")
    name = factory.Sequence(lambda n: f"Student {n}")
    role = "Course graduate"
    live = True

    class Params:
        draft = factory.Trait(live=False)


class PromoFactory(DjangoModelFactory):
    class Meta:
        model = Promo

    title = factory.Sequence(lambda n: f"Promo {n}")
    body = "<p>Learn the techniques hands-on.</p>"


class DisclaimerFactory(DjangoModelFactory):
    class Meta:
        model = Disclaimer

    title = factory.Sequence(lambda n: f"Disclaimer {n}")
    body = "<p>General information only; not medical advice.</p>"


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page under ``parent``, saved as a revision and published unless ``publish=False``.

    Returns the page as read back from the database, so what it shows is what was stored.
    """

    class Meta:
        abstract = True

    publish = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("publish", None)
        cls._pop_cluster(kwargs)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, publish=True, **kwargs):
        cluster = cls._pop_cluster(kwargs)
        kwargs.setdefault("live", publish)
        page = super()._create(model_class, *args, **kwargs)
        cls._fill_cluster(page, **cluster)
        revision = page.save_revision()
        if publish:
            revision.publish()
        return model_class.objects.get(pk=page.pk)

    @classmethod
    def _pop_cluster(cls, kwargs):
        """Take out of ``kwargs`` what goes on the page's cluster (its revision) rather than its fields."""
        return {}

    @classmethod
    def _fill_cluster(cls, page):
        pass


class ArticleIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = ArticleIndexPage

    title = "Articles"
    slug = factory.Sequence(lambda n: f"articles-{n}")


class ArticlePageFactory(PublishedPageFactory):
    """An article.

    ``body`` takes raw StreamField data (a list of ``{"type", "value"}``), ``tags`` tag names,
    ``related`` the editor's related-post picks (articles) and ``testimonials`` the testimonials
    picked for it, both in order. They go into the revision, so a draft keeps them to itself.
    """

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    intro = factory.LazyAttribute(lambda o: f"What {o.title.lower()} is about.")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    body = ()
    tags = ()
    related = ()
    testimonials = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("body"), list | tuple):
            kwargs["body"] = json.dumps(list(kwargs["body"]))
        return kwargs

    @classmethod
    def _pop_cluster(cls, kwargs):
        return {name: kwargs.pop(name, ()) for name in ("tags", "related", "testimonials")}

    @classmethod
    def _fill_cluster(cls, page, *, tags, related, testimonials):
        page.tags.add(*tags)
        page.related_post_picks = [RelatedPostPick(related=other, sort_order=n) for n, other in enumerate(related)]
        page.testimonial_picks = [TestimonialPick(testimonial=t, sort_order=n) for n, t in enumerate(testimonials)]
