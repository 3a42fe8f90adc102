"""Faults survived: Redis down or hung, the database down. Every dependency here is real (a Redis
server this module starts and stops or freezes, a database port nothing answers on)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles.models import StoredBody
from comments.models import ArticleComment, CommentStatus
from comments.services import comment_approve

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, to stop, freeze (SIGSTOP: a hung Redis) and bring back."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.3},
        }
    }


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.thaw()
    server.process.kill()
    server.process.wait(10)


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    settings.CACHE_OUTAGE_RETRY_SECONDS = 0.2


@pytest.fixture
def article(article_factory):
    return article_factory(title="Still readable", slug="still-readable")


def test_with_redis_down_every_read_answers_uncached(client, dead_redis, article, make_comment):
    make_comment(article, body="An approved comment")
    for url in [
        "/",
        article.url,
        "/api/v2/pages/",
        f"/api/v2/pages/{article.pk}/",
        f"/api/comments/?page={article.pk}",
        "/api/v2/testimonials/",
    ]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:200])
            assert response["X-Cache"] == "BYPASS", url
            assert "s-maxage" not in response["Cache-Control"]  # no shared cache may keep it either
    assert "An approved comment" in client.get(f"/api/comments/?page={article.pk}").content.decode()


def test_with_redis_down_an_article_body_is_served_and_not_stored(client, api, dead_redis, article_factory):
    """Nothing can tell whether a change landed while it was built (articles/body_store.py): not kept."""
    article = article_factory(body=[{"type": "quote", "value": {"text": "Served anyway.", "attribution": ""}}])
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["body"][0]["value"]["text"] == "Served anyway."
    assert "Served anyway." in client.get(article.url).content.decode()
    assert not StoredBody.objects.exists()


def test_with_redis_down_a_comment_is_stored_and_moderated(api, dead_redis, article, moderator, committed):
    posted = api.post(
        "/api/comments/",
        {"page": article.pk, "name": "Reader", "email": "r@example.com", "body": "Posted in an outage"},
        format="json",
        REMOTE_ADDR="198.51.100.9",
    )
    assert posted.status_code == 202, posted.content
    comment = ArticleComment.objects.get(comment="Posted in an outage")
    committed(comment_approve, comment=comment, moderator=moderator)
    assert ArticleComment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    assert "Posted in an outage" in api.get(f"/api/comments/?page={article.pk}").content.decode()


def test_probes_name_what_is_down(client, settings, dead_redis):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready["Cache-Control"].startswith("max-age=0")
    assert ready.json()["checks"] == {"database": "ok", "cache": "down", "storage": "ok"}
    assert ready.json()["detail"] == "Not ready: cache unreachable."


def test_probes_are_ready_with_everything_up(client, settings, redis_server):
    settings.CACHES = redis_cache(redis_server.url)
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker takes its own transactions
def test_an_invalidation_lost_to_a_hung_redis_is_retried_by_the_worker(
    api, settings, redis_server, article, make_comment, moderator
):
    """Redis froze while a comment was approved; once it answers again the old thread (still in it,
    without the comment) must not be served: the task worker bumps the tags it missed."""
    settings.CACHES = redis_cache(redis_server.url)
    settings.CACHE_OUTAGE_RETRY_SECONDS = 0.2
    settings.CACHE_INVALIDATION_RETRY_SECONDS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pending = make_comment(article, approve=False, body="Approved while Redis hung")
    thread = f"/api/comments/?page={article.pk}"
    assert api.get(thread)["X-Cache"] == "MISS"
    assert api.get(thread)["X-Cache"] == "HIT"

    redis_server.freeze()
    comment_approve(comment=pending, moderator=moderator)  # committed: its invalidation runs, and fails
    during = api.get(thread)
    assert during.status_code == 200
    assert during["X-Cache"] == "BYPASS"
    assert "Approved while Redis hung" in during.content.decode()
    assert DBTaskResult.objects.filter(task_path="core.tasks.retry_invalidation").count() == 1

    redis_server.thaw()
    time.sleep(0.3)  # the breaker's pause (CACHE_OUTAGE_RETRY_SECONDS): this process asks Redis again
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    after = api.get(thread)
    assert after.status_code == 200
    assert "Approved while Redis hung" in after.content.decode()
    assert DBTaskResult.objects.get(task_path="core.tasks.retry_invalidation").status == "SUCCESSFUL"


def test_service_resumes_by_itself_when_redis_returns(client, settings, redis_server, article):
    settings.CACHES = redis_cache(redis_server.url)
    settings.CACHE_OUTAGE_RETRY_SECONDS = 0.2
    assert client.get(article.url)["X-Cache"] == "MISS"
    redis_server.stop()
    assert client.get(article.url)["X-Cache"] == "BYPASS"
    redis_server.start()
    time.sleep(0.3)  # the breaker's pause
    assert client.get(article.url)["X-Cache"] == "MISS"  # an empty Redis: it restarted without a dump
    assert client.get(article.url)["X-Cache"] == "HIT"


def run_with_dead_database(*paths):
    """Each path requested in a fresh process whose DATABASE_URL points where nothing answers."""
    script = (
        "import django, sys; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "for path in sys.argv[1:]:\n"
        "    r = client.get(path)\n"
        "    shown = b'Back in a moment' in r.content\n"
        "    print(r.status_code, r.get('Retry-After'), r.get('Content-Type'), shown, r.content[:80])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
    }
    result = subprocess.run(
        [sys.executable, "-c", script, *paths], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()


def test_with_the_database_down_the_api_and_the_site_answer_503():
    api, site, health, ready = run_with_dead_database("/api/v2/pages/", "/", "/healthz", "/readyz")
    assert api.startswith('503 5 application/json False b\'{"detail": "Service temporarily unavailable')
    assert site.startswith("503 5 text/html; charset=utf-8 True b'<!DOCTYPE html>")
    assert "Traceback" not in site
    assert health.startswith("200 None application/json False")
    assert ready.startswith("503 None application/json") and '"database": "down"' in ready
