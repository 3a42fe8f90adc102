"""The public cache on a real Redis (127.0.0.1:6379, a database of this module's own): what a hit costs
in round trips, and that a hit answers with every header a miss answers with."""

import pytest
import redis
from redis.connection import Connection

from core import cache

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/9"  # this module's own database, flushed around each test


@pytest.fixture
def on_redis(settings):
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "round-trips",
        }
    }
    yield server
    server.flushdb()


@pytest.fixture
def round_trips(monkeypatch):
    """How many times the app wrote a request to Redis and read its answer (a pipeline counts once)."""
    sent = []
    original = Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent


def commands(server):
    return {name: stats["calls"] for name, stats in server.info("commandstats").items()}


def comparable(response):
    return {k: v for k, v in response.items() if k not in ("Date", "X-Cache")}


@pytest.mark.parametrize("kind", ["api", "page"])
def test_a_hit_is_one_redis_round_trip(client, on_redis, round_trips, article_factory, kind):
    article = article_factory(title="One round trip")
    url = f"/api/v2/pages/{article.pk}/" if kind == "api" else article.url
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"  # the connection is open, the script loaded

    before = commands(on_redis)
    round_trips.clear()
    response = client.get(url)
    during = list(round_trips)
    after = commands(on_redis)

    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"
    assert len(during) == 1
    # The one call is the script; the entry and its tag versions are read inside it.
    assert after["cmdstat_evalsha"] - before.get("cmdstat_evalsha", 0) == 1
    assert after["cmdstat_hmget"] - before.get("cmdstat_hmget", 0) == 1
    assert after["cmdstat_mget"] - before.get("cmdstat_mget", 0) == 1


@pytest.mark.parametrize("kind", ["api", "page"])
def test_a_hit_carries_every_header_of_the_miss(client, on_redis, article_factory, kind):
    article = article_factory(title="Same headers")
    url = f"/api/v2/pages/{article.pk}/" if kind == "api" else article.url
    miss = client.get(url, headers={"Origin": "https://elsewhere.example"})
    hit = client.get(url, headers={"Origin": "https://elsewhere.example"})
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert comparable(hit) == comparable(miss)
    assert hit.content == miss.content
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "ETag"):
        assert hit.has_header(name), name
    if kind == "page":
        assert hit.has_header("X-Frame-Options")


def test_a_bumped_tag_makes_the_next_read_a_miss_then_a_hit_again(client, on_redis, article_factory):
    article = article_factory(title="Bumped")
    url = f"/api/v2/pages/{article.pk}/"
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    cache.invalidate({cache.page_tag(article)})
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    cache.invalidate_everything()
    assert client.get(url)["X-Cache"] == "MISS"


def test_a_conditional_hit_answers_304_in_one_round_trip(client, on_redis, round_trips, article_factory):
    article = article_factory(title="Not modified")
    url = f"/api/v2/pages/{article.pk}/"
    etag = client.get(url)["ETag"]
    client.get(url)
    round_trips.clear()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert len(round_trips) == 1


def test_a_static_file_does_not_ask_redis(client, on_redis, round_trips):
    round_trips.clear()
    client.get("/static/no-such-file.css")
    assert round_trips == []
