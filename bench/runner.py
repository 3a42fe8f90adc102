"""``make bench``: generate the data, start everything on loopback, drive wrk, write the report.

bench/config.py lists the environment variables that change a run; docs/performance.md says what is
measured and how.
"""

import hashlib
import json
import sys
import time

from bench import procs, report
from bench.config import WORK, Config
from bench.data import prepare_data, prepare_isso
from bench.measure import run_rounds, summarize, warm_up
from bench.preflight import check_all
from bench.probes import import_time, in_process, machine_info
from bench.scenarios import build as build_scenarios
from bench.servers import memory, publish_article, start_all
from bench.services import ensure_services, require_tools
from bench.shell import say


def scenario_record(scenario, cfg, check, rounds):
    return {
        "id": scenario.id,
        "label": scenario.label,
        "server": scenario.server,
        "cpu_of": scenario.cpu_server,
        "group": scenario.group,
        "method": scenario.method,
        "path": scenario.path if "Bearer" not in scenario.path else "(redacted)",
        "connections": scenario.connections or cfg.connections,
        "note": scenario.note,
        "check": check,
        "rounds": rounds,
        "median": summarize(rounds) if rounds else None,
    }


def measure_all(cfg, data, isso):
    """Start the servers, check and warm every scenario, run the rounds; the servers stop in any case."""
    try:
        servers, startup = start_all(cfg, data, isso)
        article_body = publish_article(servers, data)
        scenarios = build_scenarios(
            data, isso_uris=isso["uris"], compare_workers=cfg.compare_workers, alt_class=cfg.alt_class
        )
        if cfg.only:
            scenarios = [s for s in scenarios if s.id in cfg.only]
        checks = check_all(scenarios, servers, article_body)
        warm_up(cfg, scenarios, servers)
        results, waited = run_rounds(cfg, scenarios, servers)
        measured = {
            "startup": startup,
            "memory": memory(servers),
            "article": {"bytes": len(article_body), "sha256": hashlib.sha256(article_body).hexdigest()},
            "scenarios": [scenario_record(s, cfg, checks[s.id], results[s.id]) for s in scenarios],
        }
    finally:
        procs.stop_all()
    return measured, waited


def main():
    cfg = Config.from_env()
    procs.install_cleanup()
    began = time.monotonic()
    say(
        f"{'quick run' if cfg.quick else 'full run'}: {cfg.rounds} round(s) of {cfg.duration} s per scenario, "
        f"{cfg.connections} connections, {cfg.workers} gunicorn workers ({cfg.worker_class})"
    )
    require_tools()
    ensure_services()
    data = prepare_data(cfg)
    isso = prepare_isso(cfg)
    machine = machine_info(cfg, isso)
    setup_seconds = time.monotonic() - began

    measured, waited = measure_all(cfg, data, isso)
    run_info = {
        "config": cfg.recorded(),
        "machine": machine,
        "data": data | {"token": "(not recorded)"},
        "startup": measured.pop("startup"),
        "inprocess": in_process(cfg),
        "import_seconds": import_time(cfg),
        **measured,
    }
    run_info["timing"] = {
        "setup_seconds": round(setup_seconds),
        "measure_seconds": round(time.monotonic() - began - setup_seconds),
        "waited_for_quiet_seconds": round(waited),
    }
    cfg.out.mkdir(parents=True, exist_ok=True)
    (WORK / "results.json").write_text(json.dumps(run_info, indent=2, default=str) + "\n")
    md, png = report.write(run_info, cfg.out)
    say(f"report: {md} and {png} (raw results: {WORK / 'results.json'})")
    say(f"done in {time.monotonic() - began:.0f} s")
    sys.stdout.write("\n".join(report.target_lines(run_info)) + "\n")
