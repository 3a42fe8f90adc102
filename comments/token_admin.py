"""Settings › API tokens: Wagtail's own token views, with when each token expires.

Wagtail registers these views only with its API v3 installed, which this project does not use; the
moderation API takes the same tokens. Moderators list, make, rename and revoke their own tokens;
a user who may change users manages everyone's (superusers' tokens only by a superuser).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.users.views import api_tokens

from comments.tokens import expires_at


def expiry_label(token):
    ends = expires_at(token)
    if ends is None:
        return "Never"
    label = date_format(timezone.localtime(ends), "DATETIME_FORMAT")
    return f"{label} (expired)" if ends <= timezone.now() else label


class IndexView(api_tokens.IndexView):
    """Wagtail's columns (token, name, user, created, last used, revoked), and "Expires" after "Created"."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        at = next(index for index, column in enumerate(columns) if column.name == "created") + 1
        return [*columns[:at], Column("expires", label="Expires", accessor=expiry_label), *columns[at:]]

    def get_queryset(self):
        return super().get_queryset().select_related("expiry")


class APITokenViewSet(api_tokens.APITokenViewSet):
    index_view_class = IndexView
