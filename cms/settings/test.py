"""Tests: fast hashing, local memory cache, immediate tasks, mail kept in memory.

The database is SQLite unless DATABASE_URL selects another (CI runs the suite on both).
"""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Files on the filesystem whatever the developer's environment says (AWS_STORAGE_BUCKET_NAME); the
# object-storage tests start their own S3 server (tests/test_object_storage.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
MEDIA_ROOT = BASE_DIR / "tests" / ".media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
CORS_ALLOWED_ORIGINS = ["https://frontend.example"]
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS
COMMENTS_RATE_LIMIT = "1000/min"  # tests that exercise the limits set their own
COMMENTS_REFUSED_RATE_LIMIT = "1000/min"
# Webhooks: none unless a test configures them (a developer's environment must not reach real hooks).
WEBHOOK_URLS = []
WEBHOOK_MODERATION_URLS = []
WEBHOOK_SECRET = ""
COMMENTS_MODERATOR_DIGEST_MINUTES = 0  # a mail per comment unless a test turns the digest on
# The HTTP cache in front of the app: none unless a test starts one (tests/test_nginx_purge.py).
WAGTAILFRONTENDCACHE = {}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: there, the live server's threads and the test
    # share table locks that fail at once ("database table is locked") instead of waiting `timeout`.
    # One file per test run, so that two runs side by side do not delete each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "tests" / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
