"""pg_dump and pg_restore for ``make backup`` and ``make restore``.

PostgreSQL's own tools in their custom format, not a JSON ``dumpdata``: they keep sequences,
constraints and the exact rows, and restore in one pass. Connection details come from Django's
``DATABASES`` (so from ``DATABASE_URL``) and reach the tools through libpq's ``PG*`` variables, so no
password appears on a command line.
"""

import os
import subprocess

from django.core.management.base import CommandError
from django.db import connections


def libpq_environment(alias="default", database=None):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise CommandError(
            "Backups are PostgreSQL dumps: set DATABASE_URL=postgres://… (with SQLite, copy db.sqlite3)."
        )
    config = connection.settings_dict
    environment = dict(os.environ)
    for variable, value in [
        ("PGHOST", config.get("HOST")),
        ("PGPORT", str(config.get("PORT") or "")),
        ("PGUSER", config.get("USER")),
        ("PGPASSWORD", config.get("PASSWORD")),
        ("PGDATABASE", database or config["NAME"]),
    ]:
        if value:
            environment[variable] = value
    return environment


def run_with_progress(command, environment, write):
    """Run a ``--verbose`` pg tool, echoing one counted line per object it reports."""
    process = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True)  # noqa: S603
    count = 0
    for line in process.stderr:
        line = line.rstrip()
        if not line:
            continue
        count += 1
        write(f"[{count}] {line.split(': ', 1)[-1]}")
    if process.wait() != 0:
        raise CommandError(f"{command[0]} failed (exit {process.returncode}); see the lines above.")
    return count
