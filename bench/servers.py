"""The servers under load, all on loopback (bench/scenarios.py says which scenario goes to which)."""

import os
import shutil
import sys

from bench import procs
from bench.config import HOST, ROOT, WORK, django_env
from bench.shell import output, say

LOGS = WORK / "logs"


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
        log_dir=LOGS,
        port=port,
        cwd=ROOT,
    )
    article = data["special"]["bench-thread-10000"]["id"]
    startup = procs.wait_for_http(
        f"http://127.0.0.1:{port}/api/v2/pages/{article}/", headers={"Host": HOST}, server=server, interval=0.02
    )
    say(f"{name}: gunicorn on 127.0.0.1:{port}, first 200 after {startup:.2f} s")
    return server, startup


def start_granian(cfg, data):
    """The app under granian's WSGI interface, as many workers as gunicorn, the app's cache on."""
    port = procs.free_port()
    argv = [ROOT / ".venv" / "bin" / "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(cfg.workers), "--blocking-threads", "1", "--no-ws", "--log-level", "warning",
            "cms.wsgi:application"]  # fmt: skip
    server = procs.start("granian", argv, env=django_env(cfg, PUBLIC_CACHE_ENABLED="1"), log_dir=LOGS, port=port,
                         cwd=ROOT)  # fmt: skip
    article = data["special"]["bench-thread-10000"]["id"]
    startup = procs.wait_for_http(
        f"http://127.0.0.1:{port}/api/v2/pages/{article}/", headers={"Host": HOST}, server=server, interval=0.02
    )
    say(f"granian: WSGI on 127.0.0.1:{port}, first 200 after {startup:.2f} s")
    return server, startup


def start_isso(cfg, isso):
    port = procs.free_port()
    argv = [isso["venv"] / "bin" / "gunicorn", "-w", str(cfg.workers), "-b", f"127.0.0.1:{port}", "--preload",
            "isso.run:application"]  # fmt: skip
    env = dict(os.environ, ISSO_SETTINGS=str(isso["conf"]))
    server = procs.start("isso", argv, env=env, log_dir=LOGS, port=port, cwd=WORK / "isso")
    uri = isso["uris"][1_000]
    startup = procs.wait_for_http(f"http://127.0.0.1:{port}/?uri={uri}&limit=1", server=server)
    say(f"isso: gunicorn on 127.0.0.1:{port}, first 200 after {startup:.2f} s")
    return server


def nginx_conf(app_port, port, prefix, *, static_root=None, media_root=None, server_name=HOST):
    """deploy/nginx.conf.template as deploy/render_nginx.py renders it for this run."""
    argv = [sys.executable, ROOT / "deploy" / "render_nginx.py", "--listen", f"127.0.0.1:{port}",
            "--upstream", f"127.0.0.1:{app_port}", "--prefix", prefix, "--static-root",
            static_root or WORK / "static", "--media-root", media_root or WORK / "media",
            "--server-name", server_name]  # fmt: skip
    return output(argv)


def start_nginx(app_port, port, *, name="nginx", prefix=None, log_dir=LOGS, **roots):
    """nginx from the reference template, in the foreground, its cache emptied; ``roots`` are
    ``nginx_conf``'s ``static_root``, ``media_root`` and ``server_name``."""
    prefix = prefix or WORK / "nginx"
    shutil.rmtree(prefix / "cache", ignore_errors=True)
    prefix.mkdir(parents=True, exist_ok=True)
    conf = nginx_conf(app_port, port, prefix, **roots)
    (prefix / "nginx.conf").write_text(conf + "\n")
    argv = ["nginx", "-p", prefix, "-c", prefix / "nginx.conf"]
    if "daemon" not in conf:
        argv += ["-g", "daemon off;"]  # in the foreground: the harness holds and stops its master
    check = output([*argv, "-t"])
    if "successful" not in check:
        raise RuntimeError(f"nginx rejects the rendered configuration:\n{check}")
    server = procs.start(name, argv, env=dict(os.environ), log_dir=log_dir, port=port)
    procs.wait_for_http(f"http://127.0.0.1:{port}/static/", server=server, ok=(200, 403, 404))
    say(f"{name}: deploy/nginx.conf.template on 127.0.0.1:{port}, proxying to 127.0.0.1:{app_port}")
    return server


def start_all(cfg, data, isso):
    """Every server, and the seconds each gunicorn took to its first 200 ({name: server}, {name: seconds})."""
    servers, startup = {}, {}
    nginx_port = procs.free_port()
    servers["app"], startup["app"] = start_gunicorn(
        cfg, "app", data, cache=True, frontend_cache_url=f"http://127.0.0.1:{nginx_port}"
    )
    servers["nocache"], startup["nocache"] = start_gunicorn(cfg, "nocache", data, cache=False)
    servers["peers"], startup["peers"] = start_gunicorn(cfg, "peers", data, cache=False)
    if cfg.compare_workers:
        servers["alt"], startup["alt"] = start_gunicorn(cfg, "alt", data, cache=True, worker_class=cfg.alt_class)
        servers["granian"], startup["granian"] = start_granian(cfg, data)
    servers["isso"] = start_isso(cfg, isso)
    servers["nginx"] = start_nginx(servers["app"].port, nginx_port)
    return servers, startup


def publish_article(servers, data):
    """The physical limit serves the very bytes the API answers for the article: written under /static/."""
    article = data["special"]["bench-thread-10000"]["id"]
    status, _, body = procs.http_get(
        f"http://127.0.0.1:{servers['app'].port}/api/v2/pages/{article}/", headers={"Host": HOST}
    )
    if status != 200:
        raise RuntimeError(f"the article API answered {status}")
    static_file = WORK / "static" / "bench" / "article.json"
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(body)
    return body


def memory(servers):
    """Resident and proportional memory (VmRSS, Pss from /proc/PID/smaps_rollup) of each server's master and
    workers, after the load."""
    found = {}
    for name in ("app", "nocache", "peers", "alt", "granian", "isso"):
        server = servers.get(name)
        if server is None:
            continue
        workers = server.workers(procs.proc_table())
        found[name] = {
            "master": procs.memory(server.pid),
            "workers": [procs.memory(pid) for pid in workers],
            "replaced": max(0, len(server.seen_workers) - len(workers)),
        }
    return found
