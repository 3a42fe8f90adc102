"""Recompute the stored comment counts from the rows: ``comments_recount [--article ID]``.

The services keep ``ArticleCommentCounts`` in step with every state change (``comments.counts``);
this repairs them after anything that went around the services (a restore, a bulk load, a manual
fix in the database). Safe to run at any time: each article is recounted in its own short
transaction with its counts row locked, so a moderator acting meanwhile is neither lost nor counted
twice. It says which articles it fixed.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.models import ArticlePage
from comments.counts import recount


class Command(BaseCommand):
    help = "Recompute each article's stored comment counts (approved comments, public threads) from the rows."

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, metavar="ID", help="only this article (page id)")

    def handle(self, *args, article=None, **options):
        if article is not None and not ArticlePage.objects.filter(pk=article).exists():
            raise CommandError(f"No article {article}.")
        ids = [article] if article is not None else None

        def report(done, total):
            if total > 1 and (done % 100 == 0 or done == total):
                self.stdout.write(f"Recounted {done} of {total} articles")

        fixed = recount(ids, progress=report)
        for article_id, (approved, threads), (new_approved, new_threads) in fixed:
            self.stdout.write(
                f"Article {article_id}: {approved} → {new_approved} approved, {threads} → {new_threads} threads"
            )
        self.stdout.write(f"Fixed {len(fixed)} articles." if fixed else "Every count was right.")
