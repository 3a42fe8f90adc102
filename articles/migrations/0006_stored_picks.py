"""Stored rows now hold the tags' ids and the editor's picks too (``articles/body_store.py``): the rows
kept before are dropped, and the next read of each article builds its row again."""

from django.db import migrations


def forget_stored_bodies(apps, schema_editor):
    apps.get_model("articles", "StoredBody").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_stored_parts")]

    operations = [migrations.RunPython(forget_stored_bodies, migrations.RunPython.noop)]
