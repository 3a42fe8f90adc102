"""What the report records beside the load: the machine and the software, the application's import
time, and the same requests measured inside Django (bench/inprocess.py)."""

import datetime
import json
import os
import platform
import subprocess
import sys
from importlib import metadata

from bench import wrk
from bench.config import ROOT, WORK, django_env
from bench.shell import output, run, say

IMPORT_PROBE = (
    "import time; w, c = time.perf_counter(), time.process_time(); import cms.wsgi; "
    "print(time.perf_counter() - w, time.process_time() - c)"
)


def import_time(cfg):
    """Seconds (wall, CPU) to import the WSGI application, which gunicorn's master does before forking."""
    samples = []
    for _ in range(3):
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", IMPORT_PROBE], env=django_env(cfg), cwd=ROOT, capture_output=True, text=True
        )
        text = done.stdout.split()
        try:
            samples.append((float(text[-2]), float(text[-1])))
        except (IndexError, ValueError):
            return None
    return {"wall": min(s[0] for s in samples), "cpu": min(s[1] for s in samples)}


def in_process(cfg):
    """CPU and queries per request straight through Django's WSGI handler (bench/inprocess.py)."""
    out = WORK / "inprocess.json"
    out.unlink(missing_ok=True)
    say("in-process: the same requests without an HTTP server (CPU and queries per request)")
    env = django_env(cfg, BENCH_MANIFEST=cfg.manifest, BENCH_INPROCESS_OUT=out, PUBLIC_CACHE_ENABLED="1")
    done = run([sys.executable, "manage.py", "shell", "-c", "from bench.inprocess import main; main()"],
               env=env, check=False)  # fmt: skip
    if done.returncode != 0 or not out.exists():
        say("in-process measurement failed; the report goes without it")
        return {}
    return json.loads(out.read_text())


def read_field(path, prefix, parse, default):
    """``parse`` of what follows ``prefix`` on the first line of ``path`` that starts with it."""
    try:
        with open(path) as handle:
            return next(parse(line[len(prefix) :]) for line in handle if line.startswith(prefix))
    except (OSError, StopIteration, ValueError, IndexError):
        return default


def redis_version():
    for line in output(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "info", "server"]).splitlines():
        if line.startswith("redis_version:"):
            return line.split(":", 1)[1].strip()
    return "?"


def machine_info(cfg, isso):
    nginx = output(["nginx", "-v"])
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": read_field("/proc/cpuinfo", "model name", lambda rest: rest.split(":", 1)[1].strip(), "?"),
        "memory_gb": read_field(
            "/proc/meminfo", "MemTotal", lambda rest: round(int(rest.split()[1]) / 1024**2, 1), None
        ),
        "os": read_field("/etc/os-release", "PRETTY_NAME=", lambda rest: rest.strip().strip('"'), "?"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "wagtail": metadata.version("wagtail"),
        "django-comments-xtd": metadata.version("django-comments-xtd"),
        "gunicorn": metadata.version("gunicorn"),
        "postgresql": output(["psql", f"{cfg.pg_server}/postgres", "-tAc", "SHOW server_version"]) or "?",
        "redis": redis_version(),
        "nginx": (nginx.splitlines()[0] if nginx else "?").replace("nginx version: ", ""),
        "wrk": wrk.wrk_version() or "?",
        "isso": isso["version"],
        "git": output(["git", "rev-parse", "--short", "HEAD"]) or "?",
    }
