"""The measurements: wrk's numbers, and the CPU each process spent meanwhile (from /proc)."""

import os
import resource
import statistics
import time
from dataclasses import replace

from bench import procs, wrk
from bench.config import HOST, WORK
from bench.shell import say

QUIET_PCT = 25  # other processes' share of the CPU above which a run waits (within its budget)


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


def spent(before, after):
    """CPU seconds of each process between two snapshots, and of the whole machine."""
    delta = {name: after[name] - before[name] for name in after if name != "postgres"}
    delta["postgres"] = procs.backend_delta(before["postgres"], after["postgres"])
    return delta, delta.pop("machine")


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


def other_load(servers, database, seconds=1.0):
    """Share (%) of the machine's CPU that processes outside the benchmark use right now."""
    before = snapshot(servers, database)
    time.sleep(seconds)
    delta, machine = spent(before, snapshot(servers, database))
    return max(machine - sum(delta.values()), 0.0) * 100 / (seconds * (os.cpu_count() or 1))


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
    before = snapshot(servers, database)
    result = wrk.run(
        f"http://127.0.0.1:{server.port}{scenario.path}",
        duration=max(cfg.duration, scenario.min_duration),
        connections=scenario.connections or cfg.connections,
        threads=cfg.wrk_threads,
        headers=[f"Host: {HOST}", *scenario.headers],
        lua=scenario.lua,
        env=dict(scenario.env, BENCH_NONCE=str(time.time_ns())),
        work_dir=WORK,
        timeout=60 if scenario.connections else 30,
    )
    delta, machine = spent(before, snapshot(servers, database))
    requests = max(result["requests"], 1)
    capacity = result["wall_seconds"] * (os.cpu_count() or 1)
    # What the rest of the machine used meanwhile: other users' processes disturb req/s (less so CPU/req).
    result["other_load_pct"] = max(machine - sum(delta.values()), 0.0) * 100 / capacity if capacity else None
    result["wrk_cpu_pct"] = delta["wrk"] * 100 / capacity if capacity else None
    result["cpu_ms"] = delta[scenario.cpu_server] * 1000 / requests
    result["db_ms"] = delta["postgres"] * 1000 / requests
    result["redis_ms"] = delta["redis"] * 1000 / requests
    result["cpu_by_process_ms"] = {name: value * 1000 / requests for name, value in delta.items()}
    wait_idle(servers[scenario.cpu_server])
    return result


def warm_up(cfg, scenarios, servers):
    """Every worker of every server has served each URL before anything is measured."""
    for scenario in scenarios:
        if cfg.warmup and not scenario.min_duration:
            say(f"warm-up ({cfg.warmup} s): {scenario.id}")
            measure(replace(cfg, duration=cfg.warmup), replace(scenario, env=dict(scenario.env)), servers, cfg.database)
    for server in servers.values():
        wait_idle(server)


def run_rounds(cfg, scenarios, servers):
    """Interleaved rounds, each starting at a different scenario: {scenario id: [result of each round]}."""
    results = {s.id: [] for s in scenarios}
    quiet = Quiet(cfg.quiet_budget)
    total, done = cfg.rounds * len(scenarios), 0
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
    return results, quiet.waited


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
