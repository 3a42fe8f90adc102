"""The Atom feed of articles (Django's syndication framework): ``/feed/``, linked from every page's head.

Only live, public articles of the request's site, newest first as the index lists them. An entry names
its author by name only: no e-mail address ever reaches the feed. The response is kept by the public
cache under the tags of every listing of articles (core/cache.py), so a page published, unpublished or
made private changes the feed at once.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Site

from articles.models import ArticlePage
from core.cache import tag_request

FEED_LENGTH = 20
# Any page change (a publish, an unpublish, a privacy change, a move) and any author's name.
FEED_TAGS = ("pages", "articles.author")


class ArticlesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        tag_request(request, *FEED_TAGS)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        site = Site.find_for_request(request) or Site.objects.select_related("root_page").get(is_default_site=True)
        return {"site": site, "request": request}

    def title(self, obj):
        return obj["site"].site_name or "Articles"

    def subtitle(self, obj):
        return f"The newest articles of {self.title(obj)}"

    def link(self, obj):
        return obj["site"].root_page.get_full_url(obj["request"]) or "/"

    def feed_url(self, obj):
        # Absolute, so that Django does not prefix the django.contrib.sites domain (example.com).
        return obj["request"].build_absolute_uri(obj["request"].path)

    def items(self, obj):
        request = obj["request"]
        articles = list(
            ArticlePage.objects.live()
            .public()
            .in_site(obj["site"])
            .defer_streamfields()
            .select_related("author")
            .prefetch_related("tags")
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )
        for article in articles:
            article.feed_link = article.get_full_url(request)
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.feed_link

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_pubdate(self, item):
        return datetime.datetime.combine(item.date, datetime.time.min, tzinfo=datetime.UTC)

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item):
        return sorted(tag.name for tag in item.tags.all())
