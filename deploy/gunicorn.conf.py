"""Reference gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py`` (the app is ``cms.wsgi``).

Every value can be changed from the environment, so one file serves a laptop, CI's benchmark and a
server:

| variable | default | what |
| --- | --- | --- |
| ``GUNICORN_BIND`` | ``127.0.0.1:$PORT`` (``PORT`` 8000) | where to listen; nginx on the same host proxies to it |
| ``WEB_CONCURRENCY`` | ``2 * cores + 1`` | worker processes |
| ``GUNICORN_WORKER_CLASS`` | ``sync`` | ``sync`` or ``gthread`` (see below) |
| ``GUNICORN_THREADS`` | ``1`` (``4`` with ``gthread``) | threads per worker |
| ``GUNICORN_MAX_REQUESTS`` | ``10000`` | a worker is replaced after this many requests (plus up to 10 % jitter) |
| ``GUNICORN_TIMEOUT`` | ``30`` | seconds a request may take before its worker is killed and replaced |
| ``GUNICORN_ACCESS_LOG`` | off | a file, or ``-`` for stdout; nginx already logs every request |
| ``GUNICORN_LOG_LEVEL`` | ``info`` | the error log (stderr) |
| ``TRUSTED_PROXY_COUNT`` | ``1`` if every bind is loopback or a socket | proxies in front of the app (see below) |

Server and worker class: **gunicorn, sync**, chosen by ``make bench`` (docs/performance.md, "Server
and worker class"; 5 workers on 2 cores, medians of 3 rounds, 2026-12-02), which runs the same app under
gunicorn sync, gunicorn gthread (4 threads) and granian 2.8 (WSGI); the last run, 2026-12-03, after the
``gc.freeze`` below:

| | sync | gthread | granian |
| --- | ---: | ---: | ---: |
| a hit in the app's cache, req/s (CPU ms per request) | 1,728 (0.88) | 1,879 (0.86) | 2,453 (0.61) |
| the moderation queue, a miss with 10 ms in PostgreSQL, req/s (CPU ms) | 31.9 (46.4) | 37.7 (41.3) | 34.5 (45.5) |
| p99 of the hit, ms | 29.9 | 62.9 | 39.4 |
| largest worker Pss after the load, MB | 59 | 96 | 146 |
| first 200 after launch, s | 1.58-1.71 | 1.47 | 5.42 |

granian answers a hit for 55-70 % of sync's CPU, but in production hits are nginx's (its cache is purged by
the app), and on what reaches the app, misses, the three are level within the spread between runs (granian
15 % ahead in one, gthread in another). granian pays for its hits in what the targets bound: each of its
workers imports the whole app itself (it has no ``preload_app``), so a worker holds 2.5 times sync's memory
(146 MB against a budget of 150) and the first response comes 4.4 to 5.4 s after launch (budget 2 s).
gthread's threads take turns on the GIL: a worse tail, more memory, slower misses. So: sync, 2 * cores + 1
single-threaded processes forked from one preloaded master. ``granian --interface wsgi cms.wsgi:application``
serves the same app (the benchmark runs it) for a host with memory to spare and no start-up budget; an
endpoint that mostly waits on another service would be the case for ``GUNICORN_WORKER_CLASS=gthread``.

Proxies: listening on loopback only, gunicorn is reached through the nginx beside it, which appends
the reader's address to ``X-Forwarded-For`` (deploy/nginx.conf.template): ``TRUSTED_PROXY_COUNT``
defaults to 1, so that rate limits count readers, not nginx. Bound to any other address, gunicorn
sets nothing: a client could write ``X-Forwarded-For`` itself, so only the operator knows the count.
"""

import gc
import multiprocessing
import os
import sys
from pathlib import Path

# The project's own environment parsing (plain Python, no Django), whatever directory gunicorn runs in.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.env import env_int

wsgi_app = "cms.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{env_int('PORT', 8000)}"]


def _loopback_only(addresses):
    for address in addresses:
        if address.startswith("unix:"):
            continue
        host = address.rsplit(":", 1)[0].strip("[]") if ":" in address else address
        if host != "localhost" and not host.startswith("127.") and host != "::1":
            return False
    return True


if _loopback_only(bind):
    os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")  # read by Django's settings, loaded after this file

workers = env_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = env_int("GUNICORN_THREADS", 4 if worker_class == "gthread" else 1)
# Load Django once in the master and fork: workers start in milliseconds and share its memory pages.
preload_app = True

# A slow leak cannot grow for ever: each worker is replaced after this many requests; the jitter keeps
# them from all restarting at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# Only gthread keeps a connection open between requests (sync answers with Connection: close).
keepalive = 5

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The heartbeat file of each worker in memory, not on a disk that may stall (containers, slow volumes).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
proc_name = "cms"


# Python's recipe for a server that forks without exec (the ``gc.freeze`` docs): no collection while
# the master imports the app (a tenth of the import's time, and no freed holes in the pages the workers
# share), then everything imported frozen, so the workers' collections never touch, and so never copy,
# the pages they share with the master.
gc.disable()


def when_ready(server):
    gc.freeze()
    gc.enable()


def pre_fork(server, worker):
    gc.freeze()  # what the master made since: a worker replaced later shares it too


def post_fork(server, worker):
    """No database connection crosses a fork: each worker opens its own (preload_app imports Django first)."""
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()
