"""An article body's representation, built once per published revision and kept beside it.

See ``articles/body_store.py`` for who builds, reads and forgets these rows.
"""

from django.db import models


class StoredBody(models.Model):
    """The API representation of one live revision's body (``[{type, id, value}]``, docs/api.md), with
    its image URLs made absolute for one origin, and the cache tags of everything it shows."""

    page = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    # The page's ``live_revision_id`` when it was built (0 for a page published without revisions).
    revision = models.BigIntegerField()
    origin = models.CharField(max_length=255, help_text="scheme://host the image URLs were made absolute for.")
    data = models.JSONField()
    tags = models.JSONField(help_text="The cache tags of what the body shows, added to every response using it.")
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "stored article body"
        constraints = [
            models.UniqueConstraint(fields=["page", "revision", "origin"], name="stored_body_one_per_origin")
        ]

    def __str__(self):
        return f"Body of page {self.page_id}, revision {self.revision}, for {self.origin}"


class StoredBodyTag(models.Model):
    """One tag a stored body depends on: a change that bumps it deletes the body (found by this index)."""

    body = models.ForeignKey(StoredBody, on_delete=models.CASCADE, related_name="tag_rows")
    tag = models.CharField(max_length=255, db_index=True)

    class Meta:
        verbose_name = "stored article body tag"

    def __str__(self):
        return self.tag
