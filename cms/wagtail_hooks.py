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


def register_report(view, *, slug, label, icon, order, permission):
    """A report of the admin's Reports menu: its page and results URLs (``cms_<slug>``, as the view's
    ``index_url_name`` says) and its menu item, shown to those with ``permission``."""
    name = "cms_" + slug.replace("-", "_")

    @hooks.register("register_admin_urls")
    def urls():
        return [
            path(f"reports/{slug}/", view.as_view(), name=name),
            path(f"reports/{slug}/results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]

    class ReportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(permission)

    @hooks.register("register_reports_menu_item")
    def menu_item():
        return ReportMenuItem(label, reverse(name), name=slug, icon_name=icon, order=order)


register_report(
    FailedSignInsReport,
    slug="failed-sign-ins",
    label="Failed sign-ins",
    icon="lock",
    order=1300,
    permission="axes.view_accessfailurelog",
)
register_report(
    FailedTasksReport,
    slug="failed-tasks",
    label="Failed tasks",
    icon="warning",
    order=1310,
    permission="django_tasks_db.view_dbtaskresult",
)
