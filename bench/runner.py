"""``make bench``: generate the data, start everything on loopback, drive wrk, write the report.

Environment (all optional):

| variable | default | what |
| --- | --- | --- |
| ``BENCH_QUICK`` | off | 1 round of 3 s, report in .bench/report/ instead of docs/ |
| ``BENCH_ROUNDS`` | 3 | interleaved rounds: each runs every scenario once; the report takes the median |
| ``BENCH_DURATION`` | 10 | seconds of each wrk run |
| ``BENCH_CONNECTIONS`` | 32 | wrk connections (2 threads) |
| ``BENCH_WARMUP`` | 2 (quick: 1) | seconds of unmeasured load per scenario before the first round |
| ``BENCH_FRESH`` | off | drop and regenerate the data even when a complete data set is present |
| ``BENCH_DB`` | cms_bench | the PostgreSQL database (on 127.0.0.1:5432, user postgres) |
| ``BENCH_REDIS_URL`` | redis://127.0.0.1:6379/5 | the Redis database the app caches in (flushed at start) |
| ``BENCH_ONLY`` | all | comma-separated scenario ids, to try a few |
| ``BENCH_QUIET_BUDGET`` | 300 (quick: 0) | seconds the run may wait, in all, for other processes to leave the CPU |
| ``BENCH_COMPARE_WORKERS`` | on | also run two scenarios on gunicorn's other worker class |
| ``WEB_CONCURRENCY`` | 2 * cores + 1 | gunicorn workers (ours and Isso's) |
"""

import datetime
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from bench import procs, report, wrk
from bench.scenarios import build as build_scenarios

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
HOST = "localhost"
ISSO_REQUIREMENTS = Path(__file__).resolve().parent / "isso-requirements.txt"
ISSO_THREADS = {1_000: ("/bench/thread-1000/", 250, 3), 10_000: ("/bench/thread-10000/", 2_000, 4)}


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


def say(message):
    stamp = time.strftime("%H:%M:%S")
    sys.stdout.write(f"[bench {stamp}] {message}\n")
    sys.stdout.flush()


def run(argv, *, env=None, check=True, quiet=False, **kwargs):
    if not quiet:
        shown = [str(a) if len(str(a)) < 90 else str(a).strip().splitlines()[0][:60] + " …" for a in argv]
        say("$ " + " ".join(shown))
    return subprocess.run([str(a) for a in argv], env=env, check=check, cwd=ROOT, **kwargs)  # noqa: S603


def output(argv, **kwargs):
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False, cwd=ROOT, **kwargs)  # noqa: S603
    return (done.stdout + done.stderr).strip()


# --- services --------------------------------------------------------------------------------------
def ensure_services():
    """PostgreSQL and Redis, started the way .ci/run starts them when they are down (and left running)."""
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode != 0:  # noqa: S607
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, check=False)  # noqa: S607
    if ping.returncode != 0:
        run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
             "--appendonly", "no"])  # fmt: skip
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0:  # noqa: S607
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL did not start")


def redis_db(url):
    return url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") >= 3 else "0"


def flush_redis(cfg):
    run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", redis_db(cfg.redis_url), "flushdb"], quiet=True,
        stdout=subprocess.DEVNULL)  # fmt: skip


# --- the app's environment -----------------------------------------------------------------------
def django_env(cfg, **extra):
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


def manage(cfg, *args, check=True, **kwargs):
    return run([sys.executable, "manage.py", *args], env=django_env(cfg), check=check, **kwargs)


def database_exists(cfg):
    query = f"SELECT 1 FROM pg_database WHERE datname='{cfg.database}'"  # noqa: S608 - our own setting
    found = output(["psql", f"{cfg.pg_server}/postgres", "-tAc", query])
    return found.strip() == "1"


WARM = """
from django.test import Client
import json
manifest = json.load(open({manifest!r}))
client = Client()
for spec in manifest["special"].values():
    for url in ("/api/v2/pages/%d/" % spec["id"], spec["url_path"].removeprefix("/home")):
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, (url, response.status_code)
print("renditions and embeds ready")
"""


def prepare_data(cfg):
    """The data set: reused when a complete one is present (``bench_seed --verify``), else regenerated."""
    WORK.mkdir(exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")
    manifest = WORK / f"{cfg.database}.json"
    reuse = False
    if not cfg.fresh and manifest.exists() and database_exists(cfg):
        manage(cfg, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        reuse = manage(cfg, "bench_seed", "--verify", "--manifest", manifest, check=False).returncode == 0
    started = time.monotonic()
    if not reuse:
        say(f"generating the data set in the database {cfg.database} (BENCH_FRESH=1 forces this)")
        run(["dropdb", "--if-exists", "--force", f"--maintenance-db={cfg.pg_server}/postgres", cfg.database])
        run(["createdb", f"--maintenance-db={cfg.pg_server}/postgres", cfg.database])
        shutil.rmtree(WORK / "media", ignore_errors=True)
        manage(cfg, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage(cfg, "configure_site")
        manage(cfg, "load_demo")
        manage(cfg, "bench_seed", "--manifest", manifest, "--articles", cfg.articles)
    manage(cfg, "collectstatic", "--noinput", stdout=subprocess.DEVNULL)
    manage(cfg, "shell", "-c", WARM.format(manifest=str(manifest)))
    flush_redis(cfg)
    data = json.loads(manifest.read_text())
    data["generated_seconds"] = None if reuse else round(time.monotonic() - started, 1)
    data["reused"] = reuse
    return data


# --- Isso --------------------------------------------------------------------------------------------
def prepare_isso(cfg):
    venv = WORK / "isso-venv"
    wanted = ISSO_REQUIREMENTS.read_text()
    marker = venv / ".bench-requirements"
    if not (venv / "bin" / "gunicorn").exists() or not marker.exists() or marker.read_text() != wanted:
        say("installing Isso into its own virtualenv (.bench/isso-venv)")
        run(["python3", "-m", "venv", "--clear", venv])
        run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", ISSO_REQUIREMENTS])  # fmt: skip
        marker.write_text(wanted)
    home = WORK / "isso"
    home.mkdir(exist_ok=True)
    conf = home / "isso.cfg"
    conf.write_text(
        "[general]\n"
        f"dbpath = {home / 'comments.db'}\n"
        f"host = http://{HOST}/\n"
        "notify = stdout\n"
        "[moderation]\nenabled = false\n"
        "[guard]\nenabled = false\n"
    )
    spec = [f"{uri}:{threads}:{replies}" for uri, threads, replies in ISSO_THREADS.values()]
    seeded = home / "seeded.json"
    if cfg.fresh or not seeded.exists() or json.loads(seeded.read_text()) != spec:
        (home / "comments.db").unlink(missing_ok=True)
        run([venv / "bin" / "python", Path(__file__).resolve().parent / "isso_seed.py", conf, *spec])
        seeded.write_text(json.dumps(spec))
    version = output([venv / "bin" / "python", "-c", "from importlib.metadata import version; print(version('isso'))"])
    return {"venv": venv, "conf": conf, "version": version, "uris": {n: uri for n, (uri, _, _) in ISSO_THREADS.items()}}


# --- servers -----------------------------------------------------------------------------------------
def start_gunicorn(cfg, name, data, *, cache, worker_class=None, frontend_cache_url=""):
    port = procs.free_port()
    extra = {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PUBLIC_CACHE_ENABLED": "1" if cache else "0",
        "FRONTEND_CACHE_URL": frontend_cache_url,
    }
    if worker_class:
        extra["GUNICORN_WORKER_CLASS"] = worker_class
    server = procs.start(
        name,
        [ROOT / ".venv" / "bin" / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py"],
        env=django_env(cfg, **extra),
        log_dir=WORK / "logs",
        port=port,
        cwd=ROOT,
    )
    article = data["special"]["bench-thread-10000"]["id"]
    startup = procs.wait_for_http(
        f"http://127.0.0.1:{port}/api/v2/pages/{article}/", headers={"Host": HOST}, server=server, interval=0.02
    )
    say(f"{name}: gunicorn on 127.0.0.1:{port}, first 200 after {startup:.2f} s")
    return server, startup


def start_isso(cfg, isso):
    port = procs.free_port()
    env = dict(os.environ, ISSO_SETTINGS=str(isso["conf"]))
    server = procs.start(
        "isso",
        [
            isso["venv"] / "bin" / "gunicorn",
            "-w",
            str(cfg.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--preload",
            "isso.run:application",
        ],  # fmt: skip
        env=env,
        log_dir=WORK / "logs",
        port=port,
        cwd=WORK / "isso",
    )
    uri = isso["uris"][1_000]
    startup = procs.wait_for_http(f"http://127.0.0.1:{port}/?uri={uri}&limit=1", server=server)
    say(f"isso: gunicorn on 127.0.0.1:{port}, first 200 after {startup:.2f} s")
    return server


def start_nginx(cfg, app_port, port):
    prefix = WORK / "nginx"
    shutil.rmtree(prefix / "cache", ignore_errors=True)
    prefix.mkdir(parents=True, exist_ok=True)
    conf = output(
        [
            sys.executable,
            ROOT / "deploy" / "render_nginx.py",
            "--listen",
            f"127.0.0.1:{port}",
            "--upstream",
            f"127.0.0.1:{app_port}",
            "--prefix",
            prefix,
            "--static-root",
            WORK / "static",
            "--media-root",
            WORK / "media",
            "--server-name",
            HOST,
        ]  # fmt: skip
    )
    (prefix / "nginx.conf").write_text(conf + "\n")
    argv = ["nginx", "-p", prefix, "-c", prefix / "nginx.conf"]
    if "daemon" not in conf:
        argv += ["-g", "daemon off;"]  # in the foreground: the harness holds and stops its master
    check = output([*argv, "-t"])
    if "successful" not in check:
        raise RuntimeError(f"nginx rejects the rendered configuration:\n{check}")
    server = procs.start("nginx", argv, env=dict(os.environ), log_dir=WORK / "logs", port=port)
    procs.wait_for_http(f"http://127.0.0.1:{port}/static/", server=server, ok=(200, 403, 404))
    say(f"nginx: deploy/nginx.conf.template on 127.0.0.1:{port}, proxying to 127.0.0.1:{app_port}")
    return server


# --- pre-flight: does each scenario measure what it claims? ---------------------------------------------
def request_once(server, scenario, env):
    url = f"http://127.0.0.1:{server.port}{scenario.path}"
    headers = {"Host": HOST}
    for header in scenario.headers:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    data = None
    if scenario.method == "POST":
        headers["Content-Type"] = "application/json"
        body = {
            "page": int(scenario.env["BENCH_PAGE"]),
            "name": "Bench reader",
            "email": "reader@example.com",
            "body": f"Pre-flight comment {time.time_ns()}",
        }
        data = json.dumps(body).encode()
    return procs.http_get(url, headers=headers, data=data, method=scenario.method, timeout=120)


def preflight(scenario, server, article_body):
    expect = scenario.expect
    status, headers, body = request_once(server, scenario, scenario.env)
    if scenario.method == "GET":
        status, headers, body = request_once(server, scenario, scenario.env)
    seen = {k: v for k, v in headers.items() if k.lower() in {"x-cache", "x-proxy-cache", "content-type"}}
    problems = []
    if status != expect.get("status", 200):
        problems.append(f"status {status}")
    if "header" in expect:
        name, value = expect["header"]
        found = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
        if found != value:
            problems.append(f"{name}: {found} (expected {value})")
    if expect.get("uncached"):
        hit = next((v for k, v in headers.items() if k.lower() == "x-cache"), None)
        if hit == "HIT":
            problems.append("served from the app's cache")
    if "same_body_as" in expect and body != article_body:
        problems.append("not the article's bytes")
    if "json_len" in expect:
        key, length = expect["json_len"]
        try:
            parsed = json.loads(body)
            found = len(parsed[key] if key else parsed)
        except (ValueError, KeyError, TypeError):
            found = None
        if found != length:
            problems.append(f"{key or 'list'} has {found} items, not {length}")
    return {
        "status": status,
        "headers": seen,
        "bytes": len(body),
        "ok": not problems,
        "problems": problems,
    }


# --- measuring -------------------------------------------------------------------------------------------
def snapshot(servers, database):
    table = procs.proc_table()
    values = {name: procs.cpu_seconds(server.pid, table) for name, server in servers.items()}
    values["postgres"] = procs.backend_cpu(table, database)
    values["redis"] = procs.cpu_by_name(table, {"redis-server"})
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
    values["wrk"] = usage.ru_utime + usage.ru_stime
    values["machine"] = procs.system_busy_seconds()
    for server in servers.values():
        server.workers(table)  # remember every worker pid seen (replacements after max_requests)
    return values


def wait_idle(server, limit=90):
    """Let requests wrk abandoned at the end finish before the next scenario starts."""
    deadline = time.monotonic() + limit
    previous = procs.cpu_seconds(server.pid, procs.proc_table())
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        time.sleep(0.1)
        current = procs.cpu_seconds(server.pid, procs.proc_table())
        quiet = quiet + 1 if current - previous < 0.015 else 0
        previous = current


QUIET_PCT = 25


def other_load(servers, database, seconds=1.0):
    """Share (%) of the machine's CPU that processes outside the benchmark use right now."""
    before = snapshot(servers, database)
    time.sleep(seconds)
    after = snapshot(servers, database)
    ours = sum(after[n] - before[n] for n in after if n not in ("postgres", "machine"))
    ours += procs.backend_delta(before["postgres"], after["postgres"])
    return max(after["machine"] - before["machine"] - ours, 0.0) * 100 / (seconds * (os.cpu_count() or 1))


class Quiet:
    """Waits, within a budget for the whole run, until other processes leave the CPU (a shared machine:
    another session's test suite). Each wait is recorded; the report shows the load that remained."""

    def __init__(self, budget):
        self.budget = budget
        self.waited = 0.0

    def wait(self, servers, database):
        load = other_load(servers, database)
        if load < QUIET_PCT or self.waited >= self.budget:
            return load
        say(f"    other processes use {load:.0f}% of the CPU: waiting for a quieter machine (budget left "
            f"{self.budget - self.waited:.0f} s)")  # fmt: skip
        started = time.monotonic()
        while load >= QUIET_PCT and self.waited + (time.monotonic() - started) < self.budget:
            time.sleep(4)
            load = other_load(servers, database)
        self.waited += time.monotonic() - started
        return load


def measure(cfg, scenario, servers, database):
    server = servers[scenario.server]
    url = f"http://127.0.0.1:{server.port}{scenario.path}"
    headers = [f"Host: {HOST}", *scenario.headers]
    env = dict(scenario.env, BENCH_NONCE=str(time.time_ns()))
    before = snapshot(servers, database)
    result = wrk.run(
        url,
        duration=max(cfg.duration, scenario.min_duration),
        connections=scenario.connections or cfg.connections,
        threads=cfg.wrk_threads,
        headers=headers,
        lua=scenario.lua,
        env=env,
        work_dir=WORK,
        timeout=60 if scenario.connections else 30,
    )
    after = snapshot(servers, database)
    requests = max(result["requests"], 1)
    delta = {name: after[name] - before[name] for name in after if name != "postgres"}
    delta["postgres"] = procs.backend_delta(before["postgres"], after["postgres"])
    machine = delta.pop("machine")
    ours = sum(delta.values())
    capacity = result["wall_seconds"] * (os.cpu_count() or 1)
    # What the rest of the machine used meanwhile: other users' processes disturb req/s (less so CPU/req).
    result["other_load_pct"] = max(machine - ours, 0.0) * 100 / capacity if capacity else None
    result["wrk_cpu_pct"] = delta["wrk"] * 100 / capacity if capacity else None
    result["cpu_ms"] = delta[scenario.cpu_server] * 1000 / requests
    result["db_ms"] = delta["postgres"] * 1000 / requests
    result["redis_ms"] = delta["redis"] * 1000 / requests
    result["cpu_by_process_ms"] = {name: value * 1000 / requests for name, value in delta.items()}
    wait_idle(servers[scenario.cpu_server])
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(rounds):
    keys = ["rps", "p50_ms", "p99_ms", "cpu_ms", "db_ms", "redis_ms", "other_load_pct", "wrk_cpu_pct"]
    summary = {key: median([r[key] for r in rounds]) for key in keys}
    summary["requests"] = sum(r["requests"] for r in rounds)
    summary["non2xx"] = sum(r["non2xx"] for r in rounds)
    summary["socket_errors"] = sum(r["socket_errors"] for r in rounds)
    summary["bytes_per_response"] = sum(r["bytes"] for r in rounds) / max(summary["requests"], 1)
    processes = {name for r in rounds for name in r["cpu_by_process_ms"]}
    summary["cpu_by_process_ms"] = {n: median([r["cpu_by_process_ms"].get(n) for r in rounds]) for n in processes}
    return summary


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
    env = django_env(
        cfg, BENCH_MANIFEST=WORK / f"{cfg.database}.json", BENCH_INPROCESS_OUT=out, PUBLIC_CACHE_ENABLED="1"
    )
    done = run([sys.executable, "manage.py", "shell", "-c", "from bench.inprocess import main; main()"],
               env=env, check=False)  # fmt: skip
    if done.returncode != 0 or not out.exists():
        say("in-process measurement failed; the report goes without it")
        return {}
    return json.loads(out.read_text())


# --- machine ---------------------------------------------------------------------------------------------
def machine_info(cfg, isso):
    def first_line(text):
        return text.splitlines()[0] if text else "?"

    cpu_model = "?"
    try:
        cpu_model = next(
            line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    mem_gb = None
    try:
        kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        mem_gb = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    os_name = "?"
    try:
        with open("/etc/os-release") as handle:
            found = [line.split("=", 1)[1] for line in handle if line.startswith("PRETTY_NAME")]
        os_name = found[0].strip().strip('"') if found else os_name
    except OSError:
        pass
    redis_version = "?"
    for line in output(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "info", "server"]).splitlines():
        if line.startswith("redis_version:"):
            redis_version = line.split(":", 1)[1].strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu_model,
        "memory_gb": mem_gb,
        "os": os_name,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "wagtail": metadata.version("wagtail"),
        "django-comments-xtd": metadata.version("django-comments-xtd"),
        "gunicorn": metadata.version("gunicorn"),
        "postgresql": output(["psql", f"{cfg.pg_server}/postgres", "-tAc", "SHOW server_version"]) or "?",
        "redis": redis_version,
        "nginx": first_line(output(["nginx", "-v"])).replace("nginx version: ", ""),
        "wrk": wrk.wrk_version() or "?",
        "isso": isso["version"],
        "git": output(["git", "rev-parse", "--short", "HEAD"]) or "?",
    }


# --- the run ---------------------------------------------------------------------------------------------
def main():
    cfg = Config.from_env()
    procs.install_cleanup()
    began = time.monotonic()
    say(
        f"{'quick run' if cfg.quick else 'full run'}: {cfg.rounds} round(s) of {cfg.duration} s per scenario, "
        f"{cfg.connections} connections, {cfg.workers} gunicorn workers ({cfg.worker_class})"
    )
    if shutil.which("wrk") is None or shutil.which("nginx") is None:
        raise SystemExit("bench needs Debian's wrk and nginx-light (apt-get install wrk nginx-light)")
    ensure_services()
    data = prepare_data(cfg)
    isso = prepare_isso(cfg)
    machine = machine_info(cfg, isso)
    setup_seconds = time.monotonic() - began

    try:
        servers, startup = {}, {}
        nginx_port = procs.free_port()
        servers["app"], startup["app"] = start_gunicorn(
            cfg, "app", data, cache=True, frontend_cache_url=f"http://127.0.0.1:{nginx_port}"
        )
        servers["nocache"], startup["nocache"] = start_gunicorn(cfg, "nocache", data, cache=False)
        servers["peers"], startup["peers"] = start_gunicorn(cfg, "peers", data, cache=False)
        if cfg.compare_workers:
            servers["alt"], startup["alt"] = start_gunicorn(cfg, "alt", data, cache=True, worker_class=cfg.alt_class)
        servers["isso"] = start_isso(cfg, isso)
        servers["nginx"] = start_nginx(cfg, servers["app"].port, nginx_port)

        # The physical limit serves the very bytes the API answers for the article.
        article = data["special"]["bench-thread-10000"]["id"]
        status, _, article_body = procs.http_get(
            f"http://127.0.0.1:{servers['app'].port}/api/v2/pages/{article}/", headers={"Host": HOST}
        )
        if status != 200:
            raise RuntimeError(f"the article API answered {status}")
        static_file = WORK / "static" / "bench" / "article.json"
        static_file.parent.mkdir(parents=True, exist_ok=True)
        static_file.write_bytes(article_body)

        scenarios = build_scenarios(
            data,
            isso_uris=isso["uris"],
            compare_workers=cfg.compare_workers,
            alt_class=cfg.alt_class,
            workers=cfg.workers,
        )
        if cfg.only:
            scenarios = [s for s in scenarios if s.id in cfg.only]
        checks = {}
        for scenario in scenarios:
            checks[scenario.id] = preflight(scenario, servers[scenario.server], article_body)
            mark = "ok" if checks[scenario.id]["ok"] else "PROBLEM: " + "; ".join(checks[scenario.id]["problems"])
            say(f"pre-flight {scenario.id}: {checks[scenario.id]['status']} {checks[scenario.id]['headers']} {mark}")
        # Every worker of every server has served each URL before anything is measured.
        for scenario in scenarios:
            if cfg.warmup and not scenario.min_duration:
                say(f"warm-up ({cfg.warmup} s): {scenario.id}")
                warm = replace(scenario, env=dict(scenario.env))
                measure(replace(cfg, duration=cfg.warmup), warm, servers, cfg.database)
        for server in servers.values():
            wait_idle(server)

        results = {s.id: [] for s in scenarios}
        quiet = Quiet(cfg.quiet_budget)
        total = cfg.rounds * len(scenarios)
        done = 0
        for round_number in range(cfg.rounds):
            shift = (round_number * len(scenarios)) // max(cfg.rounds, 1)
            for scenario in scenarios[shift:] + scenarios[:shift]:
                done += 1
                say(f"round {round_number + 1}/{cfg.rounds}, {done}/{total}: {scenario.label}")
                if quiet.budget:
                    quiet.wait(servers, cfg.database)
                result = measure(cfg, scenario, servers, cfg.database)
                results[scenario.id].append(result)
                say(
                    f"    {result['rps']:10.1f} req/s  p50 {result['p50_ms']:8.2f} ms  p99 {result['p99_ms']:8.2f} ms"
                    f"  CPU {result['cpu_ms']:8.3f} ms/req  DB {result['db_ms']:7.3f} ms/req"
                    f"  errors {result['non2xx']}/{result['socket_errors']}  other load {result['other_load_pct']:.0f}%"
                )

        memory = {}
        for name in ("app", "nocache", "peers", "alt", "isso"):
            server = servers.get(name)
            if server is None:
                continue
            table = procs.proc_table()
            workers = server.workers(table)
            memory[name] = {
                "master": procs.memory(server.pid),
                "workers": [procs.memory(pid) for pid in workers],
                "replaced": max(0, len(server.seen_workers) - len(workers)),
            }
    finally:
        procs.stop_all()

    inprocess = in_process(cfg)
    imports = import_time(cfg)
    measured_seconds = time.monotonic() - began - setup_seconds
    summary = {sid: summarize(rounds) for sid, rounds in results.items() if rounds}
    run_info = {
        "config": {
            "quick": cfg.quick,
            "rounds": cfg.rounds,
            "duration": cfg.duration,
            "warmup": cfg.warmup,
            "connections": cfg.connections,
            "wrk_threads": cfg.wrk_threads,
            "workers": cfg.workers,
            "worker_class": cfg.worker_class,
            "alt_class": cfg.alt_class if cfg.compare_workers else None,
            "database": cfg.database,
            "redis": cfg.redis_url,
        },
        "machine": machine,
        "data": data | {"token": "(not recorded)"},
        "startup": startup,
        "inprocess": inprocess,
        "import_seconds": imports,
        "memory": memory,
        "article": {"bytes": len(article_body), "sha256": hashlib.sha256(article_body).hexdigest()},
        "scenarios": [
            {
                "id": s.id,
                "label": s.label,
                "server": s.server,
                "cpu_of": s.cpu_server,
                "group": s.group,
                "method": s.method,
                "path": s.path if "Bearer" not in s.path else "(redacted)",
                "connections": s.connections or cfg.connections,
                "note": s.note,
                "check": checks[s.id],
                "rounds": results[s.id],
                "median": summary.get(s.id),
            }
            for s in scenarios
        ],
        "timing": {
            "setup_seconds": round(setup_seconds),
            "measure_seconds": round(measured_seconds),
            "waited_for_quiet_seconds": round(quiet.waited),
        },
    }
    cfg.out.mkdir(parents=True, exist_ok=True)
    (WORK / "results.json").write_text(json.dumps(run_info, indent=2, default=str) + "\n")
    md, png = report.write(run_info, cfg.out)
    say(f"report: {md} and {png} (raw results: {WORK / 'results.json'})")
    say(f"done in {time.monotonic() - began:.0f} s")
    sys.stdout.write("\n".join(report.target_lines(run_info)) + "\n")
