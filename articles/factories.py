"""factory_boy factories for the content model: tests and the demo content both use them."""

import datetime
import json

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model

from articles.demo_pictures import image_file
from articles.models import ArticleIndexPage, ArticlePage, Author, Disclaimer, Promo, Testimonial


class ImageFactory(DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Picture {n}")
    description = factory.LazyAttribute(lambda o: f"{o.title}")
    file = factory.LazyAttributeSequence(
        lambda o, n: image_file(o.title, f"picture-{n}.jpg", size=(640, 360), hue=n * 37)
    )


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


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticleIndexPage

    title = "Articles"
    slug = factory.Sequence(lambda n: f"articles-{n}")


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article; ``body`` takes raw StreamField data (a list of ``{"type", "value"}``)."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    intro = factory.LazyAttribute(lambda o: f"What {o.title.lower()} is about.")
    date = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
    body = factory.LazyFunction(lambda: json.dumps([]))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        body = kwargs.get("body")
        if isinstance(body, list):
            kwargs["body"] = json.dumps(body)
        return super()._create(model_class, *args, **kwargs)
