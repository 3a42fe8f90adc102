"""The HTTP caches in front of the app, from the environment: ``WAGTAILFRONTENDCACHE`` entries.

- ``FRONTEND_CACHE_URLS`` (or the one-item ``FRONTEND_CACHE_URL``): nginx instances with the purge
  location of deploy/nginx.conf.template, one entry each, for ``FRONTEND_CACHE_HOSTNAMES`` (all hosts
  when unset);
- ``CLOUDFLARE_ZONEID`` with ``CLOUDFLARE_BEARER_TOKEN`` (or ``CLOUDFLARE_EMAIL`` and
  ``CLOUDFLARE_API_KEY``): one zone, for ``CLOUDFLARE_HOSTNAMES``;
- ``CLOUDFRONT_DISTRIBUTION_ID``: one distribution, for ``CLOUDFRONT_HOSTNAMES``; credentials come from
  boto3's chain (``AWS_ACCESS_KEY_ID``…, an instance role).

The backends are Wagtail's, with the settings keys of its documentation ("Frontend cache
invalidator"), through core/frontend_cache.py's subclasses, which report a failed purge so that it
is retried. A half-configured cache is refused at start-up rather than at the first purge.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from core.env import env_list


def _hostnames(entry, variable):
    hostnames = env_list(variable)
    if hostnames:
        entry["HOSTNAMES"] = hostnames
    return entry


def nginx_caches():
    caches = {}
    for location in dict.fromkeys(env_list("FRONTEND_CACHE_URLS") + env_list("FRONTEND_CACHE_URL")):
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(f"FRONTEND_CACHE_URLS: {location!r} is not an http(s) URL.")
        entry = {"BACKEND": "core.frontend_cache.PurgeBackend", "LOCATION": location}
        caches[f"nginx:{parts.netloc}"] = _hostnames(entry, "FRONTEND_CACHE_HOSTNAMES")
    return caches


def cloudflare_cache():
    zone = os.environ.get("CLOUDFLARE_ZONEID", "").strip()
    token = os.environ.get("CLOUDFLARE_BEARER_TOKEN", "").strip()
    email = os.environ.get("CLOUDFLARE_EMAIL", "").strip()
    key = os.environ.get("CLOUDFLARE_API_KEY", "").strip()
    if not (zone or token or email or key):
        return {}
    if not zone:
        raise ImproperlyConfigured("Cloudflare: set CLOUDFLARE_ZONEID, the zone whose cache the app purges.")
    entry = {"BACKEND": "core.frontend_cache.CloudflareBackend", "ZONEID": zone}
    if token:
        entry["BEARER_TOKEN"] = token
    elif email and key:
        entry.update(EMAIL=email, API_KEY=key)
    else:
        raise ImproperlyConfigured(
            "Cloudflare: set CLOUDFLARE_BEARER_TOKEN (an API token allowed to purge the zone's cache), "
            "or both CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY."
        )
    return {"cloudflare": _hostnames(entry, "CLOUDFLARE_HOSTNAMES")}


def cloudfront_cache():
    distribution = os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", "").strip()
    if not distribution:
        return {}
    entry = {"BACKEND": "core.frontend_cache.CloudfrontBackend", "DISTRIBUTION_ID": distribution}
    return {"cloudfront": _hostnames(entry, "CLOUDFRONT_HOSTNAMES")}


def frontend_caches():
    """``WAGTAILFRONTENDCACHE``: every configured cache; ``{}`` when none is."""
    return {**nginx_caches(), **cloudflare_cache(), **cloudfront_cache()}
