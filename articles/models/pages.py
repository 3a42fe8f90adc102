"""Article pages and the index that lists them."""

from urllib.parse import quote, urlencode, urlsplit

from csp.decorators import csp_update
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from taggit.models import Tag, TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin

from articles import body_store, page_schema, representations
from articles.api_fields import AuthorField, ImageField, PageMethodField, RevisionPartField, TagsField
from articles.blocks import ArticleBodyBlock
from core import visibility
from core.cache import children_tag, django_request, object_tag, tag_request
from core.picks import in_given_order
from core.rich_text_on_save import SanitizedOnSave

from .snippets import Disclaimer, Testimonial

# Tags a listing of articles depends on: any page change, and the authors and images it shows.
LISTING_TAGS = ("pages", "articles.author", "wagtailimages.image")

RELATED_POSTS_LIMIT = 3
FEATURED_TESTIMONIALS_LIMIT = 6


class ArticleIndexPage(SanitizedOnSave, Page):
    """Lists its live articles, newest first, paginated and filterable by tag (``?tag=``)."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField(default=10)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    subpage_types = ["articles.ArticlePage"]
    api_fields = [APIField("intro")]

    @staticmethod
    def api_schema_fields():
        """The OpenAPI shape of ``api_fields`` (``articles/page_schema.py``)."""
        return {"intro": serializers.CharField(allow_blank=True, help_text="HTML.")}

    class Meta:
        verbose_name = "article index"

    def get_articles(self, tag=None):
        articles = (
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .defer_streamfields()
            .select_related("author", "hero_image")
            .order_by("-date", "-pk")
        )
        if tag:
            articles = articles.filter(tags__slug=tag)
        return articles

    def route(self, request, path_components):
        """Wagtail's, with an article found in one query (Wagtail reads the child as a ``Page``, then its
        article row); anything else, or nothing, goes Wagtail's way."""
        if path_components:
            article = ArticlePage.objects.child_of(self).filter(slug=path_components[0]).first()
            if article is not None:
                article._cached_parent_obj = self  # as Wagtail does: its parent is known
                return article.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag_request(request, children_tag(self.path), *LISTING_TAGS)
        tag_slug = request.GET.get("tag", "").strip()
        tag = Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
        paginator = Paginator(self.get_articles(tag=tag.slug if tag else None), self.per_page or 10)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page = paginator.page(1)
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        representations.attach_images(page.object_list, "hero_image", representations.THUMBNAIL)
        context.update(articles=page, paginator=paginator, tag=tag, tag_slug=tag_slug)
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("articles.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class RelatedPostPick(Orderable):
    page = ParentalKey("articles.ArticlePage", related_name="related_post_picks", on_delete=models.CASCADE)
    related = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="article"
    )

    panels = [FieldPanel("related")]


class TestimonialPick(Orderable):
    page = ParentalKey("articles.ArticlePage", related_name="testimonial_picks", on_delete=models.CASCADE)
    testimonial = models.ForeignKey(Testimonial, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("testimonial")]


class ArticlePage(SanitizedOnSave, HeadlessPreviewMixin, Page):
    """A blog article: the page the whole product is designed around."""

    intro = models.TextField(help_text="One or two sentences shown in listings and previews.")
    date = models.DateField(
        "publication date", default=timezone.localdate, help_text="Shown as “Posted … on”; orders listings."
    )
    author = models.ForeignKey(
        "articles.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ArticleBodyBlock())
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    disclaimer = models.ForeignKey(
        Disclaimer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to show the site's default disclaimer.",
    )
    allow_comments = models.BooleanField(default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author")], heading="Byline"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_post_picks", label="Related posts", max_num=RELATED_POSTS_LIMIT),
        InlinePanel("testimonial_picks", label="Testimonials"),
        FieldPanel("disclaimer"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("allow_comments")]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    preview_modes = [("", "Page"), ("headless", "Headless frontend")]

    api_fields = [
        APIField("intro"),
        APIField("date"),
        # On a detail, stored per published revision (articles/body_store.py); in listings, prefetched.
        APIField("author", serializer=RevisionPartField("author", AuthorField())),
        APIField("hero_image", serializer=RevisionPartField("hero_image", ImageField(representations.HERO))),
        APIField("body", serializer=PageMethodField("get_body")),
        APIField(
            "tags", serializer=RevisionPartField("tags", TagsField(), shown=lambda tags: [t["name"] for t in tags])
        ),
        APIField("related_posts", serializer=PageMethodField("get_related_posts")),
        APIField("previous_post", serializer=PageMethodField("get_previous_post")),
        APIField("next_post", serializer=PageMethodField("get_next_post")),
        APIField("share_links", serializer=PageMethodField("get_share_links")),
        APIField("testimonials", serializer=PageMethodField("get_testimonials")),
        APIField("disclaimer", serializer=PageMethodField("get_disclaimer")),
        APIField("comments", serializer=PageMethodField("get_comments_summary")),
    ]
    api_schema_fields = staticmethod(page_schema.article_fields)  # their OpenAPI shape

    # Fields that cost their own queries per page stay out of listings (constant listing cost).
    api_detail_only_fields = [
        "body",
        "related_posts",
        "previous_post",
        "next_post",
        "share_links",
        "testimonials",
        "disclaimer",
        "comments",
    ]

    # The header links to the home page and section pages, never to an article (core.invalidation).
    shown_in_navigation = False

    class Meta:
        verbose_name = "article"

    # --- preview ---------------------------------------------------------------------------
    def serve_preview(self, request, mode_name):
        if mode_name == "headless":
            # Wagtail renders a preview through the site's middleware, CSP included: this one page frames
            # the frontend and asks whether anything answers there (static/preview/headless.js).
            client = urlsplit(self.get_client_root_url(request))
            origin = f"{client.scheme}://{client.netloc}"
            serve = csp_update({"frame-src": [origin], "connect-src": ["'self'", origin]})(
                lambda request: HeadlessPreviewMixin.serve_preview(self, request, mode_name)
            )
            return serve(request)
        return Page.serve_preview(self, request, mode_name)

    # --- the parts only a new revision changes, built once per published revision -------------------
    def build_revision_parts(self, request=None):
        """Built once per published revision and stored (``articles/body_store.py``), read by the API
        detail and the page: the body's blocks, the hero image and the author with their renditions,
        the tags, the editor's picks of related posts and testimonials."""
        return {
            "body": body_store.build_body(self, request),
            "hero_image": (
                representations.image_object(self.hero_image, representations.HERO, request)
                if self.hero_image_id
                else None
            ),
            "author": representations.author_object(self.author, request) if self.author_id else None,
            "tags": sorted(
                ({"id": tag.pk, "name": tag.name, "slug": tag.slug} for tag in self.tags.all()), key=lambda t: t["name"]
            ),
            # The editor's picks, in order; which of them are live and public is read per request.
            "picks": self._read_picks(),
            # How other articles show this one among their related posts (``body_store.summaries``).
            "summary": body_store.summary_with_tags(self, request),
        }

    def revision_parts(self, request=None):
        """``build_revision_parts``, as stored for the live revision; read once per request."""
        kept = getattr(self, "_revision_parts", None)
        if kept is None or kept[0] is not request:
            kept = self._revision_parts = (request, body_store.parts(self, request))
        return kept[1]

    def _stored_parts(self, request):
        """The stored parts when this request has read them (the API detail and the page do, first), else
        None: the caller builds what it needs, without reading or storing them."""
        kept = getattr(self, "_revision_parts", None)
        return kept[1] if kept is not None and kept[0] is request else None

    def _hero(self, request):
        """The hero image's representation, stored or built (share links)."""
        if (stored := self._stored_parts(request)) is not None:
            return stored["hero_image"]
        return representations.image_object(self.hero_image, representations.HERO, request)

    def _picks(self, request):
        """``{"related": [ids], "testimonials": [ids]}``: the editor's picks, stored or read."""
        stored = self._stored_parts(request)
        if stored is not None and "picks" in stored:  # a row stored before picks were kept has none
            return stored["picks"]
        return self._read_picks()

    def _read_picks(self):
        return {
            "related": [pick.related_id for pick in self.related_post_picks.all()],
            "testimonials": [pick.testimonial_id for pick in self.testimonial_picks.all()],
        }

    def _tag_ids(self, request):
        """The ids of the article's tags, stored or read."""
        stored = self._stored_parts(request)
        if stored is not None and all("id" in tag for tag in stored["tags"]):
            return [tag["id"] for tag in stored["tags"]]
        return [tag.pk for tag in self.tags.all()]

    def get_body(self, request=None):
        """``[{type, id, value}]`` of every block the API and the page show."""
        return self.revision_parts(request)["body"]

    # --- what readers see beside the body -----------------------------------------------------
    def _public_articles(self, request=None):
        # Their thumbnails come with them: one query more for the renditions (representations.attach_images).
        public = visibility.public(ArticlePage.objects.live(), request).defer_streamfields()
        return public.select_related("hero_image").exclude(pk=self.pk)

    def get_related_posts(self, request=None):
        """The editor's picks first, then articles sharing the most tags, then the newest; each shown by
        the summary stored with its own live revision, read with it (``body_store.with_summaries``)."""
        public = body_store.with_summaries(self._public_articles(request), request)
        chosen = in_given_order(public, self._picks(request)["related"])[:RELATED_POSTS_LIMIT]

        if len(chosen) < RELATED_POSTS_LIMIT:  # the rest depends on every other live article
            tag_request(request, "pages")
        tag_ids = self._tag_ids(request) if len(chosen) < RELATED_POSTS_LIMIT else []
        if len(chosen) < RELATED_POSTS_LIMIT and tag_ids:
            chosen += list(
                public.filter(tags__in=tag_ids)
                .exclude(pk__in=[page.pk for page in chosen])
                .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
                .order_by("-shared_tags", "-date", "-pk")[: RELATED_POSTS_LIMIT - len(chosen)]
            )
        if len(chosen) < RELATED_POSTS_LIMIT:
            chosen += list(
                public.exclude(pk__in=[page.pk for page in chosen]).order_by("-date", "-pk")[
                    : RELATED_POSTS_LIMIT - len(chosen)
                ]
            )
        return body_store.summaries(chosen, request, build=representations.page_summaries)

    def _neighbours(self, request):
        """``(older, newer)``: the live public articles just before and after this one in its index, by
        date then id, in one query; kept for the request (the API asks for each on its own), not without one."""
        kept = getattr(self, "_neighbours_kept", None)
        if request is not None and kept is not None and kept[0] is request:
            return kept[1]
        tag_request(request, children_tag(self.path[: -self.steplen]))
        siblings = (
            visibility.public(ArticlePage.objects.live(), request)
            .sibling_of(self, inclusive=False)
            .defer_streamfields()
        )
        older = siblings.filter(Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)).order_by("-date", "-pk")
        newer = siblings.filter(Q(date__gt=self.date) | Q(date=self.date, pk__gt=self.pk)).order_by("date", "pk")
        found = ArticlePage.objects.filter(Q(pk__in=older.values("pk")[:1]) | Q(pk__in=newer.values("pk")[:1])).only(
            "pk", "title", "url_path", "date"
        )
        place = (self.date, self.pk)
        older_page = next((page for page in found if (page.date, page.pk) < place), None)
        newer_page = next((page for page in found if (page.date, page.pk) > place), None)
        self._neighbours_kept = (request, (older_page, newer_page))
        return older_page, newer_page

    def get_previous_post(self, request=None):
        """The next older live article in the same index, or None at the end."""
        if self.pk is None:  # previewing an article that was never saved
            return None
        return representations.page_link(self._neighbours(request)[0], request)

    def get_next_post(self, request=None):
        """The next newer live article in the same index, or None at the start."""
        if self.pk is None:
            return None
        return representations.page_link(self._neighbours(request)[1], request)

    def get_share_links(self, request=None):
        url = self.get_full_url(django_request(request)) or ""
        title = self.title
        media = (self._hero(request) or {}).get("url", "") if self.hero_image_id else ""

        def build(base, **params):
            return base + "?" + urlencode(params, quote_via=quote)

        return {
            "facebook": build("https://www.facebook.com/sharer/sharer.php", u=url),
            "x": build("https://x.com/intent/post", url=url, text=title),
            "linkedin": build("https://www.linkedin.com/sharing/share-offsite/", url=url),
            "pinterest": build("https://www.pinterest.com/pin/create/button/", url=url, media=media, description=title),
            "email": build("mailto:", subject=title, body=url),
        }

    def get_testimonials(self, request=None):
        """The picked live testimonials in the editor's order, else the featured live ones."""
        pick_ids = self._picks(request)["testimonials"]
        live = Testimonial.objects.filter(live=True).select_related("photo")  # photos: one query for renditions
        if pick_ids:
            testimonials = in_given_order(live, pick_ids)
        else:
            tag_request(request, "articles.testimonial")  # which are featured may change with any of them
            testimonials = list(live.filter(featured=True)[:FEATURED_TESTIMONIALS_LIMIT])
        return representations.testimonial_objects(testimonials, request)

    def get_disclaimer(self, request=None):
        if self.disclaimer_id:
            disclaimer = self.disclaimer
        else:
            tag_request(request, "articles.disclaimer")  # any disclaimer may become the default
            disclaimer = Disclaimer.get_default()
        if disclaimer is None:
            return None
        tag_request(request, object_tag(disclaimer))
        return {
            "body": representations.rich_text_html(disclaimer.body, request, sanitized=disclaimer.rich_text_sanitized)
        }

    def get_comments_summary(self, request=None):
        """``{enabled, count, url}`` of the article's thread, from the app that keeps comments (its
        ``describe_article_comments`` hook); with none installed, comments are off."""
        for describe in hooks.get_hooks("describe_article_comments"):
            return describe(self, request)
        return {"enabled": False, "count": 0, "url": None}

    def get_context(self, request, *args, **kwargs):
        """The page gets the same prepared data as the API, so both cost the same queries.

        The body is its API representation too (``body``, stored per revision), each block rendered by
        its own template (``{% article_body %}``, ``articles/templatetags/article_body.py``).
        """
        context = super().get_context(request, *args, **kwargs)
        tag_request(request, "articles.articlesettings")
        stored = self.revision_parts(request)
        context.update(
            hero=stored["hero_image"],
            body=stored["body"],
            author_info=stored["author"],
            tag_items=stored["tags"],
            related_posts=self.get_related_posts(request),
            previous_post=self.get_previous_post(request),
            next_post=self.get_next_post(request),
            share_links=self.get_share_links(request),
            testimonials=self.get_testimonials(request),
            disclaimer_info=self.get_disclaimer(request),
            comments_summary=self.get_comments_summary(request),
        )
        # What other apps show on an article page (the comment thread and its form).
        for extend in hooks.get_hooks("article_page_context"):
            context.update(extend(self, request))
        return context
