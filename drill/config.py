"""What a drill run does, from its command line and the environment (all optional).

| option or variable | default | what |
| --- | --- | --- |
| ``--short`` | off | the form .ci/run uses: the scheduled article 20 s ahead, 5 s of posting, 2 s read phases |
| ``--fresh`` | off | migrate the template database again even when its migrations have not changed |
| ``DRILL_DB`` | cms_drill | the PostgreSQL database (dropped and created anew on every run) |
| ``DRILL_PG`` | postgres://postgres@127.0.0.1:5432 | the PostgreSQL server |
| ``DRILL_WORKERS`` | 2 | gunicorn workers of each app server |

Everything else the drill starts itself, on loopback ports the kernel picks: its own Redis, moto's S3
server, two gunicorn servers (A and B) on the production settings, an nginx in front of each, the
task worker and the scheduler.
"""

import argparse
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".drill"
LOGS = WORK / "logs"
PYTHON = ROOT / ".venv" / "bin" / "python"
BUCKET = "drill-media"


@dataclass
class Config:
    short: bool
    fresh: bool
    database: str
    pg_server: str
    workers: int
    schedule_lead: int  # seconds between the scheduling and the go-live time of scenario 3
    scheduler_seconds: int  # SCHEDULER_PUBLISH_SECONDS of the scheduler
    post_seconds: float  # scenario 4's posting load
    post_threads: int
    read_phase_seconds: float  # scenario 5: each of before / Redis down / after
    read_threads: int
    run_id: str  # in every comment body and title the run makes, to find them again

    @classmethod
    def from_args(cls, argv=None):
        parser = argparse.ArgumentParser(prog="python -m drill", description=__doc__.split("\n")[0])
        parser.add_argument("--short", action="store_true", help="the short form (.ci/run)")
        parser.add_argument("--fresh", action="store_true", help="rebuild the migrated template database")
        args = parser.parse_args(argv)
        return cls(
            short=args.short,
            fresh=args.fresh,
            database=os.environ.get("DRILL_DB", "cms_drill"),
            pg_server=os.environ.get("DRILL_PG", "postgres://postgres@127.0.0.1:5432"),
            workers=int(os.environ.get("DRILL_WORKERS", "2")),
            schedule_lead=20 if args.short else 60,
            scheduler_seconds=5,
            post_seconds=5.0 if args.short else 10.0,
            post_threads=4,
            read_phase_seconds=2.0 if args.short else 4.0,
            read_threads=4,
            run_id=secrets.token_hex(4),
        )

    @property
    def database_url(self):
        return f"{self.pg_server}/{self.database}"


def app_env(cfg, ports, secret_key, **extra):
    """The environment of every process that runs the app: the production settings, on loopback."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=cfg.database_url,
        REDIS_URL=f"redis://127.0.0.1:{ports['redis']}/0",
        # Plain HTTP on loopback: no redirect to https and no HSTS (the bench does the same).
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        TRUSTED_PROXY_COUNT="1",
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "media"),
        WAGTAILADMIN_BASE_URL="http://localhost",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{ports['s3']}",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="drill",
        AWS_SECRET_ACCESS_KEY="drill",  # noqa: S106 - moto's server takes any key
        # Both nginx caches are purged on every invalidation (FRONTEND_CACHE_URLS, one URL each).
        FRONTEND_CACHE_URLS=f"http://127.0.0.1:{ports['nginx_a']},http://127.0.0.1:{ports['nginx_b']}",
        SCHEDULER_PUBLISH_SECONDS=str(cfg.scheduler_seconds),
        # All the drill's readers post from 127.0.0.1: the per-address limit is not what it measures.
        COMMENTS_RATE_LIMIT="100000/min",
        COMMENTS_REFUSED_RATE_LIMIT="100000/min",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        WEB_CONCURRENCY=str(cfg.workers),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env
