"""Tests: fast hashing, local memory cache, immediate tasks, mail kept in memory.

The database is SQLite unless DATABASE_URL selects another (CI runs the suite on both).
"""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "tests" / ".media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
CORS_ALLOWED_ORIGINS = ["https://frontend.example"]
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS
COMMENTS_RATE_LIMIT = "1000/min"  # tests that exercise the limit set their own
# Webhooks: none unless a test configures them (a developer's environment must not reach real hooks).
WEBHOOK_URLS = []
WEBHOOK_SECRET = ""
