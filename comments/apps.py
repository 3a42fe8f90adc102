from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        """Comments tell the caches and the webhooks what moderation changed, and join the groups."""
        from comments import schema, webhook_events  # noqa: F401 - schema registers the Bearer scheme
        from comments.signals import comment_moderated, invalidate_thread
        from core import groups

        # The caches first, so that a frontend rebuilding on the webhook reads the new thread.
        comment_moderated.connect(invalidate_thread, dispatch_uid="comments.cache")
        comment_moderated.connect(webhook_events.on_comment_moderated, dispatch_uid="comments.webhooks")
        groups.grant(
            groups.MODERATORS,
            [
                ("comments", "moderate_comments"),
                ("comments", "change_moderationsettings"),  # the banned and suspect word lists
                ("comments", "view_moderationsettings"),
            ],
        )
