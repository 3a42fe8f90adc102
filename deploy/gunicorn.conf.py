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

Worker class: **sync**, measured by ``make bench`` on 2 cores with wrk's keep-alive connections straight to
gunicorn (the "gunicorn worker class" section of docs/performance.md has each run's numbers). Three runs on
a quiet machine, medians of 3 interleaved rounds each, 5 workers (gthread with 4 threads per worker):

- a response from the app's cache (the cheap, CPU-bound path): requests per second within 10 % of each
  other, either way (sync 825 / 823 / 748, gthread 748 / 810 / 760), but gthread's p99 was twice sync's
  every time (102-147 ms against 57-62 ms) and its CPU per request equal or higher (2.19-2.40 ms against
  2.07-2.30). Keep-alive saves gthread the new connection sync accepts for each request; its threads then
  take turns on the GIL, and a request that loses the turn waits;
- the moderation queue (about 14 ms of each request spent waiting for PostgreSQL), where threads could keep
  the cores busy while one waits: gthread 31 vs 25 req/s in one run, 26.5 vs 29.5 and 24 vs 28 in the
  others: no reliable gain, and a worse tail;
- memory: gthread's workers hold up to four requests at once and ended at 155-161 MB resident, sync's at
  145-150 MB, against a budget of 150 MB.

The app's work is CPU-bound Python: with 2 cores, 2 * cores + 1 single-threaded processes keep both cores
busy, and in production nginx is gunicorn's only client, so keep-alive between the world and gunicorn never
arises. An endpoint that mostly waits (on another service) would be the case for ``GUNICORN_WORKER_CLASS=gthread``.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "cms.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"]

workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 4 if worker_class == "gthread" else 1)
# Load Django once in the master and fork: workers start in milliseconds and share its memory pages.
preload_app = True

# A slow leak cannot grow for ever: each worker is replaced after this many requests; the jitter keeps
# them from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# Only gthread keeps a connection open between requests (sync answers with Connection: close).
keepalive = 5

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The heartbeat file of each worker in memory, not on a disk that may stall (containers, slow volumes).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
proc_name = "cms"


def post_fork(server, worker):
    """No database connection crosses a fork: each worker opens its own (preload_app imports Django first)."""
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()
