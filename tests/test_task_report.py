"""Operators see the background tasks that failed for good: Reports › Failed tasks (superusers)."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from comments.models import ArticleComment
from comments.services import comment_approve, comment_create
from core.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker's transactions

BAD = "a@x.test\u202e"  # stored before addresses were checked strictly: every mail to it fails


def test_a_mail_that_failed_is_listed_for_superusers_without_its_address(client, settings, article_factory, moderator):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = article_factory()
    first = comment_create(
        article=article, parent=None, name="Reader", email="bad@example.com", body="First", followup=True,
        client_ip="192.0.2.4",
    )  # fmt: skip
    comment_approve(comment=first, moderator=moderator)
    ArticleComment.objects.filter(pk=first.pk).update(user_email=BAD)
    reply = comment_create(
        article=article, parent=first, name="Other", email="other@example.com", body="A reply", client_ip="192.0.2.5"
    )
    comment_approve(comment=reply, moderator=moderator)  # the thread's follower is mailed: it fails
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    failed = DBTaskResult.objects.failed()
    assert failed.exists()
    assert {result.task_path for result in failed} == {"comments.tasks.send_comment_mail"}

    client.force_login(moderator)
    assert client.get("/admin/reports/failed-tasks/").status_code == 302  # Wagtail's "no permission"
    assert "Failed tasks" not in client.get("/admin/").content.decode()

    client.force_login(UserFactory(username="boss", superuser=True))
    page = client.get("/admin/reports/failed-tasks/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "comments.tasks.send_comment_mail" in html
    assert failed[0].exception_class_path.rsplit(".", 1)[-1] in html
    assert "x.test" not in html  # the recipient stays out of the report
    assert "Failed tasks" in client.get("/admin/").content.decode()
