"""``/favicon.ico``: browsers, feed readers and crawlers ask for it at the root, whatever the page says.

Pages link the fingerprinted ``static/favicon.ico`` (``templates/includes/meta.html``); this view
answers the fixed address with the same file. Its URL cannot change when the icon does, so it is
cached for a week, not forever. The bytes are read once per process.
"""

from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

FAVICON = "favicon.ico"
MAX_AGE = 7 * 24 * 3600


@cache
def _icon_bytes():
    path = finders.find(FAVICON) or (staticfiles_storage.exists(FAVICON) and staticfiles_storage.path(FAVICON))
    if not path:
        return None
    with open(path, "rb") as icon:
        return icon.read()


@require_safe
def favicon(request):
    data = _icon_bytes()
    if data is None:  # pragma: no cover - the icon ships in static/
        raise Http404("No favicon")
    response = HttpResponse(data, content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
