"""Per-client limits on comments and reports: accepted posts and refused attempts counted apart,
keyed by network, atomic under concurrency, and the proxy setting they depend on."""

import logging
import time
import uuid
from unittest import mock

import pytest
import redis
from django.test import Client
from rest_framework.test import APIClient

from comments.models import ArticleComment, CommentReport
from core import client_address as client_address_module
from core import throttle
from tests.at_once import run_at_once

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own: nothing here touches another's keys


@pytest.fixture
def redis_cache(settings):
    """Django's cache on the real Redis (as in production), under a key prefix of this test's own."""
    prefix = f"test-rl-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    yield
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def report(make_comment, article):
    comment = make_comment(article)

    def post(ip, client=None):
        client = client or APIClient()
        return client.post(f"/api/comments/{comment.pk}/report/", {"reason": "spam"}, format="json", REMOTE_ADDR=ip)

    return post


# --- one client is one network ------------------------------------------------------------------------
def test_an_ipv6_64_is_one_client_for_comments(settings, post_comment, article):
    settings.COMMENTS_RATE_LIMIT = "5/min"
    statuses = [
        post_comment(article, body=f"Rotated {i}", ip=f"2001:db8:1:2:{i:x}::{i + 1:x}").status_code for i in range(8)
    ]
    assert statuses == [202] * 5 + [429] * 3
    # Another /64 of the same /48 is another client; so is another IPv4 address.
    assert post_comment(article, body="Next door", ip="2001:db8:1:3::1").status_code == 202
    assert post_comment(article, body="IPv4 reader", ip="198.51.100.20").status_code == 202
    assert ArticleComment.objects.count() == 7


def test_an_ipv6_64_is_one_client_for_reports(settings, report):
    settings.COMMENTS_RATE_LIMIT = "5/min"
    statuses = [report(f"2001:db8:aa:bb:{i:x}:{i:x}:{i:x}:{i + 1:x}").status_code for i in range(8)]
    assert statuses == [202] * 5 + [429] * 3
    assert report("2001:db8:aa:bc::1").status_code == 202
    assert CommentReport.objects.count() == 6


def test_ipv4_addresses_are_separate_clients_and_a_mapped_address_is_the_same_one(settings, report):
    settings.COMMENTS_RATE_LIMIT = "2/min"
    assert [report("198.51.100.7").status_code for _ in range(2)] == [202, 202]
    assert report("::ffff:198.51.100.7").status_code == 429  # the same IPv4 client, written as IPv6
    assert report("198.51.100.8").status_code == 202  # the neighbour is someone else


def test_the_page_forms_share_the_network_limit(settings, article, make_comment):
    settings.COMMENTS_RATE_LIMIT = "2/min"
    comment = make_comment(article)
    headers = {"HTTP_ORIGIN": "http://testserver"}
    url = f"/comments/{comment.pk}/report/"
    sent = [
        Client(REMOTE_ADDR=f"2001:db8:5:6::{i + 1:x}", **headers).post(url, {"reason": "spam"}).status_code
        for i in range(3)
    ]
    assert sent == [303, 303, 429]
    refused = Client(REMOTE_ADDR="2001:db8:5:6::ff", **headers).post(url, {"reason": "spam"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert b"too fast" in refused.content


def test_a_client_is_let_in_again_when_its_window_ends(settings, post_comment, article):
    settings.COMMENTS_RATE_LIMIT = "2/min"
    assert [post_comment(article, body=f"First {i}").status_code for i in range(2)] == [202, 202]
    refused = post_comment(article, body="Too soon")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    later = time.time() + 61
    with mock.patch("time.time", return_value=later):  # the local-memory cache's clock too
        assert post_comment(article, body="A minute later").status_code == 202
        assert post_comment(article, body="And another").status_code == 202
        assert post_comment(article, body="Too soon again").status_code == 429


# --- refused attempts do not use up the posting limit --------------------------------------------------
PAGE_HEADERS = {"HTTP_ORIGIN": "http://testserver", "REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def page_post(article):
    """POST the article page's form as a reader's browser would; returns the response."""
    client = Client(**PAGE_HEADERS)

    def post(*, body="A thoughtful comment.", **extra):
        data = {"page": article.pk, "name": "Reader", "email": "reader@example.com", "body": body, **extra}
        return client.post("/comments/post/", data)

    return post


def test_typos_on_the_api_do_not_lock_a_reader_out(settings, post_comment, article):
    settings.COMMENTS_RATE_LIMIT = "3/min"
    settings.COMMENTS_REFUSED_RATE_LIMIT = "30/min"
    statuses = [post_comment(article, body=f"Accepted {i}").status_code for i in range(2)]
    statuses += [post_comment(article, body="Typo", email=f"typo{i}@").status_code for i in range(3)]
    statuses.append(post_comment(article, body="Third, after the typos").status_code)
    assert statuses == [202, 202, 400, 400, 400, 202]
    refused = post_comment(article, body="A fourth is one too many")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert ArticleComment.objects.count() == 3


def test_typos_on_the_page_form_do_not_lock_a_reader_out(settings, page_post):
    settings.COMMENTS_RATE_LIMIT = "3/min"
    settings.COMMENTS_REFUSED_RATE_LIMIT = "30/min"
    statuses = [page_post(body=f"Accepted {i}").status_code for i in range(2)]
    statuses += [page_post(body="", email="typo").status_code for _ in range(3)]
    statuses.append(page_post(body="Third, after the typos").status_code)
    assert statuses == [303, 303, 400, 400, 400, 303]
    refused = page_post(body="A fourth is one too many")
    assert refused.status_code == 429 and b"You are posting too fast" in refused.content
    assert ArticleComment.objects.count() == 3


def test_refused_attempts_have_their_own_limit_on_the_api(settings, post_comment, article, make_comment):
    settings.COMMENTS_RATE_LIMIT = "5/min"
    settings.COMMENTS_REFUSED_RATE_LIMIT = "4/min"
    hidden = make_comment(article, approve=False)
    statuses = [post_comment(article, body="").status_code for _ in range(2)]
    statuses += [post_comment(article, parent=hidden).status_code for _ in range(2)]  # 404s count too
    assert statuses == [400, 400, 404, 404]
    locked = post_comment(article, body="Now even a good comment waits")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0 and "detail" in locked.json()
    assert post_comment(article, body="Another client", ip="192.0.2.10").status_code == 202
    assert ArticleComment.objects.filter(comment__contains="good comment").count() == 0


def test_refused_attempts_have_their_own_limit_on_the_page_form(settings, page_post):
    settings.COMMENTS_RATE_LIMIT = "5/min"
    settings.COMMENTS_REFUSED_RATE_LIMIT = "3/min"
    assert [page_post(body="").status_code for _ in range(3)] == [400, 400, 400]
    locked = page_post(body="Now even a good comment waits", name="Kept Name")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert b"Too many of your comments were refused" in locked.content
    assert b'value="Kept Name"' in locked.content  # still nothing typed is lost
    assert ArticleComment.objects.count() == 0


def test_refused_reports_do_not_use_up_the_limit(settings, report, make_comment, article):
    settings.COMMENTS_RATE_LIMIT = "1/min"
    url = f"/api/comments/{make_comment(article).pk}/report/"
    bad = APIClient().post(url, {"reason": "x"}, format="json", REMOTE_ADDR="198.51.100.7")
    assert bad.status_code == 400
    assert [report("198.51.100.7").status_code for _ in range(2)] == [202, 429]


def test_a_give_back_never_revives_an_ended_window_on_redis(redis_cache, settings):
    throttle.uncount_request("throttle:no-such-client")
    assert throttle.peek_request("throttle:no-such-client") == (0, 0)
    count, left = throttle.count_request("throttle:a-client", 60)
    throttle.uncount_request("throttle:a-client")
    throttle.uncount_request("throttle:a-client")  # one more than was counted: the count stays at 0
    assert throttle.peek_request("throttle:a-client")[0] == 0
    assert 0 < throttle.peek_request("throttle:a-client")[1] <= 60  # the window keeps its expiry


# --- at once ------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("cache_backend", ["redis", "local memory"])
def test_25_reports_at_once_get_exactly_the_allowed_5(request, settings, report, cache_backend):
    if cache_backend == "redis":
        request.getfixturevalue("redis_cache")
    settings.COMMENTS_RATE_LIMIT = "5/min"
    responses = run_at_once(25, lambda i: report("198.51.100.50"))
    accepted = [r for r in responses if r.status_code == 202]
    refused = [r for r in responses if r.status_code == 429]
    assert (len(accepted), len(refused)) == (5, 20)
    for response in refused:
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
        assert int(response["Retry-After"]) > 0
    assert CommentReport.objects.count() == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("cache_backend", ["redis", "local memory"])
def test_good_and_bad_comments_at_once_never_pass_the_limit_and_give_their_places_back(
    request, settings, post_comment, article, cache_backend
):
    if cache_backend == "redis":
        request.getfixturevalue("redis_cache")
    settings.COMMENTS_RATE_LIMIT = "5/min"
    # Every other post is invalid. While it is checked it holds a place (so that the good ones
    # arriving with it can never make 6), and it gives the place back once refused.
    responses = run_at_once(20, lambda i: post_comment(article, body=f"At once {i}" if i % 2 else ""))
    accepted = [r.status_code for r in responses].count(202)
    assert accepted <= 5
    later = [post_comment(article, body=f"Later {i}").status_code for i in range(8)]
    assert later == [202] * (5 - accepted) + [429] * (3 + accepted)
    assert ArticleComment.objects.count() == 5


# --- a dead Redis ---------------------------------------------------------------------------------------
def test_a_dead_redis_lets_posts_through_with_a_warning(settings, post_comment, article, caplog):
    # Nothing listens on port 1: every cache call fails at once, as with a Redis that went away.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.COMMENTS_RATE_LIMIT = "1/min"
    with caplog.at_level(logging.WARNING, logger="core.throttle"):
        statuses = [post_comment(article, body=f"While Redis is down {i}").status_code for i in range(3)]
    assert statuses == [202, 202, 202]
    assert "The comments rate limit was not applied: the cache failed" in caplog.text


# --- the proxy setting ----------------------------------------------------------------------------------
@pytest.fixture
def fresh_warnings(monkeypatch):
    """The proxy warnings are logged once per process: start this test as a new process would."""
    monkeypatch.setattr(client_address_module, "_warned", set())


def test_forwarded_requests_without_a_trusted_proxy_warn_once(settings, fresh_warnings, post_comment, article, caplog):
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.WARNING, logger="core.client_address"):
        post_comment(article, body="direct")
        assert caplog.records == []
        for i in range(3):
            post_comment(article, body=f"proxied {i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    warnings = [r for r in caplog.records if r.name == "core.client_address"]
    assert len(warnings) == 1
    assert "TRUSTED_PROXY_COUNT" in warnings[0].getMessage()
    assert "203.0.113" not in warnings[0].getMessage()  # no client address in the log


def test_fewer_hops_than_trusted_proxies_warn_once(settings, fresh_warnings, post_comment, article, caplog):
    settings.TRUSTED_PROXY_COUNT = 2
    with caplog.at_level(logging.WARNING, logger="core.client_address"):
        post_comment(article, body="two hops", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")
        assert caplog.records == []
        for i in range(3):
            post_comment(article, body=f"one hop {i}", HTTP_X_FORWARDED_FOR="203.0.113.9")
            post_comment(article, body=f"no hop {i}")
    warnings = [r.getMessage() for r in caplog.records if r.name == "core.client_address"]
    assert len(warnings) == 1
    assert "TRUSTED_PROXY_COUNT=2" in warnings[0]
