"""``{% image_object image "card" as picture %}``: an image object for templates that hold a model's image.

It is the API's image object (``articles.representations.image_object``), for a shape of
``articles.renditions.SHAPES``; ``articles/includes/picture.html`` renders it. Prefetch the shape's
renditions first (``representations.attach_images``), as the views do, or each image costs a query.
"""

from django import template

from articles.renditions import SHAPES
from articles.representations import image_object as build_image_object

register = template.Library()


@register.simple_tag(takes_context=True)
def image_object(context, image, shape):
    return build_image_object(image, SHAPES[shape], context.get("request"))
