"""Rich-text page links that never point at a draft, unpublished or restricted page.

Wagtail's own handler resolves any page, so a link an editor made to a draft would show its URL to
readers. This one resolves live, public pages only and leaves others as a plain ``<a>``.
"""

from django.utils.html import format_html
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler


class PublicPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = Page.objects.live().public().filter(id__in=[i for i in ids if i]).defer_streamfields()
        by_id = {str(page.id): page for page in pages}
        return [by_id.get(str(i)) for i in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        pages = cls.get_many(attrs_list)
        return [format_html('<a href="{}">', page.url) if page else "<a>" for page in pages]
