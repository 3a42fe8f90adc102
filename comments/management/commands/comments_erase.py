"""Erase a commenter's personal data for an erasure request: ``comments_erase EMAIL --yes``.

Name, e-mail, website and client network are blanked and the text removed. Approved comments
become "removed", so replies by other people stay readable under a placeholder; each change of
state is recorded in the audit log.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.log_actions import log

from comments.models import ArticleComment, CommentStatus


class Command(BaseCommand):
    help = "Erase the personal data of every comment written with an e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, email, yes=False, **options):
        comments = ArticleComment.objects.filter(user_email__iexact=email)
        count = comments.count()
        if count == 0:
            self.stdout.write("No comments with that address.")
            return
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"{count} comments would be erased; pass --yes to confirm.")
            if input(f"Erase the personal data of {count} comments? [y/N] ").strip().lower() != "y":
                raise CommandError("Cancelled.")
        with transaction.atomic():
            for comment in comments.select_related(None).select_for_update(of=("self",)):
                previous = comment.status
                comment.user_name = "[erased]"
                comment.user_email = ""
                comment.user_url = ""
                comment.ip_address = None
                comment.followup = False
                comment.comment = ""
                if previous in {CommentStatus.APPROVED, CommentStatus.PENDING}:
                    comment.status = CommentStatus.REMOVED
                    comment.is_public = False
                    comment.is_removed = True
                comment.save()
                if comment.status != previous:
                    log(
                        instance=comment,
                        action="comments.remove",
                        data={"from": previous, "to": comment.status, "reason": "erasure request"},
                    )
        self.stdout.write(f"Erased the personal data of {count} comments.")
