"""Reader comments: django-comments-xtd's threaded comment plus our moderation state.

``ArticleComment`` extends ``XtdComment`` (which keeps threading: ``thread_id``, ``parent_id``,
``level``, ``order``) with the one field public queries filter on, ``status``, and a typed foreign
key to the article, so that nothing can be attached to another model. ``is_public`` and
``is_removed`` of the base model are kept in step by ``comments.services``.
"""

import ipaddress

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import APIToken


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class ArticleComment(XtdComment):
    """A comment or reply on an article. Only ``approved`` ones are ever public."""

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="reader_comments")
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    held_reasons = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Names this follow-up subscription in unsubscribe links (comments/unsubscribe.py): random, so that
    # a link carries no e-mail address. Set when the comment is posted with ``followup``.
    unsubscribe_key = models.CharField(max_length=43, unique=True, null=True, blank=True, editable=False)

    class Meta:
        permissions = [("moderate_comments", "Can moderate reader comments")]
        indexes = [
            models.Index(fields=["status", "created", "xtdcomment_ptr"], name="comment_queue_idx"),
            models.Index(fields=["article", "status"], name="comment_article_status_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {self.comment[:40]}"


class ArticleCommentCounts(models.Model):
    """What an article's public thread counts, stored so that reading it costs the same at 10 comments
    as at 10,000: ``approved`` comments, and ``threads`` with at least one approved comment (a thread
    whose root is not approved shows as a placeholder above its approved replies).

    Kept by ``comments.counts.apply`` in the transaction of every state change; a missing row means
    nothing on the article was ever approved. ``manage.py comments_recount`` repairs it from the rows.
    Plain integers, not positive ones: a drift must never make a moderator's action fail."""

    article = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="comment_counts"
    )
    approved = models.IntegerField(default=0)
    threads = models.IntegerField(default=0)

    class Meta:
        verbose_name = "article comment counts"
        verbose_name_plural = "article comment counts"

    def __str__(self):
        return f"{self.article_id}: {self.approved} approved in {self.threads} threads"


class PublicThread(models.Model):
    """A thread of an article with at least one approved comment: what the public thread lists, in
    ``thread_id`` order, read from this index alone (flat from 10 comments to 10,000, where a
    ``DISTINCT`` over every approved comment grew with them). Kept with ``ArticleCommentCounts``."""

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    thread_id = models.IntegerField()

    class Meta:
        verbose_name = "public comment thread"
        constraints = [models.UniqueConstraint(fields=["article", "thread_id"], name="public_thread_once")]

    def __str__(self):
        return f"{self.article_id}: thread {self.thread_id}"


class CommentReport(models.Model):
    """A reader's report of an approved comment; who reported it is never published."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or hateful"
        OFF_TOPIC = "off_topic", "Off topic"
        PRIVACY = "privacy", "Shares private information"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True, max_length=1000)
    created = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.get_reason_display()} on #{self.comment_id}"


@register_setting(icon="comment")
class ModerationSettings(BaseGenericSetting):
    """Word lists and limits the comment checks use; editable in Settings › Comment moderation."""

    banned_words = models.TextField(
        blank=True, help_text="One word or phrase per line. A comment containing one is refused."
    )
    suspect_words = models.TextField(
        blank=True, help_text="One per line. A comment containing one is held with a reason."
    )
    blocked_email_domains = models.TextField(
        blank=True, help_text="One domain per line (example.com). Comments from them are held."
    )
    max_links = models.PositiveSmallIntegerField(default=2, help_text="A comment with more links than this is held.")

    panels = [
        HelpPanel("Every comment waits for a moderator; these rules refuse or flag some before that."),
        FieldPanel("banned_words"),
        FieldPanel("suspect_words"),
        FieldPanel("blocked_email_domains"),
        FieldPanel("max_links"),
        HelpPanel(
            "Blocked e-mail addresses and client networks are listed in Settings › Blocked commenters; "
            "a moderator blocks one from the queue."
        ),
    ]

    class Meta:
        verbose_name = "Comment moderation"

    @staticmethod
    def _lines(text):
        return [line.strip().lower() for line in text.splitlines() if line.strip()]

    @property
    def banned(self):
        return self._lines(self.banned_words)

    @property
    def suspect(self):
        return self._lines(self.suspect_words)

    @property
    def blocked_domains(self):
        return self._lines(self.blocked_email_domains)


class APITokenExpiry(models.Model):
    """When a moderation API token stops working; Wagtail's ``APIToken`` has no expiry of its own.

    Made with each token (``comments.tokens``), ``COMMENTS_API_TOKEN_LIFETIME_DAYS`` after it;
    blank means never. A token without one expires a lifetime after it was created.
    """

    token = models.OneToOneField(APIToken, on_delete=models.CASCADE, primary_key=True, related_name="expiry")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Blank: the token does not expire.")

    class Meta:
        verbose_name = "API token expiry"
        verbose_name_plural = "API token expiries"

    def __str__(self):
        return f"{self.token}: {self.expires_at or 'never'}"


# The networks client addresses are stored as (``core.client_address.truncate_address``): a block
# on a narrower network could never match a stored or posted one.
STORED_PREFIX = {4: 24, 6: 48}


class BlockedSender(models.Model):
    """A moderator's block on an e-mail address or a client network (as stored: an IPv4 /24, an
    IPv6 /48, or a wider network typed in the admin). A post from a blocked sender is refused with a
    form error that names no block, or held in the queue with a reason, as the block says
    (``comments.rules``). Unblocking keeps the row, inactive, so that its history (Wagtail's audit
    log: who blocked, changed or unblocked it, and when) stays with it."""

    class Kind(models.TextChoices):
        EMAIL = "email", "E-mail address"
        NETWORK = "network", "Client network"

    class Action(models.TextChoices):
        REFUSE = "refuse", "Refuse their comments"
        HOLD = "hold", "Hold their comments for a moderator, with a reason"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(
        max_length=254, help_text="An e-mail address, or a network such as 203.0.113.0/24 or 2001:db8:1::/48."
    )
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.REFUSE)
    active = models.BooleanField(default=True, help_text="Untick to unblock; the history is kept.")
    note = models.CharField(max_length=200, blank=True, help_text="Why (moderators only).")
    created = models.DateTimeField(default=timezone.now, editable=False)

    panels = [FieldPanel("kind"), FieldPanel("value"), FieldPanel("action"), FieldPanel("active"), FieldPanel("note")]

    class Meta:
        verbose_name = "blocked commenter"
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blocked_sender_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @staticmethod
    def normalise(kind, value):
        """The stored form of ``value`` (an e-mail in lower case, a network as ``address/prefix``)."""
        value = (value or "").strip()
        if kind == BlockedSender.Kind.EMAIL:
            validate_email(value)
            return value.lower()
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValidationError("Enter a network such as 203.0.113.0/24 or 2001:db8:1::/48.") from None
        if network.prefixlen > STORED_PREFIX[network.version]:
            raise ValidationError(
                f"Client addresses are kept as their /{STORED_PREFIX[network.version]}: "
                f"block /{STORED_PREFIX[network.version]} or a wider network."
            )
        return str(network)

    def clean(self):
        try:
            self.value = self.normalise(self.kind, self.value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from None


class ModeratorAlert(models.Model):
    """A comment the next moderators' digest e-mail tells of (``comments.digest``), made only while
    the digest is on. One per comment and kind: a comment is in one digest as pending and in one as
    reported, never twice. ``batch`` names the digest run that claimed it."""

    class Kind(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        REPORTED = "reported", "Reported by a reader"

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="moderator_alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created = models.DateTimeField(default=timezone.now)
    batch = models.CharField(max_length=32, blank=True, default="", db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "kind"], name="moderator_alert_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: #{self.comment_id}"
