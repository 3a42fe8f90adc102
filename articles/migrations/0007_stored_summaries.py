"""Stored rows now hold each article's related-post summary too (``articles/body_store.py``): the rows
kept before are dropped, and the next read of each article builds its row again."""

from django.db import migrations


def forget_stored_bodies(apps, schema_editor):
    apps.get_model("articles", "StoredBody").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_stored_picks")]

    operations = [migrations.RunPython(forget_stored_bodies, migrations.RunPython.noop)]
