"""Who may call the moderation API, and from where browsers may call the public one."""

from urllib.parse import urlsplit

from django.conf import settings
from rest_framework import authentication, exceptions, permissions
from wagtail.models import APIToken

from comments.tokens import is_expired, record_use

EXPIRED = "This API token has expired; create a new one in the admin under Settings › API tokens."


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>`` against Wagtail's hashed ``APIToken`` (Settings › API tokens).

    Revoked and expired tokens are refused (401); the last use of a valid one is recorded, at most
    once a minute (``comments.tokens``).
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid bearer token header.")
        try:
            token = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid bearer token.") from exc
        if not APIToken.validate_token_format(token):
            raise exceptions.AuthenticationFailed("Invalid bearer token.")
        api_token = (
            APIToken.objects.select_related("user", "expiry")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid bearer token.")
        if is_expired(api_token):
            raise exceptions.AuthenticationFailed(EXPIRED, code="token_expired")
        record_use(api_token)
        return api_token.user, api_token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class CanModerateComments(permissions.BasePermission):
    message = "You do not have permission to moderate comments."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        return user.has_perm("comments.moderate_comments")


def _origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class AllowedOrigin(permissions.BasePermission):
    """Refuse writes a browser makes from a page outside the allowlist.

    Browsers send ``Origin`` on cross-site POSTs; requests without it (curl, servers) are not
    browsers acting for a visitor. Same-origin pages and ``CORS_ALLOWED_ORIGINS`` pass.
    """

    message = "Requests from this origin are not allowed."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or origin_allowed(request)


def origin_allowed(request):
    """Is this write from our own pages, an allowed frontend, or not from a browser at all?

    Browsers send ``Origin`` on every cross-site POST (and ``Sec-Fetch-Site``); a request with
    neither is not a browser acting for a visitor, so it cannot be a cross-site forgery.
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}
    origin = origin.lower()
    if origin == _origin_of(request.build_absolute_uri("/")):
        return True
    return origin in {o.lower().rstrip("/") for o in settings.CORS_ALLOWED_ORIGINS}
