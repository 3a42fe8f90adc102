"""The URLs a shared cache (nginx, a CDN) may hold, recorded under the tags of their response, so
that ``core.cache.invalidate`` can purge exactly those. In Redis with several app servers; in a dict
for one process (dev, tests)."""

import threading

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

URLS_KEY = "pc:urls:"


class _MemoryRegistry:
    """One process (dev server, tests): a dict guarded by a lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._urls = {}

    def add(self, url, tags):
        with self._lock:
            for tag in tags:
                self._urls.setdefault(tag, set()).add(url)

    def tags(self):
        with self._lock:
            return set(self._urls)

    def pop(self, tags):
        with self._lock:
            urls = set()
            for tag in tags:
                urls |= self._urls.pop(tag, set())
            return urls

    def clear(self):
        with self._lock:
            self._urls.clear()


class _RedisRegistry:
    """Every worker and machine: Redis sets, one per tag (SADD, then SMEMBERS+DEL in one transaction)."""

    def __init__(self, backend, location):
        self._backend = backend
        self._location = location

    def _client(self):
        # Its own connection pool, from the cache's own LOCATION (not Django's private client).
        client = _redis_clients.get(self._location)
        if client is None:
            client = _redis_clients.setdefault(self._location, redis.Redis.from_url(self._location))
        return client

    def _key(self, tag):
        return self._backend.make_key(URLS_KEY + tag)

    def tags(self):
        prefix = self._key("")
        return {key.decode()[len(prefix) :] for key in self._client().scan_iter(match=prefix + "*", count=1000)}

    def add(self, url, tags):
        with self._client().pipeline(transaction=False) as pipe:
            for tag in tags:
                pipe.sadd(self._key(tag), url)
            pipe.execute()

    def pop(self, tags):
        with self._client().pipeline(transaction=True) as pipe:
            for tag in tags:
                pipe.smembers(self._key(tag))
            for tag in tags:
                pipe.delete(self._key(tag))
            results = pipe.execute()[: len(tags)]
        return {member.decode() for members in results for member in members}


memory_registry = _MemoryRegistry()
_redis_clients = {}


def url_registry():
    """Where the URLs a shared cache may hold are recorded, by tag: Redis when the cache is Redis."""
    backend = caches[settings.PUBLIC_CACHE_ALIAS]
    backend = getattr(backend, "strict", backend)
    if isinstance(backend, RedisCache) or hasattr(backend, "_owner"):
        location = settings.CACHES[settings.PUBLIC_CACHE_ALIAS]["LOCATION"]
        return _RedisRegistry(backend, location[0] if isinstance(location, list | tuple) else location)
    return memory_registry
