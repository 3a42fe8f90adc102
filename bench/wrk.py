"""Running wrk (Debian's package) and reading its results."""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"


def wrk_version():
    try:
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10, check=False)  # noqa: S607
    except OSError:
        return None
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0].split(" Copyright")[0] if text else None


def script(name, work_dir):
    """The scenario's Lua (if any) followed by the shared ``done()`` that prints JSON."""
    parts = []
    if name:
        parts.append((LUA / f"{name}.lua").read_text())
    parts.append((LUA / "report.lua").read_text())
    path = Path(work_dir) / f"{name or 'get'}.lua"
    path.write_text("\n".join(parts))
    return path


def run(url, *, duration, connections, threads, headers=(), lua=None, env=None, work_dir, timeout=30):
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    threads = max(1, min(threads, connections))
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={timeout}s",
        "-s",
        str(script(lua, work_dir)),
    ]
    for header in headers:
        argv += ["-H", header]
    argv.append(url)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603
        argv,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=duration + timeout + 60,
        check=False,
    )
    elapsed = time.monotonic() - started
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    errors = data["errors"]
    return {
        "requests": data["requests"],
        "seconds": seconds,
        "wall_seconds": elapsed,
        "rps": data["requests"] / seconds if seconds else 0.0,
        "p50_ms": data["latency_us"]["p50"] / 1000,
        "p90_ms": data["latency_us"]["p90"] / 1000,
        "p99_ms": data["latency_us"]["p99"] / 1000,
        "mean_ms": data["latency_us"]["mean"] / 1000,
        "max_ms": data["latency_us"]["max"] / 1000,
        "bytes": data["bytes"],
        "non2xx": errors["status"],
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "timeouts": errors["timeout"],
    }
