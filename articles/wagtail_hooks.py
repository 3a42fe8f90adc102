"""Admin registration: snippet viewsets with search and filters, and the public link handler."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from articles.models import Author, Disclaimer, Promo, Testimonial
from articles.rich_text import PublicPageLinkHandler


@hooks.register("register_rich_text_features", order=100)
def register_public_page_links(features):
    # order=100 runs after Wagtail's own registration, replacing its "page" link type.
    features.register_link_type(PublicPageLinkHandler)


class TestimonialFilterSet(WagtailFilterSet):
    class Meta:
        model = Testimonial
        fields = ["featured", "live"]


class DisclaimerFilterSet(WagtailFilterSet):
    class Meta:
        model = Disclaimer
        fields = ["is_default"]


class SearchableSnippetViewSet(SnippetViewSet):
    # Plain ORM lookups on the listed fields: exact and predictable for short snippet lists,
    # and independent of the search index being up to date.
    search_backend_name = None


class AuthorViewSet(SearchableSnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "photo"]
    search_fields = ["name"]


class TestimonialViewSet(SearchableSnippetViewSet):
    model = Testimonial
    icon = "openquote"
    list_display = ["name", "role", "featured", "live"]
    filterset_class = TestimonialFilterSet
    search_fields = ["name", "quote"]


class PromoViewSet(SearchableSnippetViewSet):
    model = Promo
    icon = "pick"
    list_display = ["title", "link_url"]
    search_fields = ["title"]


class DisclaimerViewSet(SearchableSnippetViewSet):
    model = Disclaimer
    icon = "warning"
    list_display = ["title", "is_default"]
    filterset_class = DisclaimerFilterSet
    search_fields = ["title"]


class ContentSnippets(SnippetViewSetGroup):
    menu_label = "Content"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (AuthorViewSet, TestimonialViewSet, PromoViewSet, DisclaimerViewSet)


register_snippet(ContentSnippets)


@hooks.register("insert_editor_js")
def label_tag_inputs():
    """Tag-it's text input gets its field's label (static/admin/tag-field-labels.js)."""
    return format_html('<script src="{}"></script>', static("admin/tag-field-labels.js"))
