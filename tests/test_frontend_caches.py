"""Every configured HTTP cache is purged, and a purge that fails is retried by the task worker.

Real peers only: two nginx instances (deploy/nginx.conf.template with the cache-purge module) in front
of the live test server, an HTTP server on 127.0.0.1 standing in for Cloudflare's API (the backend's
``API_URL``), and moto's CloudFront server (boto3 reaches it through ``AWS_ENDPOINT_URL_CLOUDFRONT``).
A retry is a row of django-tasks-db's table, run by its worker (``db_worker --batch``).
"""

import datetime
import http.client
import json
import logging
import shutil
import socket
import subprocess
import threading
import time
import types
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from moto.server import ThreadedMotoServer
from wagtail.contrib.frontend_cache.utils import get_backends

from articles.models import ArticleSettings
from cms.settings.frontend_caches import frontend_caches
from core import frontend_cache
from deploy.render_nginx import render

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOGGER = "wagtail.frontendcache"
CACHE_VARIABLES = [
    "FRONTEND_CACHE_URL",
    "FRONTEND_CACHE_URLS",
    "FRONTEND_CACHE_HOSTNAMES",
    "CLOUDFLARE_ZONEID",
    "CLOUDFLARE_BEARER_TOKEN",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_HOSTNAMES",
    "CLOUDFRONT_DISTRIBUTION_ID",
    "CLOUDFRONT_HOSTNAMES",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def retries():
    return DBTaskResult.objects.filter(task_path="core.frontend_cache.retry_purge")


def run_due_retries():
    """The worker, once every queued retry's delay has passed."""
    retries().filter(status="READY").update(run_after=timezone.now())
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def assert_deferred(retry, seconds):
    due = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=seconds - 2) <= due <= datetime.timedelta(seconds=seconds), due


@pytest.fixture(autouse=True)
def article_settings(db):
    # The first page ever rendered creates the settings row, which keeps that response out of the caches.
    ArticleSettings.load()


# --- the settings, from the environment ---------------------------------------------------------------
@pytest.fixture
def env(monkeypatch):
    for name in CACHE_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def configure(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return frontend_caches()

    return configure


def test_no_variable_no_cache(env):
    assert env() == {}


def test_each_nginx_is_its_own_cache_for_the_hostnames_given(env):
    caches = env(
        FRONTEND_CACHE_URLS="http://10.0.0.5:8080, http://10.0.0.6:8080",
        FRONTEND_CACHE_HOSTNAMES="cms.example",
    )
    assert caches == {
        "nginx:10.0.0.5:8080": {
            "BACKEND": "core.frontend_cache.PurgeBackend",
            "LOCATION": "http://10.0.0.5:8080",
            "HOSTNAMES": ["cms.example"],
        },
        "nginx:10.0.0.6:8080": {
            "BACKEND": "core.frontend_cache.PurgeBackend",
            "LOCATION": "http://10.0.0.6:8080",
            "HOSTNAMES": ["cms.example"],
        },
    }
    backends = get_backends(caches)
    assert [type(backend) for backend in backends.values()] == [frontend_cache.PurgeBackend] * 2
    assert backends["nginx:10.0.0.6:8080"].invalidates_hostname("cms.example")
    assert not backends["nginx:10.0.0.6:8080"].invalidates_hostname("other.example")


def test_frontend_cache_url_is_a_one_item_list(env):
    caches = env(FRONTEND_CACHE_URL="http://127.0.0.1:8080")
    assert caches == {
        "nginx:127.0.0.1:8080": {"BACKEND": "core.frontend_cache.PurgeBackend", "LOCATION": "http://127.0.0.1:8080"}
    }
    assert get_backends(caches)["nginx:127.0.0.1:8080"].invalidates_hostname("anything.example")


def test_cloudflare_and_cloudfront_get_wagtails_keys(env):
    caches = env(
        CLOUDFLARE_ZONEID="zone-1",
        CLOUDFLARE_BEARER_TOKEN="token-1",
        CLOUDFLARE_HOSTNAMES="www.example,example",
        CLOUDFRONT_DISTRIBUTION_ID="E2ABC",
        CLOUDFRONT_HOSTNAMES="cdn.example",
    )
    assert caches == {
        "cloudflare": {
            "BACKEND": "core.frontend_cache.CloudflareBackend",
            "ZONEID": "zone-1",
            "BEARER_TOKEN": "token-1",
            "HOSTNAMES": ["www.example", "example"],
        },
        "cloudfront": {
            "BACKEND": "core.frontend_cache.CloudfrontBackend",
            "DISTRIBUTION_ID": "E2ABC",
            "HOSTNAMES": ["cdn.example"],
        },
    }
    backends = get_backends(caches)
    cloudflare, cloudfront = backends["cloudflare"], backends["cloudfront"]
    assert isinstance(cloudflare, frontend_cache.CloudflareBackend)
    assert cloudflare.cloudflare_token == "token-1"
    assert cloudflare.cloudflare_purge_endpoint_url == "https://api.cloudflare.com/client/v4/zones/zone-1/purge_cache"
    assert isinstance(cloudfront, frontend_cache.CloudfrontBackend)
    assert cloudfront.cloudfront_distribution_id == "E2ABC"
    assert cloudfront.invalidates_hostname("cdn.example") and not cloudfront.invalidates_hostname("www.example")


def test_cloudflare_with_a_global_api_key(env):
    caches = env(CLOUDFLARE_ZONEID="zone-2", CLOUDFLARE_EMAIL="ops@example.com", CLOUDFLARE_API_KEY="key-2")
    assert caches["cloudflare"] == {
        "BACKEND": "core.frontend_cache.CloudflareBackend",
        "ZONEID": "zone-2",
        "EMAIL": "ops@example.com",
        "API_KEY": "key-2",
    }
    backend = get_backends(caches)["cloudflare"]
    assert (backend.cloudflare_email, backend.cloudflare_api_key) == ("ops@example.com", "key-2")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"CLOUDFLARE_BEARER_TOKEN": "t"}, "set CLOUDFLARE_ZONEID"),
        ({"CLOUDFLARE_ZONEID": "z"}, "set CLOUDFLARE_BEARER_TOKEN"),
        ({"CLOUDFLARE_ZONEID": "z", "CLOUDFLARE_EMAIL": "ops@example.com"}, "set CLOUDFLARE_BEARER_TOKEN"),
        ({"FRONTEND_CACHE_URLS": "127.0.0.1:8080"}, "is not an http(s) URL"),
    ],
)
def test_a_half_configured_cache_is_refused_at_start_up(env, variables, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        env(**variables)


# --- two nginx instances ---------------------------------------------------------------------------------
class Nginx:
    """An nginx of the reference configuration, to stop and start again on the same port and cache."""

    def __init__(self, prefix, upstream):
        self.port = free_port()
        self.prefix = prefix
        self.process = None
        conf = render(
            listen=f"127.0.0.1:{self.port}",
            upstream=upstream,
            prefix=prefix,
            static_root=prefix,
            media_root=prefix,
            server_name="localhost",
        )
        (prefix / "nginx.conf").write_text(conf)

    @property
    def name(self):
        return f"nginx:127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-g", "daemon off;"],
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def get(self, path):
        """A reader of the public site (``Host: localhost``, whichever nginx the balancer picked)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return response.status, response.getheader("X-Proxy-Cache"), content


@pytest.fixture
def two_nginx(live_server, tmp_path, settings):
    assert Path(NGINX).exists(), "nginx is missing: `make test` installs Debian's nginx-light and its purge module"
    upstream = live_server.url.removeprefix("http://")
    proxies = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        proxy = Nginx(tmp_path / name, upstream)
        proxy.start()
        proxies.append(proxy)
    settings.WAGTAILFRONTENDCACHE = {
        proxy.name: {"BACKEND": "core.frontend_cache.PurgeBackend", "LOCATION": f"http://127.0.0.1:{proxy.port}"}
        for proxy in proxies
    }
    yield proxies
    for proxy in proxies:
        proxy.stop()


def title_through(proxy, path):
    status, cache_status, content = proxy.get(path)
    assert status == 200, path
    return cache_status, json.loads(content)["title"]


def cache_in_both(proxies, path):
    for proxy in proxies:
        assert proxy.get(path)[0] == 200
        assert proxy.get(path)[:2] == (200, "HIT")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_purges_every_nginx(two_nginx, article_factory, caplog):
    article = article_factory(title="First title", slug="first")
    detail = f"/api/v2/pages/{article.pk}/"
    cache_in_both(two_nginx, detail)
    cache_in_both(two_nginx[:1], article.url)  # the second nginx answers its purge "not cached" (404)

    article.title = "Second title"
    with caplog.at_level(logging.INFO, logger=LOGGER):
        article.save_revision().publish()

    for proxy in two_nginx:
        assert title_through(proxy, detail) == ("MISS", "Second title")
        status, cache_status, content = proxy.get(article.url)
        assert (status, cache_status) == (200, "MISS") and b"Second title" in content
    assert sorted(r.getMessage() for r in caplog.records) == sorted(f"[{p.name}] Purged 2 URL(s)" for p in two_nginx)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker takes its own transactions
def test_an_nginx_that_is_down_is_purged_by_the_worker_once_it_is_back(two_nginx, article_factory, settings, caplog):
    settings.TASKS = DB_TASKS
    up, down = two_nginx
    article = article_factory(title="First title", slug="first")
    detail = f"/api/v2/pages/{article.pk}/"
    cache_in_both(two_nginx, detail)

    down.stop()
    article.title = "Second title"
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        article.save_revision().publish()  # committed: its purge runs now

    assert title_through(up, detail) == ("MISS", "Second title")  # the other cache did not wait
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"Couldn't purge 1 URL(s) from {down.name} (")
    assert errors[0].endswith("the task worker retries in 15 s (attempt 2 of 5)")
    retry = retries().get()
    assert retry.args_kwargs["args"][0] == down.name
    assert retry.args_kwargs["args"][1] == [f"http://localhost{detail}"]
    assert_deferred(retry, 15)

    down.start()
    assert title_through(down, detail) == ("HIT", "First title")  # its cache kept the old answer
    run_due_retries()
    retry.refresh_from_db()
    assert (retry.status, retry.return_value) == ("SUCCESSFUL", {"status": "purged", "attempt": 2, "purged": 1})
    assert title_through(down, detail) == ("MISS", "Second title")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_purge_that_keeps_failing_is_given_up_after_the_last_attempt(settings, caplog):
    settings.TASKS = DB_TASKS
    settings.FRONTEND_CACHE_PURGE_ATTEMPTS = 3
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.WAGTAILFRONTENDCACHE = {"nginx:dead": {"BACKEND": "core.frontend_cache.PurgeBackend", "LOCATION": dead}}
    url = "http://localhost/articles/gone/"
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert frontend_cache.purge([url]) == 1
        assert_deferred(retries().get(), 15)
        run_due_retries()  # attempt 2 fails: attempt 3 is queued, twice the delay later
        second = retries().get(args_kwargs__kwargs={"attempt": 3})
        assert_deferred(second, 30)
        run_due_retries()  # attempt 3, the last, fails

    assert DBTaskResult.objects.get(pk=second.pk).status == "FAILED"
    assert sorted(retry.status for retry in retries()) == ["FAILED", "SUCCESSFUL"]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 3, errors
    assert errors[1].endswith("the task worker retries in 30 s (attempt 3 of 3)")
    assert errors[2].startswith("Gave up purging 1 URL(s) from nginx:dead after 3 attempts (last: ")


def test_a_hung_nginx_costs_one_timeout_per_batch(settings):
    """It accepts connections and never answers: the first URL waits for the timeout, the rest fail at once."""
    accepted = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def accept():
        for _ in range(3):
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    backend = frontend_cache.PurgeBackend({"LOCATION": f"http://127.0.0.1:{listener.getsockname()[1]}"})
    backend.timeout = 0.3
    urls = [f"http://localhost/articles/{n}/" for n in range(3)]
    try:
        with pytest.raises(frontend_cache.PurgeFailed) as failure:
            backend.purge_batch(urls)
    finally:
        listener.close()
        thread.join(5)
        for connection in accepted:
            connection.close()
    assert failure.value.urls == urls
    assert len(accepted) == 1


# --- Cloudflare: a local server stands in for its API ------------------------------------------------
class CloudflareAPI:
    """Records each purge request and answers what the test queued, then ``{"success": true}``."""

    def __init__(self):
        self.requests = []
        self.answers = deque()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                headers = dict(self.headers.items())
                api.requests.append(types.SimpleNamespace(path=self.path, headers=headers, body=body))
                status, answer = api.answers.popleft() if api.answers else (200, {"success": True, "errors": []})
                content = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/client/v4"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)


@pytest.fixture
def cloudflare(settings):
    api = CloudflareAPI()
    api.thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "core.frontend_cache.CloudflareBackend",
            "ZONEID": "zone-1",
            "BEARER_TOKEN": "token-1",
            "HOSTNAMES": ["testserver"],
            "API_URL": api.url,
        }
    }
    yield api
    api.server.shutdown()
    api.server.server_close()


@pytest.fixture
def read_then_publish(client, article_factory, committed):
    """An article read (so a shared cache may hold it), then published again with a new title."""

    def run(title="Second title"):
        article = article_factory(title="First title", slug="first")
        for path in (article.url, f"/api/v2/pages/{article.pk}/"):
            assert client.get(path)["X-Cache"] == "MISS"
        article.title = title
        committed(lambda: article.save_revision().publish())
        return article

    return run


def test_a_publish_purges_cloudflare(cloudflare, read_then_publish):
    article = read_then_publish()
    assert len(cloudflare.requests) == 1
    request = cloudflare.requests[0]
    assert request.path == "/client/v4/zones/zone-1/purge_cache"
    assert request.headers["Authorization"] == "Bearer token-1"
    assert sorted(request.body["files"]) == sorted(
        [f"http://testserver{article.url}", f"http://testserver/api/v2/pages/{article.pk}/"]
    )


def test_a_host_cloudflare_does_not_cover_is_not_sent(cloudflare, settings, read_then_publish):
    settings.WAGTAILFRONTENDCACHE["cloudflare"]["HOSTNAMES"] = ["www.example"]
    read_then_publish()
    assert cloudflare.requests == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker takes its own transactions
@pytest.mark.parametrize(
    ("status", "answer", "reason"),
    [
        (200, {"success": False, "errors": [{"code": 1134, "message": "Rate limited"}]}, "HTTP 200: Rate limited"),
        (403, {"success": False, "errors": [{"code": 10000, "message": "Bad token"}]}, "HTTP 403: Bad token"),
        (502, "<html>Bad gateway</html>", "HTTP 502"),
    ],
)
def test_a_refused_cloudflare_purge_is_retried(cloudflare, settings, read_then_publish, caplog, status, answer, reason):
    settings.TASKS = DB_TASKS
    cloudflare.answers.append((status, answer))
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        read_then_publish()
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    retrying = "the task worker retries in 15 s (attempt 2 of 5)"
    assert errors == [f"Couldn't purge 2 URL(s) from cloudflare ({reason}); {retrying}"]
    retry = retries().get()
    assert_deferred(retry, 15)

    run_due_retries()
    assert len(cloudflare.requests) == 2
    assert sorted(cloudflare.requests[1].body["files"]) == sorted(cloudflare.requests[0].body["files"])
    retry.refresh_from_db()
    assert retry.return_value == {"status": "purged", "attempt": 2, "purged": 2}


def test_an_unreachable_cloudflare_is_retried(settings, read_then_publish, caplog):
    settings.TASKS = DB_TASKS
    settings.WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "core.frontend_cache.CloudflareBackend",
            "ZONEID": "zone-1",
            "BEARER_TOKEN": "token-1",
            "API_URL": f"http://127.0.0.1:{free_port()}/client/v4",  # nothing listens there
        }
    }
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        read_then_publish()
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        "Couldn't purge 2 URL(s) from cloudflare (ConnectionError); the task worker retries in 15 s (attempt 2 of 5)"
    ]
    assert retries().get().args_kwargs["args"][0] == "cloudflare"


# --- CloudFront: moto's server ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cloudfront_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def cloudfront(cloudfront_server, monkeypatch, settings):
    """A distribution on moto's server; boto3 (inside Wagtail's backend) finds it through the environment."""
    for name, value in {
        "AWS_ENDPOINT_URL_CLOUDFRONT": cloudfront_server,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("cloudfront")
    origin = {
        "Id": "app",
        "DomainName": "app.example",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"},
    }
    behaviour = {
        "TargetOriginId": "app",
        "ViewerProtocolPolicy": "allow-all",
        "MinTTL": 0,
        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
    }
    distribution = client.create_distribution(
        DistributionConfig={
            "CallerReference": str(time.time_ns()),
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": behaviour,
            "Comment": "",
            "Enabled": True,
        }
    )["Distribution"]["Id"]
    settings.WAGTAILFRONTENDCACHE = {
        "cloudfront": {"BACKEND": "core.frontend_cache.CloudfrontBackend", "DISTRIBUTION_ID": distribution}
    }
    return types.SimpleNamespace(client=client, id=distribution)


def invalidated_paths(cloudfront):
    listing = cloudfront.client.list_invalidations(DistributionId=cloudfront.id)["InvalidationList"]
    found = [
        cloudfront.client.get_invalidation(DistributionId=cloudfront.id, Id=item["Id"])["Invalidation"]
        for item in listing.get("Items", [])
    ]
    return [sorted(invalidation["InvalidationBatch"]["Paths"]["Items"]) for invalidation in found]


def test_a_publish_invalidates_cloudfront(cloudfront, read_then_publish):
    article = read_then_publish()
    assert invalidated_paths(cloudfront) == [sorted([article.url, f"/api/v2/pages/{article.pk}/"])]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker takes its own transactions
def test_a_refused_cloudfront_invalidation_is_retried(cloudfront, settings, read_then_publish, caplog):
    settings.TASKS = DB_TASKS
    settings.WAGTAILFRONTENDCACHE["cloudfront"]["DISTRIBUTION_ID"] = "E0NOTTHERE"
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        read_then_publish()
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "NoSuchDistribution" in errors[0]
    assert errors[0].endswith("the task worker retries in 15 s (attempt 2 of 5)")

    settings.WAGTAILFRONTENDCACHE["cloudfront"]["DISTRIBUTION_ID"] = cloudfront.id  # the operator fixed it
    run_due_retries()
    assert retries().get().return_value == {"status": "purged", "attempt": 2, "purged": 2}
    assert len(invalidated_paths(cloudfront)) == 1
