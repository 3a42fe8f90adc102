"""Signed webhooks, so that a static frontend can rebuild when what the public sees changes.

Events are sent by the apps that own them: ``page.published`` and ``page.unpublished``
(``webhooks.page_events``, Wagtail's page signals, sent once the transaction commits) and
``comment.approved`` / ``comment.removed`` (``comments.webhook_events``). Each event is one JSON
body, POSTed to every URL in ``WEBHOOK_URLS`` by its own background task (``deliver_webhook``),
or, for the moderators' alerts (``comment.pending``, ``comment.reported``), to every URL in
``WEBHOOK_MODERATION_URLS`` only, so that a build hook never rebuilds for a comment nobody sees,
which retries network errors, 5xx and 429 with a growing delay (``WEBHOOK_RETRY_DELAYS``) up to
``WEBHOOK_MAX_ATTEMPTS`` attempts.

Nothing private and nothing unpublished goes out: a page event carries the page's id, type, live
title and public URLs; a comment event carries ids and public URLs only, never the commenter's name,
e-mail, address or text. Pages that are not public (a view restriction on them or an ancestor) send
nothing, and neither do comments on articles that are not live and public.

Every request is signed, Stripe / Standard Webhooks style::

    X-CMS-Timestamp: 1767225600
    X-CMS-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with WEBHOOK_SECRET>

Receivers check it with :func:`verify_signature` (see docs/architecture.md, "Webhooks").
"""

import datetime
import hashlib
import hmac
import json
import logging
import time
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core import checks
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

SIGNATURE_PREFIX = "sha256="
DEFAULT_TOLERANCE = 300  # seconds a receiver should accept between X-CMS-Timestamp and its clock
USER_AGENT = "cms-webhooks/1"
MIN_SECRET_LENGTH = 32


# --- Signing ------------------------------------------------------------------------------------


def _as_bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def sign(secret, timestamp, body):
    """The hex HMAC-SHA256 of ``b"<timestamp>.<body>"`` keyed with ``secret``."""
    message = _as_bytes(str(int(timestamp))) + b"." + _as_bytes(body)
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def signed_headers(secret, body, event, delivery_id, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-CMS-Event": event,
        "X-CMS-Delivery": delivery_id,
        "X-CMS-Timestamp": str(timestamp),
        "X-CMS-Signature": SIGNATURE_PREFIX + sign(secret, timestamp, body),
    }


def verify_signature(secret, timestamp, body, signature_header, tolerance=DEFAULT_TOLERANCE, now=None):
    """For receivers: is ``signature_header`` ours for this exact ``body``, and recent?

    ``timestamp`` and ``signature_header`` are the values of ``X-CMS-Timestamp`` and
    ``X-CMS-Signature``; ``body`` is the raw request body (bytes, as received, before any JSON
    parsing). A timestamp further than ``tolerance`` seconds from ``now`` (default: the current
    time), in either direction, is refused, so that a captured request cannot be replayed later.
    Receivers should also ignore an ``X-CMS-Delivery`` id they have already processed.
    """
    if not secret or not signature_header or timestamp is None or body is None:
        return False
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if now is None:
        now = time.time()
    elif isinstance(now, datetime.datetime):
        now = now.timestamp()
    if abs(now - sent_at) > tolerance:
        return False
    if isinstance(signature_header, bytes):
        signature_header = signature_header.decode("latin-1")
    expected = (SIGNATURE_PREFIX + sign(secret, sent_at, body)).encode("ascii")
    return hmac.compare_digest(expected, signature_header.strip().encode("utf-8"))


# --- Configuration --------------------------------------------------------------------------------

_refusal_logged = False


def _all_urls():
    return [
        *(getattr(settings, "WEBHOOK_URLS", None) or []),
        *(getattr(settings, "WEBHOOK_MODERATION_URLS", None) or []),
    ]


def configured_urls(setting="WEBHOOK_URLS"):
    """The URLs of ``setting`` to send to, or ``[]``: none configured, or no secret to sign with
    (logged once)."""
    global _refusal_logged
    urls = list(getattr(settings, setting, None) or [])
    if urls and not getattr(settings, "WEBHOOK_SECRET", ""):
        if not _refusal_logged:
            logger.error("%s is set but WEBHOOK_SECRET is empty: no webhook is sent.", setting)
            _refusal_logged = True
        return []
    return urls


def retry_delay(attempt):
    """Seconds to wait before ``attempt`` (2, 3, …); the last configured delay repeats."""
    delays = list(getattr(settings, "WEBHOOK_RETRY_DELAYS", None) or [0])
    return max(0, int(delays[min(max(attempt - 2, 0), len(delays) - 1)]))


def safe_url(url):
    """``scheme://host`` only: build-hook URLs often carry a token in their path or query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")


def check_settings(app_configs=None, **kwargs):
    """``manage.py check`` (and ``migrate``, ``runserver``) refuse a half-configured webhook setup."""
    errors = []
    urls = _all_urls()
    secret = getattr(settings, "WEBHOOK_SECRET", "")
    if urls and not secret:
        errors.append(
            checks.Error(
                "WEBHOOK_URLS or WEBHOOK_MODERATION_URLS is set but WEBHOOK_SECRET is empty; no webhook would be sent.",
                hint="Set WEBHOOK_SECRET to a long random string shared with the receivers, or unset WEBHOOK_URLS.",
                id="webhooks.E101",
            )
        )
    elif urls and len(secret) < MIN_SECRET_LENGTH:
        errors.append(
            checks.Warning(
                f"WEBHOOK_SECRET is shorter than {MIN_SECRET_LENGTH} characters.",
                hint='Use e.g. python -c "import secrets; print(secrets.token_urlsafe(32))".',
                id="webhooks.W101",
            )
        )
    for position, url in enumerate(urls, start=1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors.append(checks.Error(f"Webhook URL {position} is not an http(s) URL.", id="webhooks.E102"))
    if int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 1)) < 1:
        errors.append(checks.Error("WEBHOOK_MAX_ATTEMPTS must be at least 1.", id="webhooks.E103"))
    if float(getattr(settings, "WEBHOOK_TIMEOUT", 1)) <= 0:
        errors.append(checks.Error("WEBHOOK_TIMEOUT must be a positive number of seconds.", id="webhooks.E104"))
    if any(int(delay) < 0 for delay in getattr(settings, "WEBHOOK_RETRY_DELAYS", None) or []):
        errors.append(checks.Error("WEBHOOK_RETRY_DELAYS cannot hold negative delays.", id="webhooks.E105"))
    return errors


# --- Payloads ------------------------------------------------------------------------------------


def _now_iso():
    return timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_body(event, data, delivery_id=None):
    """``(delivery_id, body)``: the JSON text every URL receives for one event."""
    delivery_id = delivery_id or str(uuid.uuid4())
    payload = {"id": delivery_id, "event": event, "created": _now_iso(), "data": data}
    return delivery_id, json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


# --- Sending --------------------------------------------------------------------------------------


def send_event(event, data, setting="WEBHOOK_URLS"):
    """Enqueue one delivery task per URL of ``setting``; the task results (``[]`` when disabled)."""
    urls = configured_urls(setting)
    if not urls:
        return []
    delivery_id, body = build_body(event, data)
    results = []
    for url in urls:
        try:
            results.append(deliver_webhook.enqueue(url, body, event, delivery_id))
        except Exception:
            # A queue that is down must not turn a publish or a moderation into an error page.
            logger.exception("Could not enqueue webhook %s %s to %s", event, delivery_id, safe_url(url))
    return results


class WebhookDeliveryFailed(Exception):
    """The receiver refused the delivery, or every attempt failed; the task is marked failed."""


def _post(url, body, headers):
    """The response's status code, or ``None`` and the reason on a network error or timeout."""
    try:
        with requests.post(
            url,
            data=body.encode("utf-8"),
            headers=headers,
            timeout=float(settings.WEBHOOK_TIMEOUT),
            allow_redirects=False,
            stream=True,  # the receiver's answer is not read, only its status
        ) as response:
            return response.status_code, f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        return None, type(exc).__name__


def _enqueue_retry(url, body, event, delivery_id, attempt):
    delay = retry_delay(attempt)
    retry = deliver_webhook
    if delay and retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    elif delay:
        # ImmediateBackend (dev, tests): it cannot defer, so the next attempt runs at once.
        logger.debug("Task backend cannot defer; webhook attempt %s runs now", attempt)
    retry.enqueue(url, body, event, delivery_id, attempt=attempt)
    return delay


# Below the default priority: a worker runs the cache purges queued by the same publish first, so
# a frontend that rebuilds on the webhook does not read what a purge was about to remove.
@task(priority=-10)
def deliver_webhook(url, body, event, delivery_id, attempt=1):
    """POST ``body`` to ``url``, signed with a fresh timestamp; on failure, enqueue the next attempt.

    2xx: delivered. Network errors, timeouts, 5xx and 429: retried after ``retry_delay`` until
    ``WEBHOOK_MAX_ATTEMPTS``. Anything else (3xx, 4xx): the receiver refused, not retried.
    """
    target = safe_url(url)
    if url not in _all_urls():
        logger.warning("Webhook %s to %s dropped: the URL is no longer configured", delivery_id, target)
        return {"status": "dropped", "attempt": attempt}
    secret = settings.WEBHOOK_SECRET
    if not secret:
        configured_urls()  # logs the refusal once
        return {"status": "dropped", "attempt": attempt}

    status, reason = _post(url, body, signed_headers(secret, body, event, delivery_id))
    if status is not None and 200 <= status < 300:
        logger.info("Webhook %s %s delivered to %s (attempt %s)", event, delivery_id, target, attempt)
        return {"status": "delivered", "attempt": attempt, "http_status": status}

    retryable = status is None or status == 429 or status >= 500
    if not retryable:
        logger.error("Webhook %s %s refused by %s: %s; not retried", event, delivery_id, target, reason)
        raise WebhookDeliveryFailed(f"{target} answered {reason}")
    max_attempts = int(settings.WEBHOOK_MAX_ATTEMPTS)
    if attempt >= max_attempts:
        logger.error(
            "Webhook %s %s to %s failed %s times (last: %s); giving up", event, delivery_id, target, attempt, reason
        )
        raise WebhookDeliveryFailed(f"{target}: {reason} after {attempt} attempts")
    delay = _enqueue_retry(url, body, event, delivery_id, attempt + 1)
    logger.warning(
        "Webhook %s %s to %s failed (%s, attempt %s of %s); retrying in %ss",
        event,
        delivery_id,
        target,
        reason,
        attempt,
        max_attempts,
        delay,
    )
    return {"status": "retrying", "attempt": attempt, "reason": reason, "retry_in": delay}
