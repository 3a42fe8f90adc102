"""The processes the benchmark starts, and what /proc says about them (CPU time, memory).

Every server is started in its own session (its own process group), registered, and stopped by
``stop_all`` (registered with ``atexit`` and run from SIGINT/SIGTERM/SIGHUP too): a failed or
interrupted run leaves nothing behind. Only processes started here are ever signalled, by their
own process group id.
"""

import atexit
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

_started = []


def free_port():
    """A port nothing listens on now (the kernel's pick of an ephemeral port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """One started server: its master process, how to stop it, and its log."""

    name: str
    popen: subprocess.Popen
    log: Path
    port: int
    stop_signal: int = signal.SIGTERM
    started_at: float = 0.0
    seen_workers: set = field(default_factory=set)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def workers(self, table=None):
        table = table if table is not None else proc_table()
        found = [pid for pid, info in table.items() if info.ppid == self.pid]
        self.seen_workers.update(found)
        return found

    def pids(self, table=None):
        table = table if table is not None else proc_table()
        return [self.pid, *self.workers(table)] if self.pid in table else []

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout=15):
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.pid, self.stop_signal)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait(timeout=5)
        # Workers of a master that died first would linger in its group: make sure none does.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def start(name, argv, *, env, log_dir, port, cwd=None, stop_signal=signal.SIGTERM):
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    handle = log.open("w")
    started_at = time.monotonic()
    popen = subprocess.Popen(  # noqa: S603 - our own argv
        argv,
        env=env,
        cwd=cwd,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    handle.close()
    server = Server(name=name, popen=popen, log=log, port=port, stop_signal=stop_signal, started_at=started_at)
    _started.append(server)
    return server


def stop_all():
    while _started:
        server = _started.pop()
        try:
            server.stop()
        except Exception as exc:  # noqa: BLE001 - keep stopping the others
            sys.stderr.write(f"bench: could not stop {server.name} (pid {server.pid}): {exc}\n")


def _on_signal(signum, frame):
    raise SystemExit(128 + signum)


def install_cleanup():
    atexit.register(stop_all)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)


# --- HTTP probes ---------------------------------------------------------------------------------
def http_get(url, headers=None, timeout=30, data=None, method=None):
    """(status, headers, body) of one request; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def wait_for_http(url, *, headers=None, server=None, timeout=60, interval=0.02, ok=(200,)):
    """Poll until ``url`` answers one of ``ok``; return the seconds since the server was launched."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and not server.alive():
            raise RuntimeError(f"{server.name} exited during start-up:\n{server.log_tail()}")
        try:
            status, _, _ = http_get(url, headers=headers, timeout=5)
            if status in ok:
                return time.monotonic() - (server.started_at if server else 0)
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(interval)
    tail = server.log_tail() if server else ""
    raise RuntimeError(f"{url} did not answer within {timeout}s\n{tail}")


# --- /proc ---------------------------------------------------------------------------------------
@dataclass
class ProcInfo:
    comm: str
    ppid: int
    utime: int
    stime: int
    cutime: int
    cstime: int


def _read_stat(pid):
    with open(f"/proc/{pid}/stat") as handle:
        raw = handle.read()
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17 (proc(5)).
    return ProcInfo(comm, int(rest[1]), int(rest[11]), int(rest[12]), int(rest[13]), int(rest[14]))


def proc_table():
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                table[int(entry)] = _read_stat(entry)
            except (OSError, ValueError, IndexError):
                continue
    return table


def cpu_seconds(master_pid, table):
    """CPU time of a pre-forking server: its master, its live workers, and (through the master's
    ``cutime``/``cstime``) every worker it has reaped, e.g. one replaced after ``max_requests``."""
    master = table.get(master_pid)
    if master is None:
        return 0.0
    ticks = master.utime + master.stime + master.cutime + master.cstime
    ticks += sum(info.utime + info.stime for info in table.values() if info.ppid == master_pid)
    return ticks / CLOCK_TICKS


def cpu_by_name(table, names):
    """CPU time of every process called one of ``names`` (PostgreSQL's backends, Redis), including
    children each has reaped (a backend that ended since the last look)."""
    ticks = 0
    for info in table.values():
        if info.comm in names:
            ticks += info.utime + info.stime + info.cutime + info.cstime
    return ticks / CLOCK_TICKS


def backend_cpu(table, database):
    """{pid: CPU seconds} of the PostgreSQL backends serving ``database`` (their title names it), so that
    other users of the same server do not count. Compare two of these with ``backend_delta``."""
    found = {}
    for pid, info in table.items():
        if info.comm != "postgres":
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                title = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f" {database} " in title:
            found[pid] = (info.utime + info.stime) / CLOCK_TICKS
    return found


def backend_delta(before, after):
    """CPU the backends spent between two looks: a backend that started in between counts whole; one
    that ended in between is lost (the app keeps its connections, ``CONN_MAX_AGE``, so that is rare)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def system_busy_seconds():
    """CPU time the whole machine spent busy (all cores, /proc/stat): to tell how much of a run's CPU
    went to processes that are not the benchmark's (another user's test suite, say)."""
    with open("/proc/stat") as handle:
        fields = [int(v) for v in handle.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def memory(pid):
    """Resident (VmRSS) and proportional (Pss: shared pages split between their users) memory, in MB."""
    rss = pss = None
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss
