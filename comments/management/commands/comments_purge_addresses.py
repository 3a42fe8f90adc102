"""Blank stored client networks older than the retention time (``COMMENTS_ADDRESS_RETENTION_DAYS``)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import ArticleComment

BATCH = 1000


class Command(BaseCommand):
    help = "Forget the client network of comments older than N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.COMMENTS_ADDRESS_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        old = ArticleComment.objects.filter(created__lt=cutoff, ip_address__isnull=False)
        total = old.count()
        done = 0
        while True:
            ids = list(old.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            done += ArticleComment.objects.filter(pk__in=ids).update(ip_address=None)
            self.stdout.write(f"\r{done}/{total} addresses purged", ending="")
            self.stdout.flush()
        self.stdout.write(f"\rPurged the client address of {done} comments older than {days} days.")
