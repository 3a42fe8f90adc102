"""Probes for load balancers and orchestrators.

- ``/healthz``: the process answers (liveness). It touches nothing, so a database outage does not
  get every app server restarted.
- ``/readyz``: the database, the cache and the media storage answer (readiness): 200 with each
  check, or 503 naming what is down, so a load balancer sends no reader to a server that cannot
  serve them.

Both are plain JSON, ``Cache-Control: no-store``, and outside the public cache (no tags).
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    backend = caches[settings.PUBLIC_CACHE_ALIAS]
    backend = getattr(backend, "strict", backend)  # a Redis outage raises here, not a silent miss
    key = f"readyz:{uuid.uuid4().hex}"
    backend.set(key, "1", timeout=5)
    if backend.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    backend.delete(key)


def _storage():
    # Reading, not writing: a listing of the media root (a local directory or a bucket).
    default_storage.exists("readyz-probe")


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    results, down = {}, []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency means "not ready"
            logger.warning("readyz: %s is down: %s", name, exc)
            results[name] = "down"
            down.append(name)
        else:
            results[name] = "ok"
    body = {"status": "unavailable" if down else "ok", "checks": results}
    if down:
        body["detail"] = f"Not ready: {', '.join(down)} unreachable."
    return JsonResponse(body, status=503 if down else 200)
