"""Rendered pages tell the public response cache what they show (see core/cache.py); the reports of
failed admin sign-ins (cms/admin_login.py) and failed background tasks (cms/task_report.py)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.admin_login import FailedSignInsReport
from cms.task_report import FailedTasksReport
from core.cache import page_tag, tag_request


@hooks.register("before_serve_page", order=100)
def tag_served_page(page, request, serve_args, serve_kwargs):
    # order=100: after Wagtail's own view-restriction hook, so a password form or a login redirect
    # (which that hook returns instead of the page) is never tagged, hence never cached.
    # "nav": the header's links, which follow the site's section pages.
    tag_request(request, page_tag(page), "nav")


@hooks.register("register_admin_urls")
def register_failed_sign_ins_report():
    return [
        path("reports/failed-sign-ins/", FailedSignInsReport.as_view(), name="cms_failed_sign_ins"),
        path(
            "reports/failed-sign-ins/results/",
            FailedSignInsReport.as_view(results_only=True),
            name="cms_failed_sign_ins_results",
        ),
    ]


class FailedSignInsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("axes.view_accessfailurelog")


@hooks.register("register_reports_menu_item")
def register_failed_sign_ins_menu_item():
    return FailedSignInsMenuItem(
        "Failed sign-ins", reverse("cms_failed_sign_ins"), name="failed-sign-ins", icon_name="lock", order=1300
    )


@hooks.register("register_admin_urls")
def register_failed_tasks_report():
    return [
        path("reports/failed-tasks/", FailedTasksReport.as_view(), name="cms_failed_tasks"),
        path(
            "reports/failed-tasks/results/",
            FailedTasksReport.as_view(results_only=True),
            name="cms_failed_tasks_results",
        ),
    ]


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("django_tasks_db.view_dbtaskresult")


@hooks.register("register_reports_menu_item")
def register_failed_tasks_menu_item():
    return FailedTasksMenuItem(
        "Failed tasks", reverse("cms_failed_tasks"), name="failed-tasks", icon_name="warning", order=1310
    )
