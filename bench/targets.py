"""The targets the report checks, and the numbers of this run that each missed one is explained with
(the prose is in bench/templates/misses/; what profiling showed is written by hand in the report)."""

from bench.format import num

MB_LIMIT = 150
STARTUP_LIMIT = 2.0
# id, what, the measure compared, the scenario and its reference, the bound, whether higher is better.
RATIOS = [
    ("nginx_cache", "article detail through the nginx cache: req/s vs nginx serving the same bytes from a file",
     "rps", "article_nginx", "static", 0.9, True),
    ("app_cache", "article detail from the app's cache: req/s vs nginx's static file",
     "rps", "article_app_cache", "static", 0.1, True),
    ("cache_page_hit", "article detail from the app's cache: CPU per request vs Django's cache_page on the same Redis",
     "cpu_ms", "article_app_cache", "article_cache_page", 1.0, False),
    ("page_vs_page_cache", "rendered page from the app's cache: CPU per request vs Django's cache_page (wagtail-cache "
     "3.0.0 requires wagtail<8.0)", "cpu_ms", "page_app_cache", "page_cache_page", 1.0, False),
    ("uncached_vs_stock", "article detail uncached: CPU per request vs Wagtail's stock API v2 viewset",
     "cpu_ms", "article_uncached", "article_stock", 0.25, False),
    ("page_vs_api", "rendered article page uncached: CPU per request vs the uncached API detail",
     "cpu_ms", "page_uncached", "article_uncached", 2.0, False),
    ("thread_scale", "comment thread at 10,000 comments: app CPU plus database time per request vs at 10",
     "cpu_db_ms", "thread_10000", "thread_10", 1.5, False),
    ("thread_vs_xtd", "comment thread at 10,000: req/s vs django-comments-xtd's stock list of the same thread",
     "rps", "thread_10000", "xtd_10000", 50, True),
    ("thread_vs_isso", "comment thread at 1,000: req/s vs Isso's thread of 1,000",
     "rps", "thread_1000", "isso_1000", 2, True),
    ("post_scale", "posting a comment into a thread of 10,000: CPU per request vs into a thread of 10",
     "cpu_ms", "post_10000", "post_10", 1.2, False),
    ("queue_scale", "moderation queue at 100,000 pending: CPU per request vs at 100",
     "cpu_ms", "queue_100000", "queue_100", 1.5, False),
]  # fmt: skip
UNITS = {"rps": "req/s", "cpu_ms": "ms", "cpu_db_ms": "ms", "queries": "queries"}
# Measured in-process (bench/inprocess.py): one request each, straight through Django.
INPROCESS_RATIOS = [
    ("bulk_scale", "bulk approve of 100 ids vs of 1 (moderation API): SQL queries per request",
     "queries", "bulk_100", "bulk_1", 1.2, False),
]  # fmt: skip
# The instances that serve only the project's endpoints (the peers and Isso have their own).
OURS = ("app", "nocache", "alt", "granian")
# Of those, the ones running as deploy/ runs the app (gunicorn, the reference worker class): the memory and
# start-up targets are theirs; gthread and granian are measured beside them for the choice of server.
DEPLOYED = ("app", "nocache")


def medians(info):
    found = {s["id"]: dict(s["median"]) for s in info["scenarios"] if s.get("median")}
    for values in found.values():
        if values.get("cpu_ms") is not None and values.get("db_ms") is not None:
            values["cpu_db_ms"] = values["cpu_ms"] + values["db_ms"]
    return found


def divide(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def row(tid, text, ratio, bound, higher_is_better, measured):
    passed = None if ratio is None else (ratio >= bound if higher_is_better else ratio <= bound)
    better = "≥" if higher_is_better else "≤"
    return {"id": tid, "target": text, "ratio": ratio, "bound": bound, "better": better, "passed": passed,
            "measured": measured}  # fmt: skip


def our_workers(info, names=OURS):
    return [w for name in names for w in info["memory"].get(name, {}).get("workers", [])]


def _largest(workers):
    pss = [w[1] for w in workers if w[1]]
    rss = [w[0] for w in workers if w[0]]
    return len(pss), *(max(v) if v else None for v in (pss, rss))


def targets(info):
    """Each target: what, measured values, ratio, required bound, and pass/miss (None: not measured)."""
    m = medians(info)
    rows = []
    for tid, text, key, sid, ref, bound, higher in RATIOS:
        a, b = (m.get(s, {}).get(key) for s in (sid, ref))
        rows.append(row(tid, text, divide(a, b), bound, higher, f"{num(a)} vs {num(b)} {UNITS[key]}"))
    inproc = info.get("inprocess") or {}
    for tid, text, key, sid, ref, bound, higher in INPROCESS_RATIOS:
        a, b = (inproc.get(s, {}).get(key) for s in (sid, ref))
        rows.append(row(tid, text, divide(a, b), bound, higher, f"{num(a)} vs {num(b)} {UNITS[key]}"))
    count, biggest, biggest_rss = _largest(our_workers(info, DEPLOYED))
    beside = "; ".join(
        f"{name}: {num(pss, 2)} MB ({num(rss, 2)} MB)"
        for name in OURS if name not in DEPLOYED and info["memory"].get(name)
        for _, pss, rss in [_largest(our_workers(info, (name,)))]
    )  # fmt: skip
    rows.append(
        row("memory", f"each worker's proportional memory (Pss) under {MB_LIMIT} MB, after the load, as deployed "
            "(gunicorn, the reference worker class)", divide(biggest, MB_LIMIT), 1.0, False,
            f"largest Pss {num(biggest, 2)} MB (largest VmRSS {num(biggest_rss, 2)} MB) of {count} workers"
            + (f"; beside them, largest Pss (VmRSS) {beside}" if beside else ""))
    )  # fmt: skip
    startup = info["startup"]
    deployed = [seconds for name, seconds in startup.items() if name in DEPLOYED]
    each = ", ".join(f"{name} {num(seconds, 2)} s" for name, seconds in startup.items() if name in DEPLOYED)
    others = ", ".join(f"{name} {num(seconds, 2)} s" for name, seconds in startup.items() if name not in DEPLOYED)
    rows.append(
        row("startup", f"first successful response within {STARTUP_LIMIT:g} s of launching the app as deployed",
            divide(max(deployed) if deployed else None, STARTUP_LIMIT), 1.0, False,
            (each or "not measured") + (f"; beside them {others}" if others else ""))
    )  # fmt: skip
    return rows


def memory_facts(info):
    workers = our_workers(info, DEPLOYED)
    masters = [info["memory"][n]["master"][0] for n in DEPLOYED if n in info["memory"]]
    pss = [p for _, p in workers if p is not None]
    rss = [r for r, _ in workers if r is not None]
    return {
        "largest": max(rss) if rss else None,
        "master": max(masters) if masters else None,
        "pss_low": min(pss) if pss else None,
        "pss_high": max(pss) if pss else None,
    }


def miss_facts(info):
    """What the templates in bench/templates/misses/ say about a missed target, from this run's numbers."""
    m = medians(info)
    inproc = info.get("inprocess") or {}
    rounds = {s["id"]: s["rounds"] for s in info["scenarios"]}
    shapes = {spec["total"]: spec for spec in info["data"]["threads"]}
    cores = info["machine"]["cores"]
    static_rps = m.get("static", {}).get("rps")
    return {
        "m": m,
        "by_process": {sid: med["cpu_by_process_ms"] for sid, med in m.items()},
        "inproc": inproc,
        # CPU per request under gunicorn minus straight through Django's WSGI handler: the server's share.
        "overhead": {
            sid: m[sid]["cpu_ms"] - values["cpu_ms"]
            for sid, values in inproc.items()
            if m.get(sid, {}).get("cpu_ms") is not None
        },
        "nginx_rounds": [
            a["rps"] / b["rps"]
            for a, b in zip(rounds.get("article_nginx", []), rounds.get("static", []), strict=False)
            if b["rps"]
        ],
        # Comments on the first page of each thread: 20 top-level comments and their replies.
        "per_page": {str(size): min(20, spec["threads"]) * (1 + spec["replies"]) for size, spec in shapes.items()},
        "cores": cores,
        # CPU per request all the processes may spend together at a tenth of nginx's static rate.
        "tenth_budget_ms": divide(1000 * cores, static_rps / 10 if static_rps else None),
        "memory": memory_facts(info),
        "startup": info["startup"],
        "imports": info.get("import_seconds") or {},
    }
