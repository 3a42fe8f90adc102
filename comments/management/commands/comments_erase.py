"""Erase a commenter's personal data for an erasure request: ``comments_erase EMAIL --yes``.

The work is ``comments.services.comments_erase`` (what happens to each field is said there): the
same transactions, audit log, cache invalidation and webhooks as a moderator's action.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from comments.models import ArticleComment
from comments.services import ERASE_BATCH_SIZE, comments_erase


class Command(BaseCommand):
    help = "Erase the personal data of every comment written with an e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--actor", metavar="USERNAME", help="the user the audit log records as erasing")
        parser.add_argument(
            "--batch-size", type=int, default=ERASE_BATCH_SIZE, help="comments per transaction (default: %(default)s)"
        )

    def handle(self, *args, email, yes=False, actor=None, batch_size=ERASE_BATCH_SIZE, **options):
        email = email.strip()
        if not email:
            raise CommandError("Give the commenter's e-mail address.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        user = None
        if actor is not None:
            User = get_user_model()
            user = User.objects.filter(**{User.USERNAME_FIELD: actor}).first()
            if user is None:
                raise CommandError(f"No user {actor}.")
        count = ArticleComment.objects.filter(user_email__iexact=email).count()
        if count == 0:
            self.stdout.write("No comments with that address.")
            return
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"{count} comments would be erased; pass --yes to confirm.")
            if input(f"Erase the personal data of {count} comments? [y/N] ").strip().lower() != "y":
                raise CommandError("Cancelled.")

        def report(done):
            self.stdout.write(f"Erased {done} of {count} comments")

        progress = report if count > batch_size else None
        erased = comments_erase(email=email, actor=user, batch_size=batch_size, progress=progress)
        self.stdout.write(f"Erased the personal data of {erased} comments.")
