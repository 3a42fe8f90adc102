"""``make restore FILE=…``: load a dump written by ``make backup`` into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from cms.pgtools import libpq_environment, run_with_progress


def table_count(environment):
    import psycopg

    with psycopg.connect("", **_connect_args(environment)) as connection:
        return connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]


def _connect_args(environment):
    names = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password", "PGDATABASE": "dbname"}
    return {argument: environment[variable] for variable, argument in names.items() if environment.get(variable)}


class Command(BaseCommand):
    help = "Restore a pg_dump from `make backup` into an empty database (the configured one, or --database)."

    def add_arguments(self, parser):
        parser.add_argument("dump", help="The .dump file written by `make backup`.")
        parser.add_argument(
            "--database", help="Name of another, empty database on the same server to restore into instead."
        )

    def handle(self, *args, **options):
        dump = Path(options["dump"])
        if not dump.is_file():
            raise CommandError(f"No such dump: {dump}")
        environment = libpq_environment(database=options["database"])
        connections.close_all()
        if table_count(environment):
            raise CommandError(
                f"Database {environment['PGDATABASE']!r} is not empty: restore only into an empty database, "
                "so that nothing stored is overwritten (createdb a new one and pass --database)."
            )
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--verbose",
        ]
        command += [f"--dbname={environment['PGDATABASE']}", str(dump)]
        steps = run_with_progress(command, environment, self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Restored {dump} into {environment['PGDATABASE']!r} ({steps} steps)"))
