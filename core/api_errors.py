"""Every API error is JSON: ``{"detail": …}`` or ``{"errors": {field: [messages]}}``."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from wagtail.api.v2.utils import BadRequestError

from core.resilient_cache import CACHE_ERRORS

# One body for every "nothing public here", so that a 404 never tells a draft from a missing page,
# a pending comment from none, or a page from an article (tests/test_not_found.py).
NOT_FOUND_BODY = b'{"detail": "Not found."}'


def not_found_response():
    return HttpResponse(NOT_FOUND_BODY, status=404, content_type="application/json")


class JSONErrorsMixin:
    """For API views: a 404 is the one JSON 404 body, and Wagtail's ``BadRequestError`` (an unknown
    field or filter) is a JSON 400, rather than Wagtail's and DRF's own shapes."""

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return not_found_response()
        if isinstance(exc, BadRequestError):
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any method on an unknown ``/api/`` path: the JSON 404, not Wagtail's page serving (nor its CSRF 403)."""
    return not_found_response()


def bad_request(request, exception):
    """``handler400`` (a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields, a bad host): JSON
    under ``/api/``, else Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """``handler404``: JSON under ``/api/`` (an unknown path there is still an API answer), else the page."""
    if request.path.startswith("/api/"):
        return not_found_response()
    return defaults.page_not_found(request, exception)


# A database that is down or restarting (connection refused or cut, a failover), or a Redis that a
# caller needed: the service is unavailable for a moment, not broken.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, *CACHE_ERRORS)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    """``handler500``: an outage of the database or of Redis is a 503 with ``Retry-After`` (JSON under
    ``/api/``, else ``503.html``, which like ``500.html`` needs neither); anything else is a 500.

    Django logs the exception before calling this, so operators see the cause either way.
    """
    api = request.path.startswith("/api/")
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        if api:
            response = JsonResponse({"detail": "Service temporarily unavailable; try again shortly."}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    if api:
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        if isinstance(data, list):
            data = {"non_field_errors": data}
        response.data = {"errors": data}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


class RejectNulMiddleware:
    """No URL of ours holds a NUL character: PostgreSQL refuses it in any string (a 500 wherever a
    query parameter reaches a query), so a request with one in its path or query string is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Bad request: NUL character in the URL."}, status=400)
            return HttpResponseBadRequest("Bad request: NUL character in the URL.", content_type="text/plain")
        return self.get_response(request)
