"""Local development: DEBUG on, console e-mail, a fixed insecure key unless one is given."""

import os
from urllib.parse import urlsplit

from core.env import env_list

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# The headless preview's frontend (PREVIEW_CLIENT_URL, http://localhost:3000 by default: `make example`)
# may call the API from the browser out of the box, under both of its loopback names.
_frontend = urlsplit(WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]["default"])  # noqa: F405
_origin = f"{_frontend.scheme}://{_frontend.netloc}"
_loopback = [_origin, _origin.replace("://localhost", "://127.0.0.1"), _origin.replace("://127.0.0.1", "://localhost")]
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", ",".join(dict.fromkeys(_loopback)))
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS
