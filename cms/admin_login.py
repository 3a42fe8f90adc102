"""Admin sign-in throttling (django-axes): the page a locked-out client sees, and the superusers' report.

Axes counts failed sign-ins per account and per client network (``core.client_address.client_network``)
in the database, so every app server sees the same counts; past ``AXES_FAILURE_LIMIT`` failures
within ``AXES_COOLOFF_TIME``, even the right password waits. Settings: ``cms/settings/base.py``.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessFailureLog
from django.contrib import messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.account import get_user_login_form
from wagtail.admin.views.reports import ReportView


def unlocks_at(request, credentials):
    """When the lockout of this account or network ends: when so many of its failures have aged out
    of the cool-off that fewer than the limit remain (retries while locked are not counted)."""
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    ends = []
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        counted = 0
        for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
            "attempt_time", "failures_since_start"
        ):
            counted += failures
            if counted >= limit:
                ends.append(attempt_time + cool_off)
                break
    return max(ends, default=timezone.now() + cool_off)


def wait_message(seconds):
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Please wait {minutes} {unit} before trying again."


def locked_out(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: Wagtail's sign-in page again, saying how long to wait, as a 429."""
    seconds = max(1, math.ceil((unlocks_at(request, credentials) - timezone.now()).total_seconds()))
    message = wait_message(seconds)
    context = getattr(original_response, "context_data", None)
    if context is None:  # not Wagtail's sign-in view: a plain answer
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    else:
        username = get_client_username(request, credentials) or ""
        # A fresh form: the bound one would add "enter a correct username and password", which is not why.
        context = {**context, "form": get_user_login_form()(request, initial={"username": username})}
        messages.error(request, message)
        # Rendered now: the middleware below Axes's has already rendered the sign-in page it replaces.
        response = TemplateResponse(request, original_response.template_name, context, status=429).render()
    response["Retry-After"] = str(seconds)
    return response


class FailedSignInsReport(ReportView):
    """Reports › Failed sign-ins: every failed admin sign-in, newest first, for superusers."""

    page_title = _("Failed sign-ins")
    header_icon = "lock"
    model = AccessFailureLog
    permission_required = "view"  # axes.view_accessfailurelog: superusers, unless a group is given it
    index_url_name = "cms_failed_sign_ins"
    index_results_url_name = "cms_failed_sign_ins_results"
    list_export = ["attempt_time", "username", "ip_address", "locked_out", "user_agent", "path_info"]
    columns = [
        DateColumn("attempt_time", label=_("When")),
        Column("username", label=_("Account")),
        Column("ip_address", label=_("Client network")),
        Column("outcome", label=_("Outcome"), accessor=lambda log: "Locked out" if log.locked_out else "Refused"),
        Column("user_agent", label=_("Browser")),
    ]

    def get_queryset(self):
        return AccessFailureLog.objects.order_by("-attempt_time", "-pk")
