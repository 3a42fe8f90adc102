"""Database settings for large sites, from the environment: PgBouncer in transaction mode needs
connections closed after each request (``DATABASE_CONN_MAX_AGE=0``) and no server-side cursors
(``DATABASE_DISABLE_SERVER_SIDE_CURSORS=1``).

Each case is a fresh process with its own environment, as a server starts. The cursor test runs on
the PostgreSQL server on 127.0.0.1:5432 (its ``postgres`` database, read only), whatever database the
suite runs on: server-side cursors are PostgreSQL's.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
VARIABLES = {"DATABASE_URL", "CONN_MAX_AGE", "DATABASE_CONN_MAX_AGE", "DATABASE_DISABLE_SERVER_SIDE_CURSORS"}

# Inside a transaction, QuerySet.iterator() has read its first row; then PostgreSQL's own list of the
# session's open cursors (pg_cursors). The model is PostgreSQL's catalogue of databases, which every
# server has.
SCRIPT = """
import json, django
django.setup()
from django.db import connection, models, transaction

class Database(models.Model):
    oid = models.IntegerField(primary_key=True)
    datname = models.CharField(max_length=64)

    class Meta:
        app_label = "core"
        managed = False
        db_table = "pg_database"

config = connection.settings_dict
with transaction.atomic():
    rows = Database.objects.order_by("oid").iterator(chunk_size=1)
    next(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        open_cursors = cursor.fetchone()[0]
print(json.dumps({
    "CONN_MAX_AGE": config["CONN_MAX_AGE"],
    "DISABLE_SERVER_SIDE_CURSORS": config["DISABLE_SERVER_SIDE_CURSORS"],
    "server_side_cursors": open_cursors,
}))
"""


def database_settings(**env):
    environment = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.test", DATABASE_URL=POSTGRES, **env)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_connections_are_kept_and_iterators_use_server_side_cursors():
    assert database_settings() == {"CONN_MAX_AGE": 60, "DISABLE_SERVER_SIDE_CURSORS": False, "server_side_cursors": 1}


def test_behind_pgbouncer_in_transaction_mode():
    found = database_settings(DATABASE_CONN_MAX_AGE="0", DATABASE_DISABLE_SERVER_SIDE_CURSORS="1")
    assert found == {"CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True, "server_side_cursors": 0}


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"CONN_MAX_AGE": "0"}, 0), ({"CONN_MAX_AGE": "0", "DATABASE_CONN_MAX_AGE": "30"}, 30)],
)
def test_conn_max_age_is_the_older_name(env, expected):
    assert database_settings(**env)["CONN_MAX_AGE"] == expected
