"""Purging the HTTP caches in front of the app: nginx instances (the cache-purge module, see deploy/),
Cloudflare and CloudFront, each configured as a ``WAGTAILFRONTENDCACHE`` entry (cms/settings/frontend_caches.py).

``purge(urls)`` is what ``core.cache.invalidate`` calls once a change has committed. It purges now, in
the request that made the change (a purge only queued would let a cache serve the old response until a
worker got to it), each backend the URLs its ``HOSTNAMES`` cover, as Wagtail's own purge task does. A
backend that fails does not stop the others: it is logged as an error, and the URLs it failed are queued
for the task worker (``retry_purge``), retried with a growing delay up to ``FRONTEND_CACHE_PURGE_ATTEMPTS``
attempts in all, then given up (an error again, and a failed task result).

Wagtail's backends log a failure and carry on, so nobody could retry it; the backends here raise
``PurgeFailed`` instead, with the URLs that failed. Any other backend's exception counts as the whole
batch failing.
"""

import datetime
import logging
import uuid
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import requests
from django.conf import settings
from django.utils import timezone
from django_tasks import task
from wagtail.contrib.frontend_cache.backends import CloudflareBackend as WagtailCloudflareBackend
from wagtail.contrib.frontend_cache.backends import CloudfrontBackend as WagtailCloudfrontBackend
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger("wagtail.frontendcache")
# deploy/nginx.conf.template's purge location: its key is the rest of the path and the query string.
PURGE_PREFIX = "/__purge"
CLOUDFLARE_API = "https://api.cloudflare.com/client/v4"


class PurgeFailed(Exception):
    """A cache did not confirm the purge of ``urls``; ``reason`` says what it answered."""

    def __init__(self, urls, reason):
        super().__init__(f"{len(urls)} URL(s): {reason}")
        self.urls = list(urls)
        self.reason = reason


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP backend, for nginx's cache-purge module in its own location (``/__purge/…``).

    "Not in the cache" (404) is an answer, not an error: the app records every URL that a shared
    cache *may* hold, so purges of rarely read URLs often end that way. Once nginx could not be
    reached, the rest of the batch is counted as failed without trying: a hung nginx costs one
    ``timeout``, not one per URL.
    """

    timeout = 5

    def _purge_one(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit([self.cache_scheme, self.cache_netloc, PURGE_PREFIX + parts.path, parts.query, ""])
        request = PurgeRequest(url=target, headers={"Host": host, "User-Agent": "cms-frontend-cache"})
        urlopen(request, timeout=self.timeout).close()  # noqa: S310 - LOCATION comes from the operator's settings

    def purge_batch(self, urls):
        failed, reason, unreachable = [], None, False
        for url in urls:
            if unreachable:
                failed.append(url)
                continue
            try:
                self._purge_one(url)
            except HTTPError as exc:
                if exc.code != 404:
                    failed.append(url)
                    reason = f"HTTP {exc.code} {exc.reason}"
            except (URLError, OSError) as exc:
                failed.append(url)
                reason, unreachable = str(getattr(exc, "reason", exc)), True
        if failed:
            raise PurgeFailed(failed, reason)

    def purge(self, url):
        self.purge_batch([url])


class CloudflareBackend(WagtailCloudflareBackend):
    """Wagtail's Cloudflare backend (its settings keys and chunks of 30 URLs), with two changes: a
    purge that Cloudflare does not confirm (``"success": true``) raises ``PurgeFailed``, and the API's
    address is a parameter (``API_URL``, Cloudflare's by default), so that a test can stand in for it."""

    timeout = 10

    def __init__(self, params):
        api = params.pop("API_URL", CLOUDFLARE_API).rstrip("/")
        super().__init__(params)
        self.cloudflare_purge_endpoint_url = f"{api}/zones/{self.cloudflare_zoneid}/purge_cache"

    def _headers(self):
        if self.cloudflare_token:
            return {"Authorization": f"Bearer {self.cloudflare_token}"}
        return {"X-Auth-Email": self.cloudflare_email, "X-Auth-Key": self.cloudflare_api_key}

    def _purge_urls(self, urls):
        try:
            response = requests.post(
                self.cloudflare_purge_endpoint_url, json={"files": urls}, headers=self._headers(), timeout=self.timeout
            )
            body = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise PurgeFailed(urls, type(exc).__name__) from exc
        if response.status_code != 200 or not isinstance(body, dict) or body.get("success") is not True:
            errors = body.get("errors") if isinstance(body, dict) else None
            messages = ", ".join(str(error.get("message")) for error in errors or [] if isinstance(error, dict))
            raise PurgeFailed(urls, f"HTTP {response.status_code}" + (f": {messages}" if messages else ""))

    def purge_batch(self, urls):
        failed, reason = [], None
        for start in range(0, len(urls), self.CHUNK_SIZE):
            try:
                self._purge_urls(urls[start : start + self.CHUNK_SIZE])
            except PurgeFailed as exc:
                failed += exc.urls
                reason = exc.reason
        if failed:
            raise PurgeFailed(failed, reason)


class CloudfrontBackend(WagtailCloudfrontBackend):
    """Wagtail's CloudFront backend (one invalidation per batch, credentials from boto3's chain), but an
    invalidation that CloudFront refuses or that cannot be sent raises ``PurgeFailed``."""

    def _create_invalidation(self, distribution_id, paths):
        self.client.create_invalidation(
            DistributionId=distribution_id,
            InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": str(uuid.uuid4())},
        )

    def purge_batch(self, urls):
        import botocore.exceptions

        try:
            super().purge_batch(urls)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            raise PurgeFailed(urls, str(exc)) from exc


# --- purging every cache, and retrying what failed ---------------------------------------------------
def _purge_with(name, backend, urls):
    """The URLs that ``backend`` failed to purge (``[]`` when done) and why."""
    try:
        backend.purge_batch(list(urls))
    except PurgeFailed as exc:
        return exc.urls, exc.reason
    except Exception as exc:  # noqa: BLE001 - any backend's error: the whole batch failed, and is retried
        logger.debug("Frontend cache %s raised", name, exc_info=True)
        return list(urls), f"{type(exc).__name__}: {exc}"
    logger.info("[%s] Purged %d URL(s)", name, len(urls))
    return [], None


def _urls_for(backend, urls):
    """The URLs whose host (``host[:port]``, as Wagtail matches it) the backend's ``HOSTNAMES`` cover."""
    return [url for url in urls if backend.invalidates_hostname(urlsplit(url).netloc)]


def purge(urls):
    """Purge ``urls`` from every configured HTTP cache now; the number of caches that failed.

    A cache that fails is logged and its URLs are queued for the task worker (``retry_purge``)."""
    failures = 0
    for name, backend in get_backends().items():
        mine = _urls_for(backend, urls)
        if not mine:
            continue
        failed, reason = _purge_with(name, backend, mine)
        if failed:
            failures += 1
            _retry_later(name, failed, 2, reason)
    return failures


def retry_delay(attempt):
    """Seconds before ``attempt`` (2, 3, …): ``FRONTEND_CACHE_RETRY_SECONDS``, doubling each time."""
    return int(settings.FRONTEND_CACHE_RETRY_SECONDS) * 2 ** max(attempt - 2, 0)


def _retry_later(name, urls, attempt, reason):
    """Queue ``attempt`` for ``urls`` on the cache ``name``, or give up after the last attempt."""
    attempts = int(settings.FRONTEND_CACHE_PURGE_ATTEMPTS)
    if attempt > attempts:
        logger.error(
            "Gave up purging %d URL(s) from %s after %d attempts (last: %s): it may serve them until they expire",
            len(urls),
            name,
            attempts,
            reason,
        )
        return False
    retry = retry_purge
    if not retry.get_backend().supports_defer:
        # ImmediateBackend (dev, tests): it cannot wait, and retrying at once would fail the same way.
        logger.error(
            "Couldn't purge %d URL(s) from %s (%s), lost: the task backend cannot defer", len(urls), name, reason
        )
        return False
    delay = retry_delay(attempt)
    try:
        retry.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(name, urls, attempt=attempt)
    except Exception:
        logger.exception("Couldn't purge %d URL(s) from %s (%s), nor queue a retry", len(urls), name, reason)
        return False
    logger.error(
        "Couldn't purge %d URL(s) from %s (%s); the task worker retries in %d s (attempt %d of %d)",
        len(urls),
        name,
        reason,
        delay,
        attempt,
        attempts,
    )
    return True


@task()
def retry_purge(name, urls, attempt=2):
    """Purge ``urls`` from the cache ``name`` again (``core.frontend_cache.purge`` queued it)."""
    backend = get_backends(backends=[name]).get(name)
    if backend is None:
        logger.warning("Purge of %d URL(s) from %s dropped: that cache is no longer configured", len(urls), name)
        return {"status": "dropped", "attempt": attempt}
    failed, reason = _purge_with(name, backend, urls)
    if not failed:
        return {"status": "purged", "attempt": attempt, "purged": len(urls)}
    if not _retry_later(name, failed, attempt + 1, reason):
        raise PurgeFailed(failed, reason)  # the task result says so too
    return {"status": "retrying", "attempt": attempt, "failed": len(failed), "reason": reason}
