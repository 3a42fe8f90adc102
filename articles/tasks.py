"""The task worker's share of the images: a published article's renditions, made before a reader asks.

Every image comes at several widths and formats (``articles/renditions.py``); made on a reader's
request, the renditions of a new article (hero, body, cards, photos) would keep that first reader
waiting for seconds. So publishing an article or a testimonial queues ``make_renditions`` for the
images it shows, once the publish has committed; a reader's request still makes whatever is missing
(an image changed since, a new width), as before.
"""

import logging

from django.db import transaction
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.signals import page_published, published

from articles.models import ArticlePage, Testimonial, TestimonialPick
from articles.renditions import BODY, CARD, HERO, PHOTO, SHAPES, responsive_renditions

logger = logging.getLogger(__name__)


@task()
def make_renditions(images):
    """``images`` is ``{shape name: [image ids]}``: every rendition those images need in those shapes."""
    made = 0
    for name, ids in images.items():
        shape = SHAPES[name]
        for image in get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*shape.specs()):
            try:
                responsive_renditions(image, shape)
            except SourceImageIOError:
                logger.warning("Image %s has no source file: no renditions made", image.pk)
                continue
            made += 1
    return {"images": made}


def article_images(page):
    """``{shape name: [image ids]}`` of what an article page shows of its own."""
    images = {HERO.name: [], CARD.name: [], BODY.name: [], PHOTO.name: []}
    if page.hero_image_id:
        images[HERO.name].append(page.hero_image_id)
        images[CARD.name].append(page.hero_image_id)  # the article's card in listings and related posts
    if page.author_id and page.author.photo_id:
        images[PHOTO.name].append(page.author.photo_id)
    for block in page.body.raw_data:
        if block["type"] == "image" and (block.get("value") or {}).get("image"):
            images[BODY.name].append(block["value"]["image"])
    picks = TestimonialPick.objects.filter(page=page, testimonial__live=True, testimonial__photo__isnull=False)
    images[PHOTO.name] += picks.values_list("testimonial__photo_id", flat=True)
    return {name: ids for name, ids in images.items() if ids}


def _queue(images):
    if images:
        transaction.on_commit(lambda: make_renditions.enqueue(images))


def on_article_published(sender, instance, **kwargs):
    if instance.live:  # not a publish scheduled for later
        _queue(article_images(instance))


def on_testimonial_published(sender, instance, **kwargs):
    if instance.photo_id:
        _queue({PHOTO.name: [instance.photo_id]})


def connect():
    page_published.connect(on_article_published, sender=ArticlePage, dispatch_uid="articles.renditions.article")
    published.connect(on_testimonial_published, sender=Testimonial, dispatch_uid="articles.renditions.testimonial")
