"""Per-client rate limits, counted atomically in Django's cache (DRF views and plain views alike).

DRF's ``SimpleRateThrottle`` reads a client's history from the cache, decides, and writes it back:
requests that arrive together all read the same history and all pass (25 reports at once from one
address were 25 accepted against a limit of 5, on Redis). The count here is django-ratelimit's:
``cache.add`` then ``cache.incr``, which are one ``SET NX`` and one ``INCR`` on Redis and run under the
local-memory cache's lock in one process, so the n-th request of a window is told it is the n-th
whatever else runs at the same time. A window is fixed: ``5/min`` starts again every minute, at a
moment of its own for each client (django-ratelimit staggers them).

The client is ``core.client_address.client_network``: an IPv4 address, or an IPv6 /64. The cache
key is a SHA-256 of the group, rate, network and window, so no address is stored in the cache.

A cache that fails (Redis down) does not fail the request: the limit is not applied and a warning is
logged. Refusing every comment and report while Redis is away would stop all readers; letting them
through only lets them reach the moderation queue, where every comment waits for a moderator anyway.
"""

import logging

import redis
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

from core.client_address import client_network

logger = logging.getLogger(__name__)

CACHE_ERRORS = (redis.RedisError, OSError)


def _network(group, request):
    return client_network(request)


class NetworkRateThrottle(BaseThrottle):
    """A DRF throttle (``throttle_classes``), also usable from a plain view: ``allow_request(request,
    None)``, then ``wait()`` seconds for ``Retry-After``. Subclasses set ``scope`` and ``get_rate()``
    (``N/sec``, ``N/min``, ``N/hour``, ``N/day``)."""

    scope = None

    def __init__(self):
        self.time_left = None

    def get_rate(self):
        raise NotImplementedError

    def allow_request(self, request, view):
        self.time_left = None
        try:
            group, rate = f"throttle.{self.scope}", self.get_rate()
            usage = get_usage(request, group=group, key=_network, rate=rate, increment=True)
        except CACHE_ERRORS as exc:
            logger.warning("The %s rate limit was not applied: the cache failed (%s)", self.scope, exc)
            return True
        if usage is None:  # RATELIMIT_FAIL_OPEN: the cache answered nothing
            return True
        if usage["should_limit"]:
            self.time_left = max(usage["time_left"], 1)
            return False
        return True

    def wait(self):
        return self.time_left
