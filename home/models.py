"""The site's home page."""

from django.db import models
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from articles import representations
from articles.models import ArticlePage, Testimonial
from articles.models.pages import LISTING_TAGS
from core import visibility
from core.cache import tag_request
from core.picks import in_given_order
from core.rich_text_on_save import SanitizedOnSave

LATEST_ARTICLES = 6


class HomePage(SanitizedOnSave, Page):
    """Introduces the site, shows featured and latest articles and featured testimonials."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured", label="Featured articles"),
    ]
    max_count = 1
    subpage_types = ["articles.ArticleIndexPage"]
    api_fields = [APIField("intro")]

    @staticmethod
    def api_schema_fields():
        """The OpenAPI shape of ``api_fields`` (``articles/page_schema.py``)."""
        return {"intro": serializers.CharField(allow_blank=True, help_text="HTML.")}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag_request(request, *LISTING_TAGS, "articles.testimonial")
        public = visibility.public(ArticlePage.objects.live(), request).defer_streamfields()
        public = public.select_related("author", "hero_image")  # thumbnails: one query for their renditions
        featured_ids = [item.article_id for item in self.featured.all()]
        featured = in_given_order(public, featured_ids)
        latest = list(public.exclude(pk__in=featured_ids).order_by("-date", "-pk")[:LATEST_ARTICLES])
        representations.attach_images(featured + latest, "hero_image", representations.THUMBNAIL)
        context.update(
            featured_articles=featured,
            latest_articles=latest,
            testimonials=representations.testimonial_objects(
                Testimonial.objects.filter(live=True, featured=True).select_related("photo")[:3], request
            ),
        )
        return context


class HomePageFeaturedArticle(Orderable):
    page = ParentalKey(HomePage, related_name="featured", on_delete=models.CASCADE)
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]
