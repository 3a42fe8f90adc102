"""Where the public response cache (core/cache.py) keeps its entries: a hit is one Redis round trip.

An entry is served only if none of its tags was bumped after the request that built it began. Asked
of Django's cache API that is two calls (``get`` the entry, then ``get_many`` its tags' versions),
two round trips on every hit, and the whole pickled entry crosses the wire even when it is stale.
On Redis (``ResilientRedisCache``) one server-side script does both: it reads the entry's build
time and tag keys, compares their versions and answers the response bytes only when they are fresh
(``EVALSHA``, one round trip, nothing sent that is not used). Django's cache API has no such call and
django-redis has none either, hence these few lines of our own.

An entry in Redis is a hash: ``a`` its build time, ``t`` its tags' full keys (one a line), ``e`` the
pickled response. Build times and tag versions are integer microseconds, which Django's serializer
stores unpickled, so the script can compare them. It is written in one ``MULTI`` pipeline, with its expiry.

Every call goes through the backend's breaker (``strict.guarded``): a Redis that is down raises
``CACHE_ERRORS`` at once, which the middleware turns into a bypass (tests/test_outages.py).
Any other backend (the local-memory cache of development and the tests) keeps the two-call form.

Not for Redis Cluster: the script reads tag keys it is not given in ``KEYS``.
"""

import pickle
import time

from django.conf import settings
from django.core.cache import caches

TAG_KEY = "pc:tag:"

# KEYS[1]: the entry. The response bytes, or nil when the entry is missing or a tag moved since it was built.
_FRESH_ENTRY = """
local h = redis.call('HMGET', KEYS[1], 'a', 't', 'e')
if not h[1] then return false end
local as_of = tonumber(h[1])
local tags = {}
for k in string.gmatch(h[2], '[^\\n]+') do tags[#tags + 1] = k end
if #tags > 0 then
  for _, v in ipairs(redis.call('MGET', unpack(tags))) do
    local n = v and tonumber(v)
    if v and (not n or n >= as_of) then return false end
  end
end
return h[3]
"""


def now():
    """A tag version or build time: integer microseconds (exact in a Lua number, below 2**53)."""
    return time.time_ns() // 1000


def backend():
    """The cache as it is, raising on an outage (``ResilientRedisCache.strict``), never a silent miss."""
    found = caches[settings.PUBLIC_CACHE_ALIAS]
    return getattr(found, "strict", found)


def _redis(cache):
    """The strict Redis backend, or None for any other cache."""
    return cache if hasattr(cache, "guarded") else None


def _script(redis_cache):
    """The script, registered once per backend and loaded into Redis before the first hit needs it (after a
    Redis restart redis-py loads it again by itself)."""
    script = redis_cache.__dict__.get("_fresh_entry_script")
    if script is None:
        client = redis_cache.client
        script = client.register_script(_FRESH_ENTRY)
        client.script_load(_FRESH_ENTRY)
        redis_cache.__dict__["_fresh_entry_script"] = script
    return script


def fresh_entry(key):
    """The entry stored under ``key`` if none of its tags was bumped since it was built, else None."""
    cache = backend()
    redis_cache = _redis(cache)
    if redis_cache is None:
        entry = cache.get(key)
        if entry is None or bumped_since(entry["tags"], entry["as_of"]):
            return None
        return entry
    full_key = redis_cache.make_and_validate_key(key)
    raw = redis_cache.guarded(lambda: _script(redis_cache)(keys=[full_key]))
    return None if raw is None else pickle.loads(raw)  # noqa: S301 - bytes this module wrote


def store_entry(key, entry, tags, as_of, timeout):
    cache = backend()
    redis_cache = _redis(cache)
    if redis_cache is None:
        cache.set(key, {**entry, "tags": tags, "as_of": as_of}, timeout=timeout)
        return
    full_key = redis_cache.make_and_validate_key(key)
    fields = {
        "a": as_of,
        "t": "\n".join(redis_cache.make_and_validate_key(TAG_KEY + tag) for tag in tags),
        "e": pickle.dumps(entry, pickle.HIGHEST_PROTOCOL),
    }

    def write():
        _script(redis_cache)
        client = redis_cache.client
        pipe = client.pipeline(transaction=True)
        pipe.delete(full_key)
        pipe.hset(full_key, mapping=fields)
        if timeout is not None:
            pipe.expire(full_key, max(1, int(timeout)))
        pipe.execute()

    redis_cache.guarded(write)


def tag_versions(tags):
    found = backend().get_many([TAG_KEY + tag for tag in tags])
    return [float(value) for value in found.values()]


def bumped_since(tags, as_of):
    return any(version >= as_of for version in tag_versions(tags))


def bump(tags):
    # No expiry: a tag version that vanished would make stale entries look fresh again.
    backend().set_many({TAG_KEY + tag: now() for tag in tags}, timeout=None)
