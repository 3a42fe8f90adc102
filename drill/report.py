"""Each scenario's figures and verdict, as the run prints them, and the closing summary."""

import statistics
import time
import traceback
from dataclasses import dataclass, field

from bench.shell import say
from drill.config import LOGS


@dataclass
class Result:
    number: int
    title: str
    figures: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self):
        return not self.problems

    def figure(self, label, value):
        self.figures.append((label, value))
        say(f"  {label}: {value}")

    def check(self, condition, problem):
        """A condition the scenario must meet; a FAIL names every one that was not."""
        if not condition:
            self.problems.append(problem)
            say(f"  PROBLEM: {problem}")
        return bool(condition)


def run_scenario(number, title, scenario, *args):
    result = Result(number, title)
    say(f"scenario {number}: {title}")
    started = time.monotonic()
    try:
        scenario(result, *args)
    except Exception as exc:  # noqa: BLE001 - a scenario that breaks is a FAIL, and the others still run
        LOGS.mkdir(parents=True, exist_ok=True)
        with (LOGS / "drill-errors.log").open("a") as handle:
            handle.write(f"--- scenario {number}\n{traceback.format_exc()}\n")
        result.check(False, f"stopped by {type(exc).__name__}: {exc} (traceback in .drill/logs/drill-errors.log)")
    result.seconds = time.monotonic() - started
    say(f"scenario {number}: {'PASS' if result.passed else 'FAIL'} ({result.seconds:.1f} s)")
    return result


def summary(results, total_seconds):
    say("summary")
    for result in results:
        verdict = "PASS" if result.passed else "FAIL"
        say(f"  {verdict}  {result.number}. {result.title} ({result.seconds:.1f} s)")
    failed = sum(not r.passed for r in results)
    say(f"{len(results) - failed} passed, {failed} failed in {total_seconds:.0f} s")
    return failed


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def latency_figures(seconds):
    """p50 / p95 / max of a list of latencies, in ms."""
    if not seconds:
        return "no requests"
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {ms(statistics.median(ordered))}, p95 {ms(p95)}, max {ms(ordered[-1])}"
