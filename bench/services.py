"""PostgreSQL and Redis on 127.0.0.1, started the way .ci/run starts them when they are down (and left
running), and the tools the harness needs."""

import os
import shutil
import subprocess
import time

from bench.shell import run, succeeds

PG_READY = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]
REDIS_CLI = ["redis-cli", "-h", "127.0.0.1", "-p", "6379"]


def require_tools():
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"bench needs {' and '.join(missing)}: `make bench` installs Debian's wrk, nginx-light and "
            "libnginx-mod-http-cache-purge when they are missing"
        )


def ensure_postgres():
    """PostgreSQL on 127.0.0.1:5432, started as .ci/run starts it when it is down (and left running)."""
    if succeeds(PG_READY):
        return
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
    for _ in range(30):
        if succeeds(PG_READY):
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL did not start")


def ensure_services():
    if not succeeds([*REDIS_CLI, "ping"]):
        run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
             "--appendonly", "no"])  # fmt: skip
    ensure_postgres()


def redis_db(url):
    return url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") >= 3 else "0"


def flush_redis(cfg):
    run([*REDIS_CLI, "-n", redis_db(cfg.redis_url), "flushdb"], quiet=True, stdout=subprocess.DEVNULL)
