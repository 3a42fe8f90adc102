"""One storage in front of several: each file goes to the storage that its name's folder names.

Wagtail keeps every file in Django's default storage: documents under ``documents/``, images under
``original_images/`` and their renditions under ``images/``; a document has no storage setting of its
own (only renditions have one, ``WAGTAILIMAGES_RENDITION_STORAGE``). With object storage
(``cms/settings/media.py``) the default storage is this router: documents go to a private storage
(private objects, short-lived signed URLs), everything else to a public one (public-read objects, on
the CDN's domain when there is one). Each of those is a plain django-storages ``S3Storage`` of
``STORAGES``, configured by its ``OPTIONS`` alone.
"""

from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, storages


class RoutedStorage(Storage):
    """``routes``: ``{"documents/": "documents"}``, a name prefix to a ``STORAGES`` alias; any other
    name goes to the ``default`` alias."""

    def __init__(self, routes=None, default="media"):
        self.routes = dict(routes or {})
        self.default = default

    def backend(self, name):
        # No "..", no absolute name: "images/../documents/x" must not reach a document through the
        # public storage, which would read it with its own credentials and give it a public URL.
        path = PurePosixPath(name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            raise SuspiciousFileOperation(f"Detected path traversal attempt in '{name}'")
        for prefix, alias in self.routes.items():
            if name.startswith(prefix):
                return storages[alias]
        return storages[self.default]

    def open(self, name, mode="rb"):
        return self.backend(name).open(name, mode)

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        return self.backend(name).save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend(filename).generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.backend(name).get_available_name(name, max_length=max_length)

    def path(self, name):
        return self.backend(name).path(name)

    def delete(self, name):
        return self.backend(name).delete(name)

    def exists(self, name):
        return self.backend(name).exists(name)

    def listdir(self, path):
        return self.backend(path).listdir(path)

    def size(self, name):
        return self.backend(name).size(name)

    def url(self, name):
        return self.backend(name).url(name)

    def get_accessed_time(self, name):
        return self.backend(name).get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend(name).get_created_time(name)

    def get_modified_time(self, name):
        return self.backend(name).get_modified_time(name)
