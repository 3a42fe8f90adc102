"""Reusable content placed on many articles: authors, testimonials, promos and disclaimers."""

from django.db import models, transaction
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin
from wagtail.search import index

from articles import representations
from articles.api_fields import ImageField
from core.rich_text_on_save import SanitizedOnSave

SHORT_RICH_TEXT = ["bold", "italic", "link", "ul", "ol"]


class Author(index.Indexed, models.Model):
    """Who an article is "Posted by"."""

    name = models.CharField(max_length=255)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("name"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Testimonial(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """Words from a student. Only live testimonials are ever public; drafts keep revisions."""

    quote = models.TextField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=255, blank=True, help_text="Role or course taken.")
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    featured = models.BooleanField(default=False, help_text="Shown on articles that pick no testimonials of their own.")

    panels = [
        FieldPanel("quote"),
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("featured"),
        PublishingPanel(),
    ]
    search_fields = [index.SearchField("quote"), index.SearchField("name"), index.FilterField("live")]
    api_fields = [
        APIField("quote"),
        APIField("name"),
        APIField("role"),
        APIField("photo", serializer=ImageField(representations.PHOTO)),
        APIField("featured"),
    ]

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}: {self.quote[:40]}"


class Promo(SanitizedOnSave, index.Indexed, models.Model):
    """A call to action written once and placed in many article bodies."""

    title = models.CharField(max_length=255)
    body = RichTextField(features=SHORT_RICH_TEXT)
    link_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_url = models.URLField(blank=True, help_text="Used when no page is chosen.")

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("link_page"), FieldPanel("link_url")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Disclaimer(SanitizedOnSave, index.Indexed, models.Model):
    """Small print. The one marked as default is shown on every article without its own."""

    title = models.CharField(max_length=255, help_text="For editors only; not shown to readers.")
    body = RichTextField(features=SHORT_RICH_TEXT)
    is_default = models.BooleanField(
        "site default",
        default=False,
        help_text="Shown on every article that has no disclaimer of its own. Only one can be the default.",
    )

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("is_default")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_disclaimer",
            )
        ]

    def __str__(self):
        return self.title + (" (default)" if self.is_default else "")

    def save(self, *args, **kwargs):
        # Marking a new default takes the flag from the old one in the same transaction, so
        # an editor never has to un-tick the previous default first.
        with transaction.atomic():
            if self.is_default:
                Disclaimer.objects.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
            super().save(*args, **kwargs)

    @classmethod
    def get_default(cls):
        return cls.objects.filter(is_default=True).first()
