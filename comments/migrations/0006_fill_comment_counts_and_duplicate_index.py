"""Fill the stored counts of the articles that have comments (``comments_recount`` does the same later),
and give the duplicate rule (``comments.rules``) an index on django_comments' (ip_address, submit_date).

The index is on django-contrib-comments' table, whose model is not ours, hence RunSQL (the same
statement on SQLite and PostgreSQL); the comment text is too long for a btree and is compared on the
few rows the index leaves.
"""

from django.db import migrations
from django.db.models import Count, Q


def fill(apps, schema_editor):
    ArticleComment = apps.get_model("comments", "ArticleComment")
    ArticleCommentCounts = apps.get_model("comments", "ArticleCommentCounts")
    rows = (
        ArticleComment.objects.filter(status="approved")
        .order_by()
        .values("article_id")
        .annotate(approved=Count("pk"), threads=Count("thread_id", distinct=True))
    )
    ArticleCommentCounts.objects.bulk_create(
        [ArticleCommentCounts(article_id=r["article_id"], approved=r["approved"], threads=r["threads"]) for r in rows],
        batch_size=1000,
        ignore_conflicts=True,
    )


def empty(apps, schema_editor):
    apps.get_model("comments", "ArticleCommentCounts").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_article_comment_counts"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
        migrations.RunSQL(
            "CREATE INDEX comment_duplicate_idx ON django_comments (ip_address, submit_date)",
            "DROP INDEX comment_duplicate_idx",
        ),
    ]
