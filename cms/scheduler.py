"""Scheduled work, run by one process per server: ``python manage.py scheduler`` (APScheduler).

Jobs (docs/deployment.md, "Scheduled work"):

- ``publish_scheduled``, every ``SCHEDULER_PUBLISH_SECONDS`` (60): Wagtail's command, which publishes
  the revisions whose go-live time has come and unpublishes the pages whose expiry has passed. It
  publishes and unpublishes as the admin does, so Wagtail's signals bump the cache tags (the app's
  cache and every HTTP cache are purged) and send the ``page.published`` / ``page.unpublished``
  webhooks, as a manual publish does.
- ``comments_purge_addresses``, hourly: client networks past ``COMMENTS_ADDRESS_RETENTION_DAYS``.
- ``comments_moderator_digest``, every ``COMMENTS_MODERATOR_DIGEST_MINUTES`` when it is set: one mail
  per moderator of the comments that entered the queue or were reported since the last digest.
- ``prune_db_task_results``, daily: django-tasks-db's finished task results older than
  ``TASK_RESULTS_RETENTION_DAYS`` (only with the database task backend).

Every server may run the scheduler: each job's runs fall on the same instants everywhere (multiples of
its period since the epoch), and a run first claims its slot with ``SET key NX EX`` in the shared
cache (Redis in production: ``cache.add`` through the cache's strict client), so one server runs
each slot and the others skip it. A run also holds a "running" key until it ends, so a run that
outlasts its period is not started again beside itself. With the local-memory cache (dev) the claims
hold within the one process. If Redis cannot be asked, the run is skipped and logged: no lock, no run.
"""

import dataclasses
import datetime
import io
import logging
import os
import socket
import time
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from wagtail.models import Page, Revision

from comments.digest import send_digest
from core.resilient_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)
KEY_PREFIX = "scheduler:"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    period: int  # seconds between runs
    func: Callable[[], str]  # what it did, one line
    max_seconds: int = 3600  # how long its "running" key lasts if the process dies mid-run


def _command(name, *args):
    """Run a management command; its last line of output (progress lines end with ``\\r``)."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=out)
    lines = [line.strip() for line in out.getvalue().replace("\r", "\n").splitlines() if line.strip()]
    return lines[-1] if lines else "done"


def publish_scheduled():
    now = timezone.now()
    due = Revision.objects.filter(approved_go_live_at__lt=now).count()
    expired = Page.objects.filter(live=True, expire_at__lt=now).count()
    _command("publish_scheduled")
    return f"{due} revision(s) went live, {expired} page(s) expired"


def purge_addresses():
    return _command("comments_purge_addresses")


def prune_task_results():
    days = str(settings.TASK_RESULTS_RETENTION_DAYS)
    _command("prune_db_task_results", "--queue-name", "*", "--min-age-days", days, "--verbosity", "0")
    return f"finished task results older than {days} days pruned"


def jobs():
    found = [
        Job("publish_scheduled", int(settings.SCHEDULER_PUBLISH_SECONDS), publish_scheduled),
        Job("comments_purge_addresses", 3600, purge_addresses),
    ]
    if settings.COMMENTS_MODERATOR_DIGEST_MINUTES > 0:
        found.append(Job("comments_moderator_digest", 60 * settings.COMMENTS_MODERATOR_DIGEST_MINUTES, send_digest))
    if isinstance(task_backends["default"], DatabaseBackend):
        found.append(Job("prune_db_task_results", 86400, prune_task_results))
    return found


# --- one run of a job, on one server only ----------------------------------------------------------
def _cache():
    backend = caches["default"]
    return getattr(backend, "strict", backend)  # Redis that is down raises rather than says "free"


def _owner():
    return f"{socket.gethostname()}:{os.getpid()}"


def slot_of(job, now):
    """The slot a run at ``now`` belongs to: the nearest multiple of the period (clocks may differ a little)."""
    return round(now / job.period)


def _claim(job, now):
    """``"claimed"``, or why not: another server took this slot, or the job still runs elsewhere."""
    cache, owner = _cache(), _owner()
    if not cache.add(f"{KEY_PREFIX}{job.name}:slot:{slot_of(job, now)}", owner, timeout=2 * job.period):
        return "skipped"
    if not cache.add(f"{KEY_PREFIX}{job.name}:running", owner, timeout=job.max_seconds):
        return "busy"
    return "claimed"


def _release(job):
    key = f"{KEY_PREFIX}{job.name}:running"
    try:
        cache = _cache()
        if cache.get(key) == _owner():
            cache.delete(key)
    except CACHE_ERRORS as exc:  # it expires by itself (``max_seconds``)
        logger.warning("Scheduler: couldn't release %s (%s)", key, exc)


def run_job(job, now=None, write=print):
    """Run ``job`` for the slot of ``now`` if no other server has; what happened (``"ran"``, …)."""
    now = time.time() if now is None else now
    try:
        claim = _claim(job, now)
    except CACHE_ERRORS as exc:
        logger.error("Scheduler: %s not run: the cache that holds the locks is unreachable (%s)", job.name, exc)
        return "no-lock"
    if claim != "claimed":
        logger.info("Scheduler: %s %s (another server has it)", job.name, claim)
        return claim
    started = time.monotonic()
    try:
        done = job.func()
    except Exception:
        logger.exception("Scheduler: %s failed", job.name)
        write(f"{_stamp()} {job.name}: failed (see the log)")
        return "failed"
    finally:
        _release(job)
    write(f"{_stamp()} {job.name}: {done} ({time.monotonic() - started:.2f} s)")
    return "ran"


def _scheduled_run(job, write):
    """What the scheduler's threads run: a long-lived process drops broken or old database
    connections around each run, as Django does around each request."""
    close_old_connections()
    try:
        return run_job(job, write=write)
    finally:
        close_old_connections()


def _stamp():
    return timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build(write=print):
    """A blocking scheduler with every job, each on instants aligned to the epoch (the same on every server)."""
    scheduler = BlockingScheduler(
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=datetime.UTC,
    )
    for job in jobs():
        scheduler.add_job(
            _scheduled_run,
            IntervalTrigger(seconds=job.period, start_date=EPOCH, timezone=datetime.UTC),
            kwargs={"job": job, "write": write},
            id=job.name,
            name=job.name,
        )
    return scheduler
