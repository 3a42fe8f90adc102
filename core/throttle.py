"""Per-client rate limits, counted atomically (DRF views and plain views alike).

DRF's ``SimpleRateThrottle`` reads a client's history from the cache, decides, and writes it back:
requests that arrive together all read the same history and all pass (25 reports at once from one
address were 25 accepted against a limit of 5, on Redis). Here each request is counted in one atomic
step, so the n-th request of a window is told it is the n-th whatever else runs at the same time:

- on Redis (``THROTTLE_CACHE_ALIAS`` is a ``RedisCache``, as in production): ``SET key 0 EX period
  NX``, ``INCR key`` and ``TTL key`` in one ``MULTI`` transaction;
- on the local-memory cache (``make run``, the tests), whose counters live in one process anyway:
  the read and the write under one lock.

A request can also give its count back (``NetworkRateThrottle.give_back``: the comment it held a place
for was refused) and a client's count can be read without counting (``is_full``). Both act on the
current window only: a window that has ended is never re-opened by a give-back.

A client's window starts with its first counted request and lasts the rate's period (``5/min``: five
in the 60 seconds from the first; then the count starts again); ``Retry-After`` is what is left of
it. Not django-ratelimit: its windows are aligned on the clock, so whether a burst is refused
depends on the second it arrives in (a burst across a window's end is counted twice from zero, and
tests of the limit fail now and then), and it counts with Django's ``incr``, ``EXISTS`` then ``INCR``
on Redis, which re-creates a key that expired in between without an expiry.

The client is ``core.client_address.client_network``: an IPv4 address, or an IPv6 /64. The key is a
SHA-256 of the scope and the network, so no address is stored in the cache.

A cache that fails (Redis down) does not fail the request: the limit is not applied and a warning is
logged. Refusing every comment and report while Redis is away would stop all readers; letting them
through only lets them reach the moderation queue, where every comment waits for a moderator anyway.
"""

import hashlib
import logging
import math
import threading
import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle

from core.client_address import client_network

logger = logging.getLogger(__name__)

KEY = "throttle:"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_lock = threading.Lock()
_redis_clients = {}


def parse_rate(rate):
    """``"5/min"`` -> ``(5, 60)``: ``N/sec``, ``N/min``, ``N/hour``, ``N/day`` (the first letter counts)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0].lower()]


def _redis(backend, alias):
    location = settings.CACHES[alias]["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location
    client = _redis_clients.get(location)
    if client is None:
        client = _redis_clients.setdefault(location, redis.Redis.from_url(location))
    return client


def count_request(key, period):
    """Count one request under ``key``; ``(its number in the window, seconds left in the window)``."""
    alias = settings.THROTTLE_CACHE_ALIAS
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        name = backend.make_key(key)
        with _redis(backend, alias).pipeline(transaction=True) as pipe:
            pipe.set(name, 0, ex=period, nx=True)
            pipe.incr(name)
            pipe.ttl(name)
            _, count, ttl = pipe.execute()
        return count, ttl
    with _lock:
        now = time.time()
        count, ends = backend.get(key) or (0, now + period)
        if ends <= now:
            count, ends = 0, now + period
        count += 1
        backend.set(key, (count, ends), timeout=math.ceil(ends - now))
    return count, ends - now


# DECR only a count that exists and is above zero: a plain DECR on an expired key would create it
# at -1, without an expiry.
_GIVE_BACK = """
local count = tonumber(redis.call('GET', KEYS[1]))
if count and count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""


def peek_request(key):
    """``(the number counted in the window so far, seconds left in it)``, counting nothing."""
    alias = settings.THROTTLE_CACHE_ALIAS
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        name = backend.make_key(key)
        with _redis(backend, alias).pipeline(transaction=True) as pipe:
            pipe.get(name)
            pipe.ttl(name)
            count, ttl = pipe.execute()
        return int(count or 0), max(ttl, 0)
    with _lock:
        now = time.time()
        count, ends = backend.get(key) or (0, now)
    return (count, ends - now) if ends > now else (0, 0)


def uncount_request(key):
    """Take one request back from the count under ``key``, if its window is still open."""
    alias = settings.THROTTLE_CACHE_ALIAS
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        _redis(backend, alias).eval(_GIVE_BACK, 1, backend.make_key(key))
        return
    with _lock:
        now = time.time()
        count, ends = backend.get(key) or (0, now)
        if count > 0 and ends > now:
            backend.set(key, (count - 1, ends), timeout=math.ceil(ends - now))


class NetworkRateThrottle(BaseThrottle):
    """A DRF throttle (``throttle_classes``), also usable from a plain view: ``allow_request(request,
    None)``, then ``wait()`` seconds for ``Retry-After``. Subclasses set ``scope`` and ``get_rate()``."""

    scope = None

    def __init__(self):
        self.time_left = None

    def get_rate(self):
        raise NotImplementedError

    def _key(self, request):
        return KEY + hashlib.sha256(f"{self.scope}:{client_network(request)}".encode()).hexdigest()

    def _cache_failed(self, exc):
        logger.warning("The %s rate limit was not applied: the cache failed (%s)", self.scope, exc)

    def allow_request(self, request, view):
        self.time_left = None
        limit, period = parse_rate(self.get_rate())
        try:
            count, left = count_request(self._key(request), period)
        except (redis.RedisError, OSError) as exc:
            self._cache_failed(exc)
            return True
        if count > limit:
            self.time_left = max(math.ceil(left), 1)
            return False
        return True

    def is_full(self, request):
        """Would the next counted request be refused? Counts nothing; sets ``wait()`` when it would."""
        self.time_left = None
        limit, _ = parse_rate(self.get_rate())
        try:
            count, left = peek_request(self._key(request))
        except (redis.RedisError, OSError) as exc:
            self._cache_failed(exc)
            return False
        if count >= limit:
            self.time_left = max(math.ceil(left), 1)
            return True
        return False

    def give_back(self, request):
        """Undo one ``allow_request`` of this client (in the current window)."""
        try:
            uncount_request(self._key(request))
        except (redis.RedisError, OSError) as exc:
            self._cache_failed(exc)

    def wait(self):
        return self.time_left
