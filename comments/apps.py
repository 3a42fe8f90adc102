from django.apps import AppConfig
from django.db.models.signals import post_save


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        """Comments tell the caches and the webhooks what moderation changed, give each API token its
        expiry, and join the groups."""
        from wagtail.models import APIToken

        from comments import schema, tokens, webhook_events  # noqa: F401 - schema registers the Bearer scheme
        from comments.signals import comment_reported, comment_submitted, comments_moderated, invalidate_threads
        from core import groups

        # The caches first, so that a frontend rebuilding on the webhook reads the new thread.
        comments_moderated.connect(invalidate_threads, dispatch_uid="comments.cache")
        comments_moderated.connect(webhook_events.on_comments_moderated, dispatch_uid="comments.webhooks")
        comment_submitted.connect(webhook_events.on_comment_submitted, dispatch_uid="comments.webhooks.pending")
        comment_reported.connect(webhook_events.on_comment_reported, dispatch_uid="comments.webhooks.reported")
        post_save.connect(tokens.give_expiry, sender=APIToken, dispatch_uid="comments.token_expiry")
        groups.grant(
            groups.MODERATORS,
            [
                ("comments", "moderate_comments"),
                ("comments", "change_moderationsettings"),  # the banned and suspect word lists
                ("comments", "view_moderationsettings"),
                # Settings › Blocked commenters (the queue blocks and unblocks too).
                *groups.model_permissions("comments", {"blockedsender": ["add", "change", "delete", "view"]}),
                # Their own API tokens (Settings › API tokens): make, rename, revoke, list.
                *groups.model_permissions("wagtailcore", {"apitoken": ["add", "change", "delete", "view"]}),
            ],
        )
