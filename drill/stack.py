"""The drill's servers, all on loopback, each started in its own process group and stopped at exit
(bench/procs.py): Redis, moto's S3 server, gunicorn A and B, an nginx in front of each, the task
worker and the scheduler. Every start waits for a readiness check, never a fixed sleep."""

import socket
import time
from dataclasses import dataclass, field

import boto3

from bench import procs
from bench.servers import start_nginx
from bench.shell import say
from drill.config import BUCKET, LOGS, PYTHON, ROOT, WORK

PORT_NAMES = ("redis", "s3", "app_a", "app_b", "nginx_a", "nginx_b")


def pick_ports():
    ports = {}
    while len(set(ports.values())) < len(PORT_NAMES):
        ports = {name: procs.free_port() for name in PORT_NAMES}
    return ports


def wait_until(check, *, what, server=None, timeout=60, interval=0.05):
    """Poll ``check()`` until it is true; the seconds it took. A server that exits meanwhile fails it."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if server is not None and not server.alive():
            raise RuntimeError(f"{server.name} exited while waiting for {what}:\n{server.log_tail()}")
        try:
            if check():
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(interval)
    raise RuntimeError(f"no {what} within {timeout} s\n{server.log_tail() if server else ''}")


def log_says(server, text):
    return lambda: text in server.log.read_text(errors="replace")


@dataclass
class Stack:
    ports: dict
    env: dict
    servers: dict = field(default_factory=dict)

    def url(self, name, path=""):
        """``name`` is a port name: nginx_a / nginx_b (the public paths), app_a / app_b (gunicorn itself)."""
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def redis_answers(self):
        """One PING on a plain socket: redis-py's client retries with a backoff, which would blur when
        Redis went down or came back by seconds."""
        try:
            with socket.create_connection(("127.0.0.1", self.ports["redis"]), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start_redis(self):
        port = self.ports["redis"]
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        server = self.servers["redis"] = procs.start("redis", argv, env=self.env, log_dir=LOGS, port=port)
        seconds = wait_until(self.redis_answers, what="Redis PONG", server=server)
        say(f"redis: 127.0.0.1:{port}, PONG after {seconds:.2f} s")
        return server

    def stop_redis(self):
        """SIGTERM, and wait until it is gone and its port refuses connections; the seconds it took."""
        started = time.monotonic()
        self.servers.pop("redis").stop()
        wait_until(lambda: not self.redis_answers(), what="Redis to stop")
        return time.monotonic() - started

    def start_s3(self):
        port = self.ports["s3"]
        argv = [ROOT / ".venv" / "bin" / "moto_server", "-H", "127.0.0.1", "-p", str(port)]
        server = self.servers["s3"] = procs.start("s3", argv, env=self.env, log_dir=LOGS, port=port)
        seconds = procs.wait_for_http(self.url("s3", "/"), server=server)
        s3 = boto3.client(
            "s3",
            endpoint_url=self.url("s3"),
            region_name="us-east-1",
            aws_access_key_id="drill",
            aws_secret_access_key="drill",  # noqa: S106 - moto's server takes any key
        )
        s3.create_bucket(Bucket=BUCKET)
        say(f"s3: moto_server on 127.0.0.1:{port}, bucket {BUCKET}, up after {seconds:.2f} s")

    def start_app(self, name):
        """gunicorn on the production settings (deploy/gunicorn.conf.py); ready when /readyz is 200."""
        port = self.ports[name]
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        argv = [ROOT / ".venv" / "bin" / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py"]
        server = self.servers[name] = procs.start(name, argv, env=env, log_dir=LOGS, port=port, cwd=ROOT)
        seconds = procs.wait_for_http(self.url(name, "/readyz"), server=server)
        workers = env["WEB_CONCURRENCY"]
        say(f"{name}: gunicorn ({workers} workers) on 127.0.0.1:{port}, /readyz 200 after {seconds:.2f} s")

    def start_proxy(self, name, app):
        self.servers[name] = start_nginx(
            self.ports[app],
            self.ports[name],
            name=name,
            prefix=WORK / name,
            log_dir=LOGS,
            static_root=WORK / "static",
            media_root=WORK / "media",
            server_name="localhost",
        )

    def start_command(self, name, args, ready_text):
        """A manage.py command that runs until stopped; ready when its log says ``ready_text``."""
        argv = [PYTHON, "manage.py", *args]
        server = self.servers[name] = procs.start(name, argv, env=self.env, log_dir=LOGS, port=0, cwd=ROOT)
        seconds = wait_until(log_says(server, ready_text), what=f"{name} to start", server=server)
        say(f"{name}: manage.py {' '.join(args)}, running after {seconds:.2f} s")

    def start_apps(self):
        """Everything that runs the app, once the database is ready."""
        self.start_app("app_a")
        self.start_app("app_b")
        self.start_proxy("nginx_a", "app_a")
        self.start_proxy("nginx_b", "app_b")
        self.start_command("worker", ["db_worker", "--no-startup-delay", "--interval", "0.5"], "Starting worker")
        # Ready once it has run its publishing job a first time (every SCHEDULER_PUBLISH_SECONDS).
        self.start_command("scheduler", ["scheduler"], "publish_scheduled: ")
