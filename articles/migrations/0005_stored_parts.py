"""Stored rows now hold every part an article's revision fixes (``articles/body_store.py``), not the body
alone: the rows kept before are dropped, and the next read of each article builds its row again."""

from django.db import migrations


def forget_stored_bodies(apps, schema_editor):
    apps.get_model("articles", "StoredBody").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_rich_text_sanitized")]

    operations = [migrations.RunPython(forget_stored_bodies, migrations.RunPython.noop)]
