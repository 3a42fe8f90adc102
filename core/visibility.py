"""Which pages are public, with the view restrictions read once per request.

Wagtail reads every ``PageViewRestriction`` each time a queryset is made public (``PageQuerySet.public()``,
and the API's ``get_public_pages_queryset``): an article detail did so five times, once for the API's
base queryset, again for its serializer context, and once each for the related posts and the two
neighbours. Here they are read once and kept on the request; a restriction saved meanwhile is seen by
the next request, as it would be by a request already past Wagtail's own read. Without a request
(a command, a task) they are read each time, as Wagtail does.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page, PageViewRestriction

from core.cache import django_request

_KEPT = "_cms_view_restrictions"


def view_restrictions(request=None):
    """Every page view restriction, with its page: read once per request."""
    holder = django_request(request)
    kept = getattr(holder, _KEPT, None) if holder is not None else None
    if kept is None:
        kept = list(PageViewRestriction.objects.select_related("page"))
        if holder is not None:
            setattr(holder, _KEPT, kept)
    return kept


def restricted_q(queryset, restrictions):
    """Pages under any of ``restrictions`` (the restricted pages included), as a filter of ``queryset``."""
    q = Q()
    for restriction in restrictions:
        q |= queryset.descendant_of_q(restriction.page, inclusive=True)
    return q


def public(queryset, request=None):
    """``queryset.public()``: no page in or under a private section, restrictions read once per request."""
    q = restricted_q(queryset, view_restrictions(request))
    return queryset.exclude(q) if q else queryset


def api_pages(request, model=None):
    """Wagtail's ``get_public_pages_queryset`` (the pages API's base queryset: live pages of the requested
    site, less those under a restriction this request does not pass), with the restrictions read once
    per request."""
    model = model or Page
    queryset = model._default_manager.all().live()
    refused = [restriction for restriction in view_restrictions(request) if not restriction.accept_request(request)]
    if q := restricted_q(queryset, refused):
        queryset = queryset.exclude(q)
    # Django's request, not DRF's: Wagtail keeps the site on the object it is given (core/sites.py reads it).
    site = SiteFilterValidator(site=request.GET.get("site"), request=django_request(request)).site_obj
    if not site:
        return queryset.none()
    found = queryset.descendant_of(site.root_page, inclusive=True)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        for translation in site.root_page.get_translations():
            found |= queryset.descendant_of(translation, inclusive=True)
    return found
