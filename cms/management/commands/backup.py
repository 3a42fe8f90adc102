"""``make backup``: a PostgreSQL dump of the whole database, in pg_dump's custom format."""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.pgtools import libpq_environment, run_with_progress


class Command(BaseCommand):
    help = "Write a pg_dump (custom format) of the database to backups/ or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: backups/cms-<UTC time>.dump).")

    def handle(self, *args, **options):
        environment = libpq_environment()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or Path(settings.BASE_DIR) / "backups" / f"cms-{stamp}.dump")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--verbose", f"--file={partial}"]
        objects = run_with_progress(command, environment, self.stdout.write)
        partial.replace(output)  # a dump that stopped halfway never looks like a backup
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {output} ({output.stat().st_size:,} bytes, {objects} steps)")
        )
