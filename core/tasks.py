"""The task worker's share of the public cache: invalidations that Redis was down for."""

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core import cache
from core.resilient_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


@task()
def retry_invalidation(tags, first_failed, attempt=1):
    """Bump ``tags`` and purge what showed them, once Redis answers again.

    It retries every ``CACHE_INVALIDATION_RETRY_SECONDS`` until ``PUBLIC_CACHE_TIMEOUT`` has passed
    since the first failure: by then every entry that could be stale has expired by itself.
    """
    try:
        urls = cache.invalidate(tags, retry=False)
    except CACHE_ERRORS as exc:
        if time.time() - first_failed > settings.PUBLIC_CACHE_TIMEOUT:
            logger.warning("Gave up invalidating %s: every entry has expired since", ", ".join(tags))
            return {"status": "expired", "attempt": attempt}
        _again(tags, first_failed, attempt + 1, exc)
        return {"status": "retrying", "attempt": attempt}
    return {"status": "invalidated", "attempt": attempt, "purged": len(urls)}


def _again(tags, first_failed, attempt, exc):
    task = retry_invalidation
    if not task.get_backend().supports_defer:
        # ImmediateBackend (dev, tests) cannot wait: the invalidation is logged as lost instead.
        logger.error("Invalidation of %s lost: Redis is down (%s) and the task backend cannot defer", tags, exc)
        return
    delay = datetime.timedelta(seconds=settings.CACHE_INVALIDATION_RETRY_SECONDS)
    task.using(run_after=timezone.now() + delay).enqueue(tags, first_failed, attempt=attempt)
