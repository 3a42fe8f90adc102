"""The backup drill: ``make backup`` then ``make restore`` into an empty database gives back every
page and comment, row for row (counts and a checksum of the rows, compared table by table)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
TABLES = [
    "wagtailcore_page",
    "wagtailcore_revision",
    "articles_articlepage",
    "django_comments",
    "django_comments_xtd_xtdcomment",
    "comments_articlecomment",
    "comments_commentreport",
    "wagtailcore_modellogentry",
    "auth_user",
]

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL")
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fingerprint(dbname):
    """Per table: the number of rows and an MD5 of all of them in primary-key order."""
    config = connection.settings_dict
    args = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"], "dbname": dbname}
    if config.get("PASSWORD"):
        args["password"] = config["PASSWORD"]
    with psycopg.connect(**{k: v for k, v in args.items() if v}) as conn:
        prints = {}
        for table in TABLES:
            pk = _pk(conn, table)
            query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.{}), '')) FROM {} t")
            prints[table] = conn.execute(query.format(sql.Identifier(pk), sql.Identifier(table))).fetchone()
        return prints


def _pk(conn, table):
    row = conn.execute(
        """SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = %s::regclass AND i.indisprimary""",
        [table],
    ).fetchone()
    return row[0]


def manage(*args):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    config = connection.settings_dict
    environment["DATABASE_URL"] = (
        f"postgres://{config['USER']}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"
    )
    environment["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def empty_database():
    name = f"drill_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_identical(
    tmp_path, empty_database, article_factory, make_comment, moderator
):
    from comments.services import comment_reject, report_create

    articles = [article_factory(title=f"Drill {n}", tags=["drill"]) for n in range(3)]
    for n, article in enumerate(articles):
        root = make_comment(article, body=f"Approved words {n}")
        make_comment(article, parent=root, body=f"An approved reply {n}")
        make_comment(article, approve=False, body=f"Still waiting {n}")
        comment_reject(comment=make_comment(article, approve=False, body=f"Not this one {n}"), moderator=moderator)
        report_create(comment=root, reason="spam", detail="A drill report")
    before = fingerprint(connection.settings_dict["NAME"])
    assert before["comments_articlecomment"][0] == 12 and before["articles_articlepage"][0] == 3

    dump = tmp_path / "drill.dump"
    backup = manage("backup", "--output", str(dump))
    assert backup.returncode == 0, backup.stderr
    assert "Backup written" in backup.stdout and dump.stat().st_size > 10_000
    assert "[1] " in backup.stdout  # progress, one counted line per step

    restore = manage("restore", str(dump), "--database", empty_database)
    assert restore.returncode == 0, restore.stderr
    assert fingerprint(empty_database) == before

    again = manage("restore", str(dump), "--database", empty_database)
    assert again.returncode != 0 and "not empty" in again.stderr
    assert fingerprint(empty_database) == before  # a refused restore touches nothing
