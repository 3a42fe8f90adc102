"""The same requests without an HTTP server: CPU and SQL queries per request inside Django.

Run by the harness after the load (``manage.py shell`` with the benchmark's environment): each request
goes straight to Django's WSGI handler, so the difference with the CPU per request measured under
gunicorn is what the server itself costs (accepting a connection, parsing HTTP, writing the answer).
Query counts tell a cost that grows with the data (more queries) from one that does not (same queries,
more rows).
"""

import io
import json
import os
import sys
import time

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext, override_settings

CPU_BUDGET = 3.0  # seconds of CPU per case, after warming
MAX_CALLS = 300


def environ(method, path, headers, body=b""):
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def cases(manifest):
    special = manifest["special"]
    article = special["bench-thread-10000"]["id"]
    bearer = {"Authorization": f"Bearer {manifest['token']}"}
    found = [
        ("article_app_cache", "GET", f"/api/v2/pages/{article}/", {}, True),
        ("article_uncached", "GET", f"/api/v2/pages/{article}/", {}, False),
        ("article_stock", "GET", f"/bench/stock/api/v2/pages/{article}/", {}, False),
        ("page_uncached", "GET", special["bench-thread-10000"]["url_path"].removeprefix("/home"), {}, False),
    ]
    for size in (10, 1_000, 10_000):
        page = special[f"bench-thread-{size}"]["id"]
        found.append((f"thread_{size}", "GET", f"/api/comments/?page={page}", {}, False))
    for size in (10, 10_000):
        found.append((f"post_{size}", "POST", special[f"bench-thread-{size}"]["id"], {}, True))
    for size in (100, 100_000):
        page = special[f"bench-queue-{size}"]["id"]
        found.append((f"queue_{size}", "GET", f"/api/moderation/comments/?status=pending&page={page}", bearer, True))
    return found


def bulk_queries(call, manifest):
    """Queries of one bulk approve of 1 and of 100 pending comments of the big queue (once each: the ids are
    approved by it); the moderation API's own count, through the WSGI handler like the other cases."""
    from comments.models import ArticleComment, CommentStatus  # Django is set up by now

    bearer = {"Authorization": f"Bearer {manifest['token']}"}
    page = manifest["special"]["bench-queue-100000"]["id"]
    pending = ArticleComment.objects.filter(object_pk=str(page), status=CommentStatus.PENDING).order_by("pk")
    ids = list(pending.values_list("pk", flat=True)[:102])
    found = {}
    for case_id, chosen in (("bulk_1", ids[:1]), ("bulk_100", ids[1:101])):
        body = json.dumps({"ids": chosen, "action": "approve"}).encode()
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call("POST", "/api/moderation/comments/bulk/", bearer, body)
        cpu = time.process_time() - started
        found[case_id] = {"cpu_ms": cpu * 1000, "queries": len(queries.captured_queries), "calls": 1, "status": status}
        sys.stdout.write(f"in-process {case_id}: {len(queries.captured_queries)} queries ({status})\n")
    return found


def main():
    with open(os.environ["BENCH_MANIFEST"]) as handle:
        manifest = json.load(handle)
    app = WSGIHandler()
    # Django empties the query log when a request starts; counting across one request needs it kept.
    request_started.disconnect(reset_queries)
    counter = iter(range(10**9))

    def call(method, target, headers, raw=None):
        if raw is not None:
            env = environ(method, target, headers, raw)
        elif method == "POST":
            body = json.dumps(
                {
                    "page": target,
                    "name": "In-process reader",
                    "email": "reader@example.com",
                    "body": f"In-process comment {time.time_ns()}-{next(counter)}",
                }
            ).encode()
            env = environ("POST", "/api/comments/", headers, body)
        else:
            env = environ("GET", target, headers)
        seen = {}
        body = b"".join(app(env, lambda status, hdrs, exc=None: seen.update(status=status, headers=dict(hdrs))))
        return seen["status"], seen["headers"], body

    results = {}
    for case_id, method, target, headers, cache_on in cases(manifest):
        with override_settings(PUBLIC_CACHE_ENABLED=cache_on):
            for _ in range(3):
                status, response_headers, _ = call(method, target, headers)
            with CaptureQueriesContext(connection) as queries:
                call(method, target, headers)
            query_count = len(queries.captured_queries)  # now: the log is not kept across later requests
            calls, started = 0, time.process_time()
            while calls < MAX_CALLS and (calls < 5 or time.process_time() - started < CPU_BUDGET):
                call(method, target, headers)
                calls += 1
            cpu = (time.process_time() - started) / calls
        results[case_id] = {
            "cpu_ms": cpu * 1000,
            "queries": query_count,
            "calls": calls,
            "status": status,
            "x_cache": response_headers.get("X-Cache"),
        }
        sys.stdout.write(f"in-process {case_id}: {cpu * 1000:.2f} ms CPU, {query_count} queries ({status})\n")
    results.update(bulk_queries(call, manifest))
    with open(os.environ["BENCH_INPROCESS_OUT"], "w") as handle:
        json.dump(results, handle, indent=2)
