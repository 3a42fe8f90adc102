"""Purging the HTTP cache in front of the app (nginx with the cache-purge module, see deploy/)."""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

logger = logging.getLogger("wagtail.frontendcache")
# deploy/nginx.conf.template's purge location: its key is the rest of the path and the query string.
PURGE_PREFIX = "/__purge"


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP backend, for nginx's cache-purge module in its own location (``/__purge/…``).

    "Not in the cache" (404) is an answer, not an error: the app records every URL that a shared
    cache *may* hold, so purges of rarely read URLs often end that way.
    """

    timeout = 5

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit([self.cache_scheme, self.cache_netloc, PURGE_PREFIX + parts.path, parts.query, ""])
        request = PurgeRequest(url=target, headers={"Host": host, "User-Agent": "cms-frontend-cache"})
        try:
            urlopen(request, timeout=self.timeout)  # noqa: S310 - LOCATION comes from the operator's settings
        except HTTPError as exc:
            if exc.code != 404:
                logger.error("Couldn't purge %r from the HTTP cache: %d %s", url, exc.code, exc.reason)
        except (URLError, OSError) as exc:
            logger.error("Couldn't purge %r from the HTTP cache: %s", url, getattr(exc, "reason", exc))
