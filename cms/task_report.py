"""Reports › Failed tasks: background tasks that failed for good (a mail a server refused, a webhook
receiver that kept failing, a purge given up), newest first, for superusers.

The rows are django-tasks-db's own results. Their arguments are not shown: a mail task's hold the
recipient's address.
"""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView


def _last_line(traceback):
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


class FailedTasksReport(ReportView):
    page_title = _("Failed tasks")
    header_icon = "warning"
    model = DBTaskResult
    permission_required = "view"  # django_tasks_db.view_dbtaskresult: superusers, unless a group is given it
    index_url_name = "cms_failed_tasks"
    index_results_url_name = "cms_failed_tasks_results"
    list_export = ["finished_at", "task_path", "exception_class_path", "enqueued_at"]
    columns = [
        DateColumn("finished_at", label=_("Failed")),
        Column("task_path", label=_("Task")),
        Column("exception_class_path", label=_("Error")),
        Column("message", label=_("Message"), accessor=lambda result: _last_line(result.traceback)),
        DateColumn("enqueued_at", label=_("Queued")),
    ]

    def get_queryset(self):
        return DBTaskResult.objects.failed().order_by("-finished_at")
