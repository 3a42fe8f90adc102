"""What a ``make bench`` run does, from the environment (all optional):

| variable | default | what |
| --- | --- | --- |
| ``BENCH_QUICK`` | off | 1 round of 3 s, report in .bench/report/ instead of docs/ |
| ``BENCH_ROUNDS`` | 3 | interleaved rounds: each runs every scenario once; the report takes the median |
| ``BENCH_DURATION`` | 10 | seconds of each wrk run |
| ``BENCH_CONNECTIONS`` | 32 | wrk connections (2 threads) |
| ``BENCH_WARMUP`` | 2 (quick: 1) | seconds of unmeasured load per scenario before the first round |
| ``BENCH_FRESH`` | off | drop and regenerate the data even when a complete data set is present |
| ``BENCH_DB`` | cms_bench | the PostgreSQL database (on 127.0.0.1:5432, user postgres) |
| ``BENCH_PG`` | postgres://postgres@127.0.0.1:5432 | the PostgreSQL server |
| ``BENCH_REDIS_URL`` | redis://127.0.0.1:6379/5 | the Redis database the app caches in (flushed at start) |
| ``BENCH_ONLY`` | all | comma-separated scenario ids, to try a few |
| ``BENCH_QUIET_BUDGET`` | 300 (quick: 0) | seconds the run may wait, in all, for other processes to leave the CPU |
| ``BENCH_COMPARE_WORKERS`` | on | also run two scenarios on gunicorn's other worker class |
| ``BENCH_ARTICLES`` | 40 | articles ``bench_seed`` generates |
| ``BENCH_OUT`` | docs/ (quick: .bench/report/) | where the report goes |
| ``GUNICORN_WORKER_CLASS`` | sync | the reference worker class (the other one is the comparison) |
| ``WEB_CONCURRENCY`` | 2 * cores + 1 | gunicorn workers (ours and Isso's) |
"""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
HOST = "localhost"


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass
class Config:
    quick: bool
    rounds: int
    duration: int
    warmup: int
    quiet_budget: float
    connections: int
    wrk_threads: int
    fresh: bool
    database: str
    pg_server: str
    redis_url: str
    workers: int
    worker_class: str
    alt_class: str
    compare_workers: bool
    only: set
    articles: int
    out: Path

    @classmethod
    def from_env(cls):
        quick = env_flag("BENCH_QUICK")
        worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
        out = os.environ.get("BENCH_OUT") or (WORK / "report" if quick else ROOT / "docs")
        return cls(
            quick=quick,
            rounds=env_int("BENCH_ROUNDS", 1 if quick else 3),
            duration=env_int("BENCH_DURATION", 3 if quick else 10),
            warmup=env_int("BENCH_WARMUP", 1 if quick else 2),
            quiet_budget=env_int("BENCH_QUIET_BUDGET", 0 if quick else 300),
            connections=env_int("BENCH_CONNECTIONS", 32),
            wrk_threads=2,
            fresh=env_flag("BENCH_FRESH"),
            database=os.environ.get("BENCH_DB", "cms_bench"),
            pg_server=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
            redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
            workers=env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1),
            worker_class=worker_class,
            alt_class="gthread" if worker_class == "sync" else "sync",
            compare_workers=env_flag("BENCH_COMPARE_WORKERS", True),
            only={s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()},
            articles=env_int("BENCH_ARTICLES", 40),
            out=Path(out),
        )

    @property
    def manifest(self):
        """What ``bench_seed`` wrote about the data set (page ids, the moderator's token)."""
        return WORK / f"{self.database}.json"

    def recorded(self):
        """The configuration as the results record it."""
        return {
            "quick": self.quick,
            "rounds": self.rounds,
            "duration": self.duration,
            "warmup": self.warmup,
            "connections": self.connections,
            "wrk_threads": self.wrk_threads,
            "workers": self.workers,
            "worker_class": self.worker_class,
            "alt_class": self.alt_class if self.compare_workers else None,
            "database": self.database,
            "redis": self.redis_url,
        }


def django_env(cfg, **extra):
    """The environment of every process that runs the app: the bench settings on the bench database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.bench",
        DATABASE_URL=f"{cfg.pg_server}/{cfg.database}",
        REDIS_URL=cfg.redis_url,
        CACHE_KEY_PREFIX="bench",
        MEDIA_ROOT=str(WORK / "media"),
        STATIC_ROOT=str(WORK / "static"),
        WAGTAILADMIN_BASE_URL=f"http://{HOST}",
        WAGTAILAPI_BASE_URL=f"http://{HOST}",
        SECRET_KEY="bench-only-not-a-secret",  # noqa: S106
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY=str(cfg.workers),
        FRONTEND_CACHE_URL="",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env
