"""``python -m drill``: start the whole deployment on loopback, run the five scenarios in order, print
their figures and a PASS or FAIL each; exit 1 if any failed. Everything started is stopped at exit,
on a failure and on Ctrl-C too (bench/procs.py). docs/deployment.md, "Drill", says how to read it."""

import collections
import os
import secrets
import shutil
import subprocess
import sys
import time

from bench import procs, shell
from bench.services import ensure_postgres
from bench.shell import say
from drill import data
from drill.comments import comment_approved
from drill.config import LOGS, Config, app_env
from drill.faults import redis_outage, server_killed
from drill.publish import editor_publishes, scheduled_publish
from drill.report import run_scenario, summary
from drill.stack import Stack, pick_ports


def require_tools():
    missing = [tool for tool in ("nginx", "redis-server", "psql", "createdb") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"the drill needs {', '.join(missing)}: `make drill` installs them")


def django_here(env):
    """The drill itself reads the database (to find what it made) with the servers' settings."""
    os.environ.update(env)
    import django

    django.setup()


def start(cfg):
    (LOGS / "drill-errors.log").unlink(missing_ok=True)
    ports = pick_ports()
    stack = Stack(ports=ports, env=app_env(cfg, ports, secrets.token_urlsafe(50)))
    stack.start_redis()
    stack.start_s3()
    seed = data.prepare(cfg, stack.env, secrets.token_urlsafe(16))
    stack.start_apps()
    django_here(stack.env)
    return stack, seed


def background(stack):
    """What the task worker and the scheduler did meanwhile (figures, no verdict)."""
    from django_tasks_db.models import DBTaskResult

    tasks = collections.Counter(DBTaskResult.objects.values_list("task_path", "status"))
    shown = ", ".join(f"{path.rsplit('.', 1)[-1]} {status} {n}" for (path, status), n in sorted(tasks.items()))
    say(f"task worker: {sum(tasks.values())} task results: {shown or 'none'}")
    runs = stack.servers["scheduler"].log.read_text(errors="replace").count("publish_scheduled: ")
    say(f"scheduler: publish_scheduled ran {runs} times")


def scenarios(cfg):
    return [
        (1, "an editor publishes an article with an image through A; a reader sees both through B at once",
         editor_publishes, ()),
        (2, "a comment posted through B and approved on A is visible through both caches at once",
         comment_approved, ()),
        (3, f"an article scheduled {cfg.schedule_lead} s ahead goes live by itself, purged from both caches",
         scheduled_publish, (cfg,)),
        (4, "A killed with SIGKILL during a posting load: no 202 lost, no 5xx on B's path",
         server_killed, (cfg,)),
        (5, "Redis stopped and restarted during a read load on B: no 5xx", redis_outage, (cfg,)),
    ]  # fmt: skip


def main(argv=None):
    cfg = Config.from_args(argv)
    shell.TAG = "drill"
    procs.install_cleanup()
    began = time.monotonic()
    say(f"{'short' if cfg.short else 'full'} drill, run {cfg.run_id}")
    require_tools()
    ensure_postgres()
    try:
        try:
            stack, seed = start(cfg)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            say(f"FAIL: the deployment did not start: {exc}")
            sys.exit(1)
        say(f"everything up after {time.monotonic() - began:.0f} s")
        state = {"run_id": cfg.run_id}
        results = [run_scenario(n, title, fn, stack, seed, state, *args) for n, title, fn, args in scenarios(cfg)]
        background(stack)
    finally:
        procs.stop_all()
    failed = summary(results, time.monotonic() - began)
    sys.exit(1 if failed else 0)
