"""Django's ``RedisCache``, for which a Redis that is down is a miss, not a 500 on every page.

Django's backend raises on every call when Redis is not answering, and Wagtail reads the default
cache on nearly every request (the site root paths behind every page URL, renditions), so one dead
Redis took the whole site down. Here each caller that does not say otherwise gets what an empty
cache gives: ``get`` the default, ``get_many`` nothing, ``add`` and ``set`` do nothing, ``has_key``
False, and the outage is logged (once per outage, not once per call).

Callers for whom a lost write matters say so by using ``backend.strict``, Django's own backend over
the same connection pools, which raises: the public response cache (a tag version that did not reach
Redis must be retried, ``core/cache.py``) and the rate limits.

After a failure the backend stops asking Redis for ``CACHE_OUTAGE_RETRY_SECONDS`` (a circuit
breaker), so a Redis that hangs costs one connect timeout per process per interval, not one per call;
then it tries again, and service resumes by itself when Redis is back.

django-redis has this switch (``IGNORE_EXCEPTIONS``) but not the strict view beside it, and the
project left it for Django's own backend; this subclass is that switch and nothing else.
"""

import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# A Redis that refuses, times out, or answers garbage.
CACHE_ERRORS = (redis.RedisError, OSError)

_lock = threading.Lock()
_down_until = {}  # LOCATION -> time before which Redis is not asked again


class CacheUnavailable(redis.ConnectionError):
    """Raised by ``strict`` calls while the breaker is open: Redis failed a moment ago."""


def _location_key(backend):
    return repr(backend._servers)


def is_down(backend):
    return _down_until.get(_location_key(backend), 0) > time.monotonic()


def _mark_down(backend, exc):
    pause = float(getattr(settings, "CACHE_OUTAGE_RETRY_SECONDS", 1.0))
    with _lock:
        first = not is_down(backend)
        _down_until[_location_key(backend)] = time.monotonic() + pause
    if first:
        logger.error("Redis cache unreachable (%s); serving without it, retrying in %.1f s", exc, pause)


def _mark_up(backend):
    if _down_until.pop(_location_key(backend), None) is not None:
        logger.warning("Redis cache reachable again")


class _Strict(RedisCache):
    """Django's backend as it is, over the resilient backend's client; it trips the same breaker."""

    def __init__(self, owner):
        owner._cache  # noqa: B018 - built once, so that both share its connection pools
        self.__dict__.update(owner.__dict__)
        self._owner = owner

    def guarded(self, call, *args, **kwargs):
        """``call(*args, **kwargs)`` behind the breaker: raises at once while it is open, trips it on a failure.
        For callers that talk to Redis through ``client`` (core/cache_store.py), not Django's methods."""
        if is_down(self._owner):
            raise CacheUnavailable("the Redis cache failed a moment ago")
        try:
            result = call(*args, **kwargs)
        except CACHE_ERRORS as exc:
            _mark_down(self._owner, exc)
            raise
        _mark_up(self._owner)
        return result

    @property
    def client(self):
        """One ``redis.Redis`` over the backend's own connection pool, built once (Django builds one per call)."""
        client = self.__dict__.get("_client")
        if client is None:
            client = self.__dict__["_client"] = self._cache.get_client(write=True)
        return client

    def _call(self, name, *args, **kwargs):
        return self.guarded(getattr(super(), name), *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")


class ResilientRedisCache(RedisCache):
    """``BACKEND = "core.resilient_cache.ResilientRedisCache"``: see the module doc."""

    @property
    def strict(self):
        strict = self.__dict__.get("_strict")
        if strict is None:
            strict = self.__dict__["_strict"] = _Strict(self)
        return strict

    def _or(self, fallback, name, *args, **kwargs):
        try:
            return getattr(self.strict, name)(*args, **kwargs)
        except CACHE_ERRORS:
            return fallback

    def get(self, key, default=None, version=None):
        return self._or(default, "get", key, default, version)

    def get_many(self, keys, version=None):
        return self._or({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._or(False, "has_key", key, version)

    def add(self, *args, **kwargs):
        return self._or(False, "add", *args, **kwargs)

    def set(self, *args, **kwargs):
        self._or(None, "set", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._or([], "set_many", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._or(False, "touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._or(False, "delete", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        self._or(None, "delete_many", *args, **kwargs)

    def clear(self):
        self._or(None, "clear")

    def incr(self, *args, **kwargs):
        # Django's meaning (ValueError for a missing key), and an outage raises: a counter that
        # silently stays at zero is a decision for its caller (the rate limits) to make.
        return self.strict.incr(*args, **kwargs)
