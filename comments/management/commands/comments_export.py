"""A commenter's data, as JSON, for a data-access request: ``comments_export EMAIL``."""

import json

from django.core.management.base import BaseCommand

from comments.models import ArticleComment


class Command(BaseCommand):
    help = "Export every comment written with an e-mail address, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, email, output=None, **options):
        comments = ArticleComment.objects.filter(user_email__iexact=email).select_related("article").order_by("pk")
        data = [
            {
                "id": comment.pk,
                "article": {
                    "id": comment.article_id,
                    "title": comment.article.title,
                    "url": comment.article.get_full_url(),
                },
                "name": comment.user_name,
                "email": comment.user_email,
                "url": comment.user_url,
                "text": comment.comment,
                "status": comment.status,
                "created": comment.created.isoformat(),
                "followup": comment.followup,
                "client_network": comment.ip_address,
            }
            for comment in comments
        ]
        text = json.dumps({"email": email, "comments": data}, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Wrote {len(data)} comments to {output}.")
        else:
            self.stdout.write(text)
