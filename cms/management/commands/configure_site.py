"""Point the default Wagtail Site at the configured base URL, so canonical links are right.

``make run`` calls it with ``WAGTAILADMIN_BASE_URL=http://127.0.0.1:$PORT``; in production the
operator sets the variable to the public address.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Site


class Command(BaseCommand):
    help = "Set the default site's host and port from WAGTAILADMIN_BASE_URL."

    def handle(self, *args, **options):
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stderr.write("No default site: run migrate first.")
            return
        port = base.port or (443 if base.scheme == "https" else 80)
        if (site.hostname, site.port) != (base.hostname, port):
            site.hostname, site.port = base.hostname, port
            site.save()
        self.stdout.write(f"Default site: {site.root_url}")
