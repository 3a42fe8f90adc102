"""Where uploaded files live: the filesystem by default, S3-compatible object storage when
``AWS_STORAGE_BUCKET_NAME`` is set (docs/deployment.md, "Object storage").

Plain Python read from the environment, like the rest of the settings; the variables are
django-storages' own names. Object storage is three ``STORAGES`` entries:

- ``media``: images and their renditions. Public objects (``AWS_DEFAULT_ACL``, ``public-read`` unless
  the bucket has no ACLs), unsigned URLs on ``AWS_S3_CUSTOM_DOMAIN`` (a CDN) when it is set: the API
  and the pages print them, and the response cache keeps them for a day, so they must not expire.
- ``documents``: private objects, reached only through Wagtail's document view, which checks the
  collection's privacy and then redirects to a signed URL that lives ``AWS_QUERYSTRING_EXPIRE``
  seconds, on the bucket's own endpoint (never the CDN, which could cache it for anyone).
- ``default``: ``core.storage.RoutedStorage``, which sends ``documents/`` to the second and
  everything else to the first (Wagtail stores both kinds in the default storage).

Neither overwrites a file: a second upload of ``photo.jpg`` is stored under another name.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from core.env import env_int, env_list

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def _env(name, default=None):
    return os.environ.get(name, "").strip() or default


def _common_options():
    """What both storages share: where the S3 service is and how to sign for it."""
    return {
        "endpoint_url": _env("AWS_S3_ENDPOINT_URL"),
        "region_name": _env("AWS_S3_REGION_NAME"),
        "addressing_style": _env("AWS_S3_ADDRESSING_STYLE"),
        # Signature version 4: the only one R2 accepts and the one AWS asks for everywhere.
        "signature_version": _env("AWS_S3_SIGNATURE_VERSION", "s3v4"),
        "url_protocol": _env("AWS_S3_URL_PROTOCOL", "https:"),
        "location": _env("AWS_LOCATION", ""),
        "file_overwrite": False,
        "object_parameters": {},
    }


def media_storages():
    """``STORAGES`` entries for uploaded files (``staticfiles`` is the caller's)."""
    bucket = _env("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"default": {"BACKEND": FILESYSTEM}}
    # "" where the bucket has no object ACLs (AWS's "bucket owner enforced", R2, MinIO): a bucket
    # policy then makes images public, and documents are private because nothing grants them.
    acl = os.environ.get("AWS_DEFAULT_ACL", "public-read").strip() or None
    common = _common_options()
    media = {
        **common,
        "bucket_name": bucket,
        "default_acl": acl,
        "querystring_auth": False,
        "custom_domain": _env("AWS_S3_CUSTOM_DOMAIN"),
    }
    documents = {
        **common,
        "bucket_name": _env("DOCUMENTS_BUCKET_NAME", bucket),
        "default_acl": "private" if acl else None,
        "querystring_auth": True,
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
        "custom_domain": None,
    }
    return {
        "default": {
            "BACKEND": "core.storage.RoutedStorage",
            "OPTIONS": {"routes": {"documents/": "documents"}, "default": "media"},
        },
        "media": {"BACKEND": S3, "OPTIONS": media},
        "documents": {"BACKEND": S3, "OPTIONS": documents},
    }


def document_serve_method(storages):
    """Wagtail's document view checks the collection's privacy, then: from the filesystem, it sends
    the file itself (never plain media); from object storage, it redirects to a signed URL."""
    return "redirect" if "documents" in storages else "serve_view"


def image_widths(name, default):
    try:
        widths = sorted({int(width) for width in env_list(name, default)})
    except ValueError:
        widths = []
    if not widths or widths[0] < 1:
        raise ImproperlyConfigured(f"{name} must be comma-separated widths in pixels, e.g. {default}")
    return widths


def image_formats(name, default):
    formats = [fmt.lower() for fmt in env_list(name, default)]
    if unknown := set(formats) - {"webp", "avif"}:
        raise ImproperlyConfigured(f"{name}: {', '.join(sorted(unknown))} is not webp or avif")
    return list(dict.fromkeys(formats))
