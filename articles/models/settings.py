from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="doc-full")
class ArticleSettings(BaseGenericSetting):
    """Wording shared by every article page, editable in Settings."""

    testimonials_heading = models.CharField(max_length=255, default="Words from our students")
    related_posts_heading = models.CharField(max_length=255, default="Related posts")
    comments_notice = models.CharField(
        max_length=255, default="Please note, comments must be approved before they are published."
    )

    class Meta:
        verbose_name = "Article settings"
