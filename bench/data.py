"""The data both sides are measured on: the app's PostgreSQL database (``bench_seed``) and Isso's
SQLite database with threads of the same shapes (``isso_seed.py``, in Isso's own virtualenv)."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.config import HOST, WORK, django_env
from bench.services import flush_redis
from bench.shell import output, run, say

HERE = Path(__file__).resolve().parent
ISSO_REQUIREMENTS = HERE / "isso-requirements.txt"
# Isso's threads: comments in all -> (its uri, top-level comments, replies each), the shapes of ours.
ISSO_THREADS = {1_000: ("/bench/thread-1000/", 250, 3), 10_000: ("/bench/thread-10000/", 2_000, 4)}
ISSO_CONFIG = """[general]
dbpath = {dbpath}
host = http://{host}/
notify = stdout
[moderation]
enabled = false
[guard]
enabled = false
"""


def manage(cfg, *args, check=True, env=None, **kwargs):
    return run([sys.executable, "manage.py", *args], env=env or django_env(cfg), check=check, **kwargs)


def database_exists(cfg):
    query = f"SELECT 1 FROM pg_database WHERE datname='{cfg.database}'"  # noqa: S608 - our own setting
    return output(["psql", f"{cfg.pg_server}/postgres", "-tAc", query]).strip() == "1"


def reusable(cfg):
    """A complete data set from an earlier run (``bench_seed --verify``), unless BENCH_FRESH says otherwise."""
    if cfg.fresh or not cfg.manifest.exists() or not database_exists(cfg):
        return False
    manage(cfg, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    return manage(cfg, "bench_seed", "--verify", "--manifest", cfg.manifest, check=False).returncode == 0


def generate(cfg):
    say(f"generating the data set in the database {cfg.database} (BENCH_FRESH=1 forces this)")
    maintenance = f"--maintenance-db={cfg.pg_server}/postgres"
    run(["dropdb", "--if-exists", "--force", maintenance, cfg.database])
    run(["createdb", maintenance, cfg.database])
    shutil.rmtree(WORK / "media", ignore_errors=True)
    manage(cfg, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    manage(cfg, "configure_site")
    manage(cfg, "load_demo")
    manage(cfg, "bench_seed", "--manifest", cfg.manifest, "--articles", cfg.articles)


def prepare_data(cfg):
    """The data set: reused when a complete one is present, else regenerated; then warmed."""
    WORK.mkdir(exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")
    reuse = reusable(cfg)
    started = time.monotonic()
    if not reuse:
        generate(cfg)
    manage(cfg, "collectstatic", "--noinput", stdout=subprocess.DEVNULL)
    manage(cfg, "shell", "-c", "from bench.warm import main; main()", env=django_env(cfg, BENCH_MANIFEST=cfg.manifest))
    flush_redis(cfg)
    data = json.loads(cfg.manifest.read_text())
    data["generated_seconds"] = None if reuse else round(time.monotonic() - started, 1)
    data["reused"] = reuse
    return data


def isso_venv():
    """Isso in its own virtualenv (.bench/isso-venv), reinstalled when isso-requirements.txt changes."""
    venv = WORK / "isso-venv"
    wanted = ISSO_REQUIREMENTS.read_text()
    marker = venv / ".bench-requirements"
    if not (venv / "bin" / "gunicorn").exists() or not marker.exists() or marker.read_text() != wanted:
        say("installing Isso into its own virtualenv (.bench/isso-venv)")
        run(["python3", "-m", "venv", "--clear", venv])
        run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", ISSO_REQUIREMENTS])  # fmt: skip
        marker.write_text(wanted)
    return venv


def prepare_isso(cfg):
    venv = isso_venv()
    home = WORK / "isso"
    home.mkdir(exist_ok=True)
    conf = home / "isso.cfg"
    conf.write_text(ISSO_CONFIG.format(dbpath=home / "comments.db", host=HOST))
    spec = [f"{uri}:{threads}:{replies}" for uri, threads, replies in ISSO_THREADS.values()]
    seeded = home / "seeded.json"
    if cfg.fresh or not seeded.exists() or json.loads(seeded.read_text()) != spec:
        (home / "comments.db").unlink(missing_ok=True)
        run([venv / "bin" / "python", HERE / "isso_seed.py", conf, *spec])
        seeded.write_text(json.dumps(spec))
    version = output([venv / "bin" / "python", "-c", "from importlib.metadata import version; print(version('isso'))"])
    return {"venv": venv, "conf": conf, "version": version, "uris": {n: uri for n, (uri, _, _) in ISSO_THREADS.items()}}
