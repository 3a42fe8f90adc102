"""Scheduled work (cms/scheduler.py, ``manage.py scheduler``): pages go live and expire at the editor's
time with the purges and webhooks of a manual publish, and two servers never run the same slot twice.

The locks are tested on a real Redis (127.0.0.1:6379, a database of these tests' own, flushed), with
threads started together; the command itself runs once as a process of its own against the test
database, on a short period.
"""

import datetime
import json
import os
import select
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision

from articles.models import ArticlePage
from cms import scheduler

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/13"  # this module's own database, flushed around each test
SECRET = "scheduler-test-secret-0123456789abcdefghij"


def job(name):
    return {found.name: found for found in scheduler.jobs()}[name]


# --- the editor's schedule ------------------------------------------------------------------------------
class Receiver:
    """A webhook receiver on 127.0.0.1 that records each event."""

    def __init__(self):
        self.events = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.events.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)


@pytest.fixture
def receiver(settings):
    server = Receiver()
    server.thread.start()
    settings.WEBHOOK_URLS = [server.url]
    settings.WEBHOOK_SECRET = SECRET
    yield server
    server.server.shutdown()
    server.server.server_close()


def schedule(article, go_live_at):
    """What the admin does when an editor sets "Go-live date/time" and publishes: an approved revision."""
    page = ArticlePage.objects.get(pk=article.pk)
    page.go_live_at = go_live_at
    revision = page.save_revision()
    revision.publish()
    return Revision.objects.get(pk=revision.pk)


def time_passes(revision, hours):
    """The clock moves on ``hours``: the go-live time stored in the revision is that much earlier now."""
    earlier = revision.approved_go_live_at - datetime.timedelta(hours=hours)
    content = {**revision.content, "go_live_at": earlier.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=earlier, content=content)


def test_a_scheduled_article_goes_live_with_purges_and_a_webhook(
    article_factory, index, client, purged, receiver, committed
):
    for url in ("/api/v2/pages/", index.url):
        assert client.get(url)["X-Cache"] == "MISS"  # a shared cache may hold them now
    article = article_factory(publish=False, title="Tomorrow's news", slug="tomorrow")
    revision = committed(schedule, article, timezone.now() + datetime.timedelta(hours=1))
    assert revision.approved_go_live_at is not None
    assert Page.objects.get(pk=article.pk).live is False
    assert receiver.events == []  # Wagtail signals "published" on scheduling too; nothing public changed yet
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    lines = []
    assert committed(scheduler.run_job, job("publish_scheduled"), write=lines.append) == "ran"
    assert Page.objects.get(pk=article.pk).live is False  # not yet: nothing was due
    assert "publish_scheduled: 0 revision(s) went live, 0 page(s) expired" in lines[0]

    time_passes(revision, hours=2)
    lines.clear()
    assert committed(scheduler.run_job, job("publish_scheduled"), now=time.time() + 60, write=lines.append) == "ran"

    assert Page.objects.get(pk=article.pk).live is True
    assert "publish_scheduled: 1 revision(s) went live, 0 page(s) expired" in lines[0]
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    assert sorted(purged) == sorted([f"http://testserver{index.url}", "http://testserver/api/v2/pages/"])
    assert [(event["event"], event["data"]["id"]) for event in receiver.events] == [("page.published", article.pk)]
    response = client.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Tomorrow's news"


def test_an_article_expires_with_purges_and_a_webhook(article_factory, client, purged, receiver, committed):
    article = article_factory(title="Offer ends soon", slug="offer")
    page = ArticlePage.objects.get(pk=article.pk)
    page.expire_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    detail = f"/api/v2/pages/{article.pk}/"
    for url in (article.url, detail):
        assert client.get(url)["X-Cache"] == "MISS"
    receiver.events.clear()
    purged.clear()

    Page.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    lines = []
    assert committed(scheduler.run_job, job("publish_scheduled"), write=lines.append) == "ran"

    page = Page.objects.get(pk=article.pk)
    assert (page.live, page.expired) == (False, True)
    assert "0 revision(s) went live, 1 page(s) expired" in lines[0]
    assert {f"http://testserver{article.url}", f"http://testserver{detail}"} <= set(purged)
    assert [(event["event"], event["data"]["id"]) for event in receiver.events] == [("page.unpublished", article.pk)]
    assert client.get(detail).status_code == 404
    assert client.get(article.url).status_code == 404


def test_the_other_jobs_purge_addresses_and_prune_task_results(settings, article_factory, make_comment):
    from django_tasks_db.models import DBTaskResult

    from comments.models import ArticleComment

    old = make_comment(article_factory(), body="Posted long ago")
    ArticleComment.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=40))
    lines = []
    assert scheduler.run_job(job("comments_purge_addresses"), write=lines.append) == "ran"
    assert ArticleComment.objects.get(pk=old.pk).ip_address is None
    assert "Purged the client address of 1 comments older than 30 days." in lines[0]

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert [found.name for found in scheduler.jobs()][-1] == "prune_db_task_results"
    from webhooks.delivery import deliver_webhook

    done = DBTaskResult.objects.get(pk=deliver_webhook.enqueue("http://127.0.0.1:9/", "{}", "x", "d").id)
    DBTaskResult.objects.filter(pk=done.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert scheduler.run_job(job("prune_db_task_results"), write=lines.append) == "ran"
    assert not DBTaskResult.objects.filter(pk=done.pk).exists()
    assert "finished task results older than 14 days pruned" in lines[1]


def test_without_the_database_task_backend_there_is_nothing_to_prune():
    assert [found.name for found in scheduler.jobs()] == ["publish_scheduled", "comments_purge_addresses"]


# --- two servers ---------------------------------------------------------------------------------------
@pytest.fixture
def shared_redis(settings):
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "scheduler-test",
        }
    }
    yield client
    client.flushdb()


def run_together(count, target):
    """``count`` threads call ``target`` at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = target()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_eight_servers_running_the_same_slot_run_the_job_once(shared_redis):
    calls = []
    counted = scheduler.Job("counted", 60, lambda: calls.append(1) or "counted")
    slot_start = 1_800_000_000 - 1_800_000_000 % 60
    for offset in (-0.4, 0.2):  # their clocks differ a little: the same slot, the nearest multiple
        now = slot_start + offset + 60
        results = run_together(8, lambda now=now: scheduler.run_job(counted, now=now, write=print))
    assert sorted(results) == ["skipped"] * 8  # the second group found the slot taken by the first
    assert len(calls) == 1
    assert scheduler.run_job(counted, now=slot_start + 120, write=print) == "ran"  # the next slot runs
    assert len(calls) == 2


def test_a_run_that_outlasts_its_slot_is_not_started_beside_itself(shared_redis):
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(1)
        started.set()
        release.wait(30)
        return "slow done"

    slow_job = scheduler.Job("slow", 5, slow)
    first = threading.Thread(target=scheduler.run_job, args=(slow_job,), kwargs={"now": 1000.0, "write": print})
    first.start()
    assert started.wait(30)
    assert scheduler.run_job(slow_job, now=1005.0, write=print) == "busy"  # the next slot, elsewhere
    release.set()
    first.join(30)
    assert scheduler.run_job(slow_job, now=1010.0, write=print) == "ran"
    assert len(calls) == 2


def test_with_the_lock_unreachable_nothing_runs(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    calls = []
    assert scheduler.run_job(scheduler.Job("guarded", 60, lambda: calls.append(1) or "x"), write=print) == "no-lock"
    assert calls == []
    assert "guarded not run: the cache that holds the locks is unreachable" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_publish_a_due_revision_once(shared_redis, article_factory, receiver):
    article = article_factory(publish=False, title="Once only", slug="once")
    time_passes(schedule(article, timezone.now() + datetime.timedelta(hours=1)), hours=2)
    results = run_together(2, lambda: scheduler.run_job(job("publish_scheduled"), write=print))
    assert sorted(results) == ["ran", "skipped"]
    assert Page.objects.get(pk=article.pk).live is True
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    assert [event["event"] for event in receiver.events] == ["page.published"]


# --- the command ----------------------------------------------------------------------------------------
def test_the_scheduler_runs_its_jobs_on_epoch_aligned_instants(settings):
    settings.SCHEDULER_PUBLISH_SECONDS = 5
    built = scheduler.build(write=print)
    triggers = {found.id: found.trigger for found in built.get_jobs()}
    assert {name: trigger.interval.total_seconds() for name, trigger in triggers.items()} == {
        "publish_scheduled": 5,
        "comments_purge_addresses": 3600,
    }
    after = datetime.datetime(2026, 12, 2, 10, 0, 2, tzinfo=datetime.UTC)
    assert triggers["publish_scheduled"].get_next_fire_time(None, after) == after.replace(second=5)
    assert triggers["comments_purge_addresses"].get_next_fire_time(None, after) == after.replace(hour=11, second=0)


def test_once_and_unknown_jobs(db, capsys):
    with pytest.raises(Exception, match="Unknown job"):
        call_command("scheduler", "--once", "nope")
    call_command("scheduler", "--once", "comments_purge_addresses")
    assert "comments_purge_addresses: Purged the client address of 0 comments" in capsys.readouterr().out


def database_url():
    config = connection.settings_dict
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{config['NAME']}"
    return f"postgres://{config['USER']}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_manage_py_scheduler_publishes_on_its_period(article_factory):
    article = article_factory(publish=False, title="Going live", slug="going-live")
    time_passes(schedule(article, timezone.now() + datetime.timedelta(hours=1)), hours=2)
    harness = {"DATABASE_URL", "REDIS_URL", "WEBHOOK_URLS", "FRONTEND_CACHE_URLS", "FRONTEND_CACHE_URL"}
    env = {name: value for name, value in os.environ.items() if name not in harness}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.test", DATABASE_URL=database_url(), SCHEDULER_PUBLISH_SECONDS="1")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "scheduler"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    lines = []
    try:
        deadline = time.monotonic() + 60
        while not any("1 revision(s) went live" in line for line in lines):
            assert time.monotonic() < deadline, lines
            ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
            assert ready and process.poll() is None, lines
            lines.append(process.stdout.readline())
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert lines[0] == "Scheduler: publish_scheduled every 1 s\n"
    assert Page.objects.get(pk=article.pk).live is True
    assert "Scheduler: stopping (waiting for running jobs)" in out
    assert process.returncode == 0
