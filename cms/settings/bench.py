"""The benchmark's settings (``make bench``): production, plus the stock peers it compares against.

Everything production does stays on (no DEBUG, the cache, whitenoise, the security middleware); the
only changes are what a load test on loopback needs: plain HTTP on localhost, a posting rate limit
that one client address (wrk's) cannot reach, and ``bench.urls``, which mounts Wagtail's stock API v2
pages viewset and django-comments-xtd's own API beside the project's, so that both serve the same
data in the same process. None of this is reachable from the production settings.
"""

import os

# Production refuses to start without these; the harness passes its own, a manual run gets these.
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")

from core.env import env_bool, env_list

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
# Loopback, plain HTTP: no redirect to https, and no cookie flagged Secure that wrk would drop.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Every posted comment comes from wrk's single address; the limit must not be what is measured.
COMMENTS_RATE_LIMIT = os.environ.get("COMMENTS_RATE_LIMIT", "100000000/sec")
COMMENTS_REFUSED_RATE_LIMIT = os.environ.get("COMMENTS_REFUSED_RATE_LIMIT", "100000000/sec")

# No mail leaves a benchmark: notifications are queued as tasks (nobody runs the worker) and, were
# they run, printed nowhere.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
WEBHOOK_URLS = []
