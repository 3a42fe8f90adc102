"""Forget every response in the public cache, and purge what the HTTP cache in front may hold.

For changes made behind the app's back (a bulk ``QuerySet.update()``, a restore from backup): every
change made through the admin, the API or the services invalidates exactly what it touched already.
"""

from django.core.management.base import BaseCommand

from core import cache


class Command(BaseCommand):
    help = "Empty the public response cache and purge the URLs the HTTP cache may hold."

    def handle(self, *args, **options):
        purged = cache.invalidate_everything()
        self.stdout.write(f"Public cache emptied; {purged} URL(s) purged from the HTTP cache.")
