"""docs/performance.md and docs/performance.png from one run's results (``.bench/results.json``).

The page is bench/templates/performance.md, rendered with Django's template engine. ``python -m
bench.report`` rewrites both from the last results without measuring again. The section "What
profiling showed" is written by hand: when the existing report has it filled in, it is kept.
"""

import functools
import json
import re
import sys
from pathlib import Path

from bench.chart import chart
from bench.format import ratio_text
from bench.targets import medians, miss_facts, targets

TEMPLATES = Path(__file__).resolve().parent / "templates"
PROFILING_HEADING = "## What profiling showed"
PROFILING_TODO = "TODO(lead): what profiling showed"
BUSY_PCT = 15
# Each scenario on the other worker class, and the one it is compared with.
WORKER_PAIRS = {"alt_article_app_cache": "article_app_cache", "alt_queue_100": "queue_100"}
# The same two under granian (WSGI), the faster server beside gunicorn's worker classes.
GRANIAN_PAIRS = {"granian_article_app_cache": "article_app_cache", "granian_queue_100": "queue_100"}


@functools.cache
def engine():
    from django.conf import settings
    from django.template import Engine

    if not settings.configured:  # the harness renders outside any Django project
        settings.configure(USE_I18N=False)
    return Engine(dirs=[TEMPLATES], libraries={"format": "bench.format"})


def render(name, context):
    from django.template import Context

    return engine().get_template(name).render(Context(context, autoescape=False))


def kept_profiling(path):
    """The hand-written profiling section of an existing report, if it was filled in."""
    if not path.exists():
        return None
    text = path.read_text()
    start = text.find(PROFILING_HEADING)
    if start < 0:
        return None
    rest = text[start + len(PROFILING_HEADING) :]
    end = re.search(r"^## ", rest, flags=re.MULTILINE)
    body = rest[: end.start()] if end else rest
    if PROFILING_TODO in body or not body.strip():
        return None
    return body.strip("\n")


def misses(info, rows):
    """The missed targets, each with its explanation (bench/templates/misses/<target>.md) on one line."""
    facts = miss_facts(info)
    found = [dict(row) for row in rows if row["passed"] is False]
    for row in found:
        row["why"] = " ".join(render(f"misses/{row['id']}.md", facts).split())
    return found


def busy_runs(scenarios):
    return [
        {"label": s["label"], "round": n + 1, "load": r["other_load_pct"]}
        for s in scenarios
        for n, r in enumerate(s["rounds"])
        if (r.get("other_load_pct") or 0) > BUSY_PCT
    ]


def inprocess_rows(info):
    m = medians(info)
    labels = {s["id"]: s["label"] for s in info["scenarios"]}
    rows = []
    for sid, values in (info.get("inprocess") or {}).items():
        under = (m.get(sid) or {}).get("cpu_ms")
        share = under - values["cpu_ms"] if under is not None else None
        rows.append({"label": labels.get(sid, sid), **values, "under": under, "share": share})
    return rows


def memory_rows(info):
    return [
        {
            "name": name,
            "master": mem["master"][0],
            "rss": [r for r, _ in mem["workers"]],
            "pss": [p for _, p in mem["workers"]],
            "replaced": mem["replaced"],
            "startup": info["startup"].get(name),
        }
        for name, mem in info["memory"].items()
    ]


def worker_class_rows(info, scenarios):
    cfg = info["config"]
    if not cfg.get("alt_class") or not any(s["group"] == "workers" for s in scenarios):
        return []
    by_id = {s["id"]: s for s in scenarios}
    rows = []
    for alt_id, ref_id in WORKER_PAIRS.items():
        granian_id = next(g for g, r in GRANIAN_PAIRS.items() if r == ref_id)
        for sid, klass in ((ref_id, cfg["worker_class"]), (alt_id, cfg["alt_class"]), (granian_id, "granian (WSGI)")):
            if sid in by_id:
                label = by_id[ref_id]["label"] if ref_id in by_id else by_id[sid]["label"]
                rows.append({"label": label, "klass": klass, "median": by_id[sid]["median"]})
    return rows


def markdown(info, png_name, profiling):
    scenarios = [s for s in info["scenarios"] if s.get("median")]
    rows = targets(info)
    return render(
        "performance.md",
        {
            "config": info["config"],
            "machine": {key.replace("-", "_"): value for key, value in info["machine"].items()},
            "data": info["data"],
            "queues": [spec for spec in info["data"]["special"].values() if spec["kind"] == "queue"],
            "article": info["article"],
            "png_name": png_name,
            "scenarios": scenarios,
            "busy": busy_runs(scenarios),
            "busy_pct": BUSY_PCT,
            "runs": sum(len(s["rounds"]) for s in scenarios),
            "round_numbers": range(1, info["config"]["rounds"] + 1),
            "notes": [s for s in scenarios if s.get("note")],
            "targets": rows,
            "misses": misses(info, rows),
            "inprocess": inprocess_rows(info),
            "memory": memory_rows(info),
            "import_seconds": info.get("import_seconds"),
            "worker_classes": worker_class_rows(info, scenarios),
            "profiling": profiling
            or f"{PROFILING_TODO} (py-spy or cProfile of the uncached article, the thread and the queue).",
        },
    )


def write(info, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path = out_dir / "performance.md"
    png_path = out_dir / "performance.png"
    chart(info, png_path)
    md_path.write_text(markdown(info, png_path.name, kept_profiling(md_path)))
    return md_path, png_path


def target_lines(info):
    lines = ["", "Targets:"]
    for row in targets(info):
        result = "n/a" if row["passed"] is None else ("pass" if row["passed"] else "MISS")
        lines.append(
            f"  {result:4}  {ratio_text(row['ratio']):>18} (required {row['better']} {row['bound']:g})  {row['target']}"
        )
    return lines


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    results = json.loads((root / ".bench" / "results.json").read_text())
    default = root / ".bench" / "report" if results["config"]["quick"] else root / "docs"
    md, png = write(results, Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    sys.stdout.write(f"{md}\n{png}\n" + "\n".join(target_lines(results)) + "\n")
