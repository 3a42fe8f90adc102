"""Settings shared by every environment.

Safe by default: DEBUG is off, there is no default secret, and everything an operator may change
comes from the environment (see the README for the list of variables).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from core.env import env_bool, env_float, env_int, env_list

from .frontend_caches import frontend_caches
from .media import document_serve_method, image_formats, image_widths, media_storages

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "home",
    "comments",
    "articles",
    "webhooks",
    "core",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # Not "wagtail.contrib.frontend_cache": its signal handlers would purge each published page a
    # second time; core.cache purges every URL a shared cache holds through its backends and task.
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_headless_preview",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc for /api/docs/ from our own static files
    "corsheaders",
    "csp",
    "django_comments_xtd",
    "django_comments",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: a cache hit answers here and runs nothing else; the headers the middlewares below add to
    # a miss (security, CORS, CSP, X-Frame-Options) are stored with it and replayed (core/cache.py).
    "core.cache.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.api_errors.RejectNulMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.sites.SiteMiddleware",  # the request's Wagtail site from the cache, once the host is validated
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.redirects.PublicRedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into cms.admin_login.locked_out's 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # {% time_element %} in every template without a {% load %}: one date format site-wide.
            "builtins": ["core.templatetags.site_dates"],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# DATABASE_URL selects the database (postgres://user@host:5432/name); SQLite is the default.
# Behind PgBouncer in transaction mode: DATABASE_CONN_MAX_AGE=0 and DATABASE_DISABLE_SERVER_SIDE_CURSORS=1
# (docs/deployment.md, "PgBouncer"). CONN_MAX_AGE is the older name of the first.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60)),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False):
    # A server-side cursor (QuerySet.iterator() on PostgreSQL) lives in one server session; a pooler
    # that hands each transaction to any server connection loses it between two fetches.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests writing at once (the admin autosaves while a preview renders) wait for the lock
    # instead of failing with "database is locked"; IMMEDIATE takes it when a transaction starts.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL selects Redis as the cache; local memory otherwise (production requires it). A Redis that
# is down is a cache miss, not an error (core/resilient_cache.py); the timeouts bound what a hung one costs.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cms"),
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 1.0),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 1000)},
        }
    }

# After a failed call the cache leaves Redis alone this long before trying again (a circuit breaker);
# an invalidation that failed is retried by the task worker this often until Redis answers.
CACHE_OUTAGE_RETRY_SECONDS = env_float("CACHE_OUTAGE_RETRY_SECONDS", 1.0)
CACHE_INVALIDATION_RETRY_SECONDS = env_int("CACHE_INVALIDATION_RETRY_SECONDS", 15)

# The public response cache (core/cache.py): anonymous reads of pages and the public API, invalidated
# by tag. PUBLIC_CACHE_SHARED_MAX_AGE is how long nginx or a CDN may keep a canonical URL; the app
# purges it sooner (FRONTEND_CACHE_URLS, below) when its content changes.
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", True)
PUBLIC_CACHE_ALIAS = "default"
PUBLIC_CACHE_TIMEOUT = env_int("PUBLIC_CACHE_TIMEOUT", 24 * 3600)
PUBLIC_CACHE_SHARED_MAX_AGE = env_int("PUBLIC_CACHE_SHARED_MAX_AGE", 600)
# A response larger than this is served but not stored (the cache's memory is bounded by Redis's
# maxmemory in production, docs/architecture.md, and by MAX_ENTRIES for the local-memory cache).
PUBLIC_CACHE_MAX_ENTRY_BYTES = env_int("PUBLIC_CACHE_MAX_ENTRY_BYTES", 1024 * 1024)
# The HTTP caches in front of the app, purged when what they keep changes: nginx instances
# (FRONTEND_CACHE_URLS, deploy/nginx.conf.template), Cloudflare, CloudFront (cms/settings/frontend_caches.py;
# docs/deployment.md, "HTTP caches"). A purge that fails is retried by the task worker, with a delay
# that doubles from FRONTEND_CACHE_RETRY_SECONDS, up to FRONTEND_CACHE_PURGE_ATTEMPTS attempts in all.
WAGTAILFRONTENDCACHE = frontend_caches()
FRONTEND_CACHE_PURGE_ATTEMPTS = env_int("FRONTEND_CACHE_PURGE_ATTEMPTS", 5)
FRONTEND_CACHE_RETRY_SECONDS = env_int("FRONTEND_CACHE_RETRY_SECONDS", 15)

# django-axes first: it refuses a locked-out account or network before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# How every date is shown on the site's pages (Django's date format syntax); the `datetime` attribute of
# each <time> element carries the ISO date. Django's own DATE_FORMAT loses to the locale's format.
SITE_DATE_FORMAT = os.environ.get("SITE_DATE_FORMAT", "F j, Y")

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
# Uploads on the filesystem, or on S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set
# (cms/settings/media.py; docs/deployment.md, "Object storage").
STORAGES = {
    **media_storages(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SITE_ID = 1

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Trigger Point Journal")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Documents only through Wagtail's view, which checks collection privacy (never as plain media): it
# sends a file from the filesystem, and redirects to a short-lived signed URL on object storage.
WAGTAILDOCS_SERVE_METHOD = document_serve_method(STORAGES)
# Local avatars only: the admin must not send an MD5 of each user's e-mail address to gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"


# Every image in the API and on the pages comes at these widths (never wider than the original), in
# its own format and in each modern one, so frontends build a srcset (articles/renditions.py).
IMAGE_RENDITION_WIDTHS = image_widths("IMAGE_RENDITION_WIDTHS", "320,640,960,1280,1920")
IMAGE_MODERN_FORMATS = image_formats("IMAGE_MODERN_FORMATS", "webp")
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILEMBEDS_FINDERS = [
    {"class": "articles.embeds.OfflineVideoFinder"},
    {"class": "wagtail.embeds.finders.oembed"},
]

# Drafts reach a headless frontend through wagtail-headless-preview: a signed token, checked with
# a maximum age by our preview endpoint (articles.api.PagePreviewAPIViewSet).
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": os.environ.get("PREVIEW_CLIENT_URL", "http://localhost:3000/preview")},
    "SERVE_BASE_URL": None,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": False,
}
PREVIEW_TOKEN_MAX_AGE = env_int("PREVIEW_TOKEN_MAX_AGE", 3600)

# --- Tasks (django-tasks): database backend and its worker in production -------------------------
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Browser security headers -------------------------------------------------------------------
# The rendered site runs no inline script at all, so the policy forbids it. The Wagtail admin brings
# its own scripts and is left out; /api/docs/ adds only what Redoc needs (cms/api_docs.py).
VIDEO_FRAME_SOURCES = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "frame-src": VIDEO_FRAME_SOURCES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# --- Admin sign-in throttling (django-axes; cms/admin_login.py) ---------------------------------
# After ADMIN_LOGIN_FAILURE_LIMIT failed sign-ins for one account, or from one client network (an
# IPv4 address, an IPv6 /64; X-Forwarded-For only through TRUSTED_PROXY_COUNT proxies), sign-in waits
# until ADMIN_LOGIN_COOLOFF_MINUTES have passed since the failures; retries meanwhile do not extend it.
# Counts live in the database (axes' database handler), so every app server shares them.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_network"
AXES_LOCKOUT_CALLABLE = "cms.admin_login.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # else signing in to one's own account would clear a network's count
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Every failure is kept (Reports › Failed sign-ins, for superusers); successful sign-ins are not.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # Django's admin is not mounted; the Wagtail report shows the log

# --- API: DRF, schema, CORS -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.BoundedJSONParser"],  # JSON, nested 32 levels at most
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Headless CMS API",
    "DESCRIPTION": "Articles, testimonials, reader comments and their moderation. Errors, caching, "
    "authentication, webhooks and every body block, with examples: `docs/api.md` in the repository.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",  # drf-spectacular-sidecar's copy, served as our static files (no CDN)
    "PREPROCESSING_HOOKS": ["core.schema.public_api_only"],
    # ``<id:pk>`` (comments/converters.py): an integer of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.document_errors"],
}
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
# A cross-origin script reads only the safelisted response headers unless told: the comment widget
# (static/comments/widget.js) says how long to wait after a 429 or 503.
CORS_EXPOSE_HEADERS = ["Retry-After"]
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS

# --- Comments (django-comments-xtd) -----------------------------------------------------------
COMMENTS_APP = "django_comments_xtd"
# Replies nest to COMMENTS_MAX_DEPTH levels (3: a comment, a reply, a reply to the reply).
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 3)
COMMENTS_XTD_MAX_THREAD_LEVEL = COMMENTS_MAX_DEPTH - 1
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_MODEL = "comments.models.ArticleComment"

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cms@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Comment rules (see docs and comments/rules.py) ----------------------------------------------
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 3000)
COMMENTS_NAME_MAX_LENGTH = 50
# Comments and reports one client (an IPv4 address, an IPv6 /64) may post, counting accepted ones
# only, and the refused attempts it may make (comments/posting_limits.py); counted atomically in
# this cache (core/throttle.py: Redis or local memory). A cache that fails lets requests through.
COMMENTS_RATE_LIMIT = os.environ.get("COMMENTS_RATE_LIMIT", "5/min")
COMMENTS_REFUSED_RATE_LIMIT = os.environ.get("COMMENTS_REFUSED_RATE_LIMIT", "30/min")
THROTTLE_CACHE_ALIAS = "default"
COMMENTS_DUPLICATE_WINDOW_MINUTES = env_int("COMMENTS_DUPLICATE_WINDOW_MINUTES", 10)
COMMENTS_THREADS_PER_PAGE = env_int("COMMENTS_THREADS_PER_PAGE", 20)
COMMENTS_ADDRESS_RETENTION_DAYS = env_int("COMMENTS_ADDRESS_RETENTION_DAYS", 30)
COMMENTS_UNSUBSCRIBE_MAX_AGE_DAYS = env_int("COMMENTS_UNSUBSCRIBE_MAX_AGE_DAYS", 90)
# Moderation API tokens (Settings › API tokens) stop working this many days after they are made (0: never).
COMMENTS_API_TOKEN_LIFETIME_DAYS = env_int("COMMENTS_API_TOKEN_LIFETIME_DAYS", 90)
# 0: moderators get a mail for each new pending comment. N: instead, one digest mail every N minutes
# (sent by `manage.py scheduler`) of the comments that became pending or were reported since the last.
COMMENTS_MODERATOR_DIGEST_MINUTES = env_int("COMMENTS_MODERATOR_DIGEST_MINUTES", 0)
# A token's "last used" is written at most once per this many seconds (Wagtail's setting; comments/tokens.py).
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 60
# How many reverse proxies in front of the app append to X-Forwarded-For. 0: use the socket address.
# 1 behind deploy/nginx.conf.template (deploy/gunicorn.conf.py sets it when gunicorn listens on
# loopback); a mismatch with the requests is logged once per process (core/client_address.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Webhooks (webhooks/delivery.py; docs/architecture.md, "Webhooks") --------------------------------
# Signed POSTs on publish, unpublish and comment approval or removal, so a static frontend can rebuild.
# URLs without a secret fail `manage.py check` (webhooks.E101), and nothing is sent.
WEBHOOK_URLS = env_list("WEBHOOK_URLS")
# Moderators' alerts (comment.pending, comment.reported) go to these URLs only (a chat, a pager),
# never to WEBHOOK_URLS' build hooks: they are signed with the same secret.
WEBHOOK_MODERATION_URLS = env_list("WEBHOOK_MODERATION_URLS")
WEBHOOK_SECRET = os.environ.get("WEBHOOK_SECRET", "")
WEBHOOK_TIMEOUT = env_float("WEBHOOK_TIMEOUT", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
# Seconds before the 2nd, 3rd, … attempt (the last repeats); needs a task backend that can defer.
WEBHOOK_RETRY_DELAYS = [int(delay) for delay in env_list("WEBHOOK_RETRY_DELAYS", "10,60,300,1800")]

# --- Scheduled work (`manage.py scheduler`, cms/scheduler.py; docs/deployment.md, "Scheduled work") -----
SCHEDULER_PUBLISH_SECONDS = env_int("SCHEDULER_PUBLISH_SECONDS", 60)
TASK_RESULTS_RETENTION_DAYS = env_int("TASK_RESULTS_RETENTION_DAYS", 14)
