"""docs/performance.md and docs/performance.png from one run's results (``.bench/results.json``).

``python -m bench.report`` rewrites both from the last results without measuring again. The section
"What profiling showed" is written by hand: when the existing report has it filled in, it is kept.
"""

import json
import re
import sys
from pathlib import Path

PROFILING_HEADING = "## What profiling showed"
PROFILING_TODO = "TODO(lead): what profiling showed"
MB_LIMIT = 150
BUSY_PCT = 15
STARTUP_LIMIT = 2.0


# --- formatting --------------------------------------------------------------------------------------
def num(value, digits=None):
    if value is None:
        return "n/a"
    if digits is None:
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 1 else 3
    return f"{value:,.{digits}f}"


def ratio_text(value):
    if value is None:
        return "n/a"
    if value >= 1:
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return f"{value:.3f} (1/{1 / value:,.1f})" if value > 0 else "0"


# --- targets -------------------------------------------------------------------------------------------
def _medians(info):
    return {s["id"]: s["median"] for s in info["scenarios"] if s.get("median")}


def _get(medians, sid, key):
    entry = medians.get(sid)
    return None if entry is None else entry.get(key)


def _divide(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def targets(info):
    """Each target: what, measured values, ratio, required bound, pass/miss, and (if missed) why."""
    m = _medians(info)
    rows = []

    def add(tid, text, ratio, bound, higher_is_better, detail):
        passed = None if ratio is None else (ratio >= bound if higher_is_better else ratio <= bound)
        rows.append(
            {
                "id": tid,
                "target": text,
                "ratio": ratio,
                "bound": bound,
                "better": "≥" if higher_is_better else "≤",
                "passed": passed,
                "measured": detail,
            }
        )

    def rps(sid):
        return _get(m, sid, "rps")

    def cpu(sid):
        return _get(m, sid, "cpu_ms")

    add(
        "nginx_cache",
        "article detail through the nginx cache: req/s vs nginx serving the same bytes from a file",
        _divide(rps("article_nginx"), rps("static")),
        0.8,
        True,
        f"{num(rps('article_nginx'))} vs {num(rps('static'))} req/s",
    )
    add(
        "app_cache",
        "article detail from the app's cache: req/s vs nginx's static file",
        _divide(rps("article_app_cache"), rps("static")),
        0.1,
        True,
        f"{num(rps('article_app_cache'))} vs {num(rps('static'))} req/s",
    )
    add(
        "uncached_vs_stock",
        "article detail uncached: CPU per request vs Wagtail's stock API v2 viewset",
        _divide(cpu("article_uncached"), cpu("article_stock")),
        0.25,
        False,
        f"{num(cpu('article_uncached'))} vs {num(cpu('article_stock'))} ms",
    )
    add(
        "thread_scale",
        "comment thread at 10,000 comments: CPU per request vs at 10",
        _divide(cpu("thread_10000"), cpu("thread_10")),
        1.5,
        False,
        f"{num(cpu('thread_10000'))} vs {num(cpu('thread_10'))} ms",
    )
    add(
        "thread_vs_xtd",
        "comment thread at 10,000: req/s vs django-comments-xtd's stock list of the same thread",
        _divide(rps("thread_10000"), rps("xtd_10000")),
        50,
        True,
        f"{num(rps('thread_10000'))} vs {num(rps('xtd_10000'))} req/s",
    )
    add(
        "thread_vs_isso",
        "comment thread at 1,000: req/s vs Isso's thread of 1,000",
        _divide(rps("thread_1000"), rps("isso_1000")),
        2,
        True,
        f"{num(rps('thread_1000'))} vs {num(rps('isso_1000'))} req/s",
    )
    add(
        "post_scale",
        "posting a comment into a thread of 10,000: CPU per request vs into a thread of 10",
        _divide(cpu("post_10000"), cpu("post_10")),
        1.2,
        False,
        f"{num(cpu('post_10000'))} vs {num(cpu('post_10'))} ms",
    )
    add(
        "queue_scale",
        "moderation queue at 100,000 pending: CPU per request vs at 100",
        _divide(cpu("queue_100000"), cpu("queue_100")),
        1.5,
        False,
        f"{num(cpu('queue_100000'))} vs {num(cpu('queue_100'))} ms",
    )
    # The instances that serve only the project's endpoints (the peers and Isso have their own).
    rss = [w[0] for name in ("app", "nocache") for w in info["memory"].get(name, {}).get("workers", []) if w[0]]
    biggest = max(rss) if rss else None
    add(
        "memory",
        f"each gunicorn worker's resident memory (VmRSS) under {MB_LIMIT} MB, after the load",
        _divide(biggest, MB_LIMIT),
        1.0,
        False,
        f"largest {num(biggest, 2)} MB of {len(rss)} workers",
    )
    startup = info["startup"].get("app")
    add(
        "startup",
        f"first successful response within {STARTUP_LIMIT:g} s of launching gunicorn",
        _divide(startup, STARTUP_LIMIT),
        1.0,
        False,
        f"{num(startup, 2)} s",
    )
    for row in rows:
        if row["passed"] is False:
            row["why"] = why(row["id"], info, m)
    return rows


def why(tid, info, m):
    """Why a target was missed and what it would take, from this run's own numbers."""
    by_process = {s["id"]: s["median"]["cpu_by_process_ms"] for s in info["scenarios"] if s.get("median")}
    inproc = info.get("inprocess") or {}
    cores = info["machine"]["cores"]

    def ip(sid, key="cpu_ms"):
        return (inproc.get(sid) or {}).get(key)

    def server_overhead(sid):
        under, alone = _get(m, sid, "cpu_ms"), ip(sid)
        return None if under is None or alone is None else under - alone

    if tid == "nginx_cache":
        rounds = {s["id"]: s["rounds"] for s in info["scenarios"]}
        per_round = [
            a["rps"] / b["rps"]
            for a, b in zip(rounds.get("article_nginx", []), rounds.get("static", []), strict=False)
            if b["rps"]
        ]
        return (
            f"Round by round the ratio was {', '.join(f'{r:.2f}' for r in per_round)}: at the threshold, within "
            "what the two cores shared with wrk let vary. "
            f"Both are answered by the same nginx: a hit in its proxy cache costs nginx "
            f"{num(by_process.get('article_nginx', {}).get('nginx'))} ms of CPU per request against "
            f"{num(by_process.get('static', {}).get('nginx'))} ms for the file (a key lookup in the shared zone, "
            "a cache file opened and its stored header block parsed), and wrk, on the same "
            f"{cores} cores, takes {num(_get(m, 'article_nginx', 'wrk_cpu_pct'), 0)} % of the machine. The app is "
            f"not involved ({num(by_process.get('article_nginx', {}).get('app'))} ms of its CPU per request). What "
            "it would take: `open_file_cache` for the cache files and a smaller cached header block, or a CDN that "
            "serves the article from memory."
        )
    if tid == "app_cache":
        hit, alone = _get(m, "article_app_cache", "cpu_ms"), ip("article_app_cache")
        redis = _get(m, "article_app_cache", "redis_ms")
        static = _get(m, "static", "rps")
        text = (
            f"A hit served by gunicorn costs {num(hit)} ms of app CPU and {num(redis)} ms of Redis per request; "
            f"nginx serves the file for {num(by_process.get('static', {}).get('nginx'))} ms. "
        )
        if alone is not None:
            text += (
                f"Straight through Django's WSGI handler, without an HTTP server, the same hit costs {num(alone)} ms "
                f"(the middleware before the cache, reading the entry and its tags' versions from Redis, building "
                f"the response), so {num(server_overhead('article_app_cache'))} ms is gunicorn's: the sync worker "
                "accepts a new TCP connection for every request (it answers `Connection: close`), parses it and "
                "closes it. "
            )
        text += (
            f"Reaching 1/10 of nginx's rate here ({num(static / 10 if static else None)} req/s) on {cores} cores "
            "shared with wrk means well under 1 ms per hit for every process involved. What it would take: "
            "letting nginx answer (the previous target: its cache is purged by the app, so nothing is lost), or "
            "both halves made cheaper: fewer Redis calls per hit (the entry and its tag versions in one round "
            "trip, one client object instead of one per call) and the cache middleware first in the chain."
        )
        return text
    if tid == "uncached_vs_stock":
        ours, stock = _get(m, "article_uncached", "cpu_ms"), _get(m, "article_stock", "cpu_ms")
        text = f"Ours costs {num(ours)} ms and the stock viewset {num(stock)} ms of app CPU per request"
        if ip("article_uncached") is not None:
            text += (
                f" ({num(ip('article_uncached'))} and {num(ip('article_stock'))} ms in-process, with "
                f"{ip('article_uncached', 'queries')} and {ip('article_stock', 'queries')} SQL queries)"
            )
        text += (
            ". The stock viewset serves the same model, and `ArticlePage.api_fields` carry the project's own field "
            "serializers (the body serialized in bulk with its chooser blocks resolved together, image renditions, "
            "related posts, testimonials, the comment summary): the peer already gets everything the project did "
            "for the article and builds the same JSON with the same queries; the project's viewset adds only the "
            "listing's prefetching, which a detail does not use. A quarter of the stock cost would be "
            f"{num(stock / 4 if stock else None)} ms. What it would take: with the same fields and serializers no "
            "viewset can be four times cheaper than Wagtail's; the article's JSON would have to be computed once "
            "per published revision (at publish time, stored with the page or in the cache under the same tags) "
            "instead of per request."
        )
        return text

    def scaling(small, big, what):
        text = (
            f"{what} costs {num(_get(m, big, 'cpu_ms'))} ms of app CPU at the large size and "
            f"{num(_get(m, small, 'cpu_ms'))} ms at the small one; PostgreSQL "
            f"{num(_get(m, big, 'db_ms'))} vs {num(_get(m, small, 'db_ms'))} ms."
        )
        if ip(big) is not None and ip(small) is not None:
            text += (
                f" In-process: {num(ip(big))} vs {num(ip(small))} ms with {ip(big, 'queries')} vs "
                f"{ip(small, 'queries')} queries"
            )
            text += (
                " (the same queries, so the growth is in rows read or objects built)."
                if ip(big, "queries") == ip(small, "queries")
                else " (more queries at the large size: a per-item query)."
            )
        return text

    if tid == "thread_scale":
        shapes = {spec["total"]: spec for spec in info["data"]["threads"]}
        per_page = {size: min(20, spec["threads"]) * (1 + spec["replies"]) for size, spec in shapes.items()}
        return scaling("thread_10", "thread_10000", "The thread page") + (
            f" Two things grow. The page itself: the first page of the 10,000-comment thread shows "
            f"{per_page.get(10_000, '?')} comments (20 threads and their replies), the whole thread of 10 shows "
            f"{per_page.get(10, '?')}, and each comment is a model instance turned into a dict. And the database: "
            "the count of threads (`COUNT(DISTINCT thread_id)`) and the page's thread ids (`DISTINCT … OFFSET`) "
            "read every approved comment of the article. What it would take: rows fetched as values rather than "
            "model instances (the app's share), and top-level comments counted and paged on their own through an "
            "index on (article, status, level, thread) or a stored count (the database's share)."
        )
    if tid == "thread_vs_xtd":
        return (
            f"django-comments-xtd's list answers {num(_get(m, 'xtd_10000', 'rps'))} req/s and ours "
            f"{num(_get(m, 'thread_10000', 'rps'))}. See the thread scenarios for where ours spends its time."
        )
    if tid == "thread_vs_isso":
        return (
            f"Isso answers the same page at {num(_get(m, 'isso_1000', 'rps'))} req/s "
            f"({num(_get(m, 'isso_1000', 'cpu_ms'))} ms of its CPU); ours at {num(_get(m, 'thread_1000', 'rps'))} "
            f"({num(_get(m, 'thread_1000', 'cpu_ms'))} ms). What it would take: fewer Python objects per comment "
            "(rows as values, one pass to nest the replies)."
        )
    if tid == "post_scale":
        return scaling("post_10", "post_10000", "Posting") + (
            " What it would take: no read of the thread on insert (django-comments-xtd's thread arithmetic, "
            "counts) and indexes on what the checks filter."
        )
    if tid == "queue_scale":
        return scaling("queue_100", "queue_100000", "The queue page") + (
            " What it would take: an index in the queue's order for the filter, (article, status, created, id), "
            "so that a page is a range scan whatever the queue's size."
        )
    if tid == "memory":
        workers = [w for name in ("app", "nocache") for w in info["memory"].get(name, {}).get("workers", [])]
        masters = [info["memory"][n]["master"][0] for n in ("app", "nocache") if n in info["memory"]]
        pss = [p for _, p in workers if p is not None]
        rss = [r for r, _ in workers if r is not None]
        low, high = (min(pss), max(pss)) if pss else (None, None)
        return (
            f"The largest worker holds {num(max(rss) if rss else None, 2)} MB. Every worker is a fork of a master "
            f"that holds {num(max(masters) if masters else None, 1)} MB after importing Django, Wagtail, DRF and the "
            "project (`preload_app`), and RSS counts those pages in each worker although they are shared (the "
            f"workers' PSS, their fair share, is {num(low, 1)}–{num(high, 1)} MB); the rest grows with what a "
            "worker has served (Python keeps the memory of the largest responses it built). What it would take: "
            "a smaller master (fewer modules imported at start-up: it is the floor of every worker's RSS) or a "
            "lower `GUNICORN_MAX_REQUESTS`, so that a worker is replaced before it grows past the budget."
        )
    if tid == "startup":
        imports = info.get("import_seconds") or {}
        text = f"The first `200` came {num(info['startup'].get('app'), 2)} s after launching gunicorn"
        if imports:
            text += (
                f"; importing the application (`cms.wsgi`: `django.setup()` loads every app's models, Wagtail's "
                f"admin and API, DRF and drf-spectacular) alone takes {num(imports.get('wall'), 2)} s "
                f"({num(imports.get('cpu'), 2)} s of CPU) on this machine, before the first worker forks"
            )
        text += (
            ". What it would take: a lighter import graph (models modules that do not import admin panels and API "
            "schema code at load time), or starting new workers before the old ones stop (gunicorn's USR2 upgrade) "
            "so that a deploy never waits for a cold start."
        )
        return text
    return ""


# --- the chart -------------------------------------------------------------------------------------------
COLOURS = {"limit": "#555555", "cached": "#2a9d8f", "ours": "#264653", "peer": "#e76f51", "workers": "#e9c46a"}


def chart(info, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [s for s in info["scenarios"] if s.get("median")]
    labels = [s["label"] for s in rows]
    colours = [COLOURS.get(s["group"], "#888888") for s in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 0.42 * len(rows) + 1.8), sharey=True)
    panels = ((left, "rps", "requests per second (log)"), (right, "cpu_ms", "server CPU ms per request (log)"))
    for axis, key, title in panels:
        values = [max(s["median"][key] or 0, 1e-3) for s in rows]
        lows = [min(r[key] for r in s["rounds"]) for s in rows]
        highs = [max(r[key] for r in s["rounds"]) for s in rows]
        errors = [[max(v - lo, 0) for v, lo in zip(values, lows, strict=True)],
                  [max(hi - v, 0) for v, hi in zip(values, highs, strict=True)]]  # fmt: skip
        axis.barh(range(len(rows)), values, color=colours, xerr=errors, ecolor="#999999", capsize=2)
        axis.set_xscale("log")
        axis.set_title(title, fontsize=10)
        axis.grid(axis="x", which="major", alpha=0.3)
        for y, (value, high) in enumerate(zip(values, highs, strict=True)):
            axis.text(max(value, high) * 1.08, y, num(value), va="center", fontsize=7)
    left.set_yticks(range(len(rows)), labels, fontsize=8)
    left.invert_yaxis()
    machine = info["machine"]
    cfg = info["config"]
    fig.suptitle(
        f"make bench, {machine['date']}: {machine['cores']} cores, {cfg['workers']} gunicorn {cfg['worker_class']} "
        f"workers, wrk {cfg['connections']} connections; medians of {cfg['rounds']} round(s), bars = min-max",
        fontsize=10,
    )
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    fig.legend(handles, ["physical limit", "cached", "ours, uncached", "peers", "other worker class"],
               loc="lower center", ncol=5, fontsize=8, frameon=False)  # fmt: skip
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- the report --------------------------------------------------------------------------------------------
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


def markdown(info, png_name, profiling):
    cfg, machine, data = info["config"], info["machine"], info["data"]
    rows = targets(info)
    scen = [s for s in info["scenarios"] if s.get("median")]
    out = []
    w = out.append
    w("# Performance")
    w("")
    if cfg["quick"]:
        w("> **Quick run** (`BENCH_QUICK=1`): one short round, to try the harness. The numbers are not the reference.")
        w("")
    w(
        f"Measured by `make bench` on {machine['date']} (commit {machine['git']}): the app under gunicorn with the "
        "production settings on PostgreSQL and Redis, nginx in front with the reference configuration, and the "
        "peers, all on one machine over loopback. Every number below comes from the same run."
    )
    w("")
    w("## How to reproduce")
    w("")
    w("```sh")
    w("make bench                 # 15-20 minutes; writes docs/performance.md and docs/performance.png")
    w("BENCH_QUICK=1 make bench   # one round of 3 s per scenario, report in .bench/report/")
    w("BENCH_FRESH=1 make bench   # regenerate the data set even if a complete one is present")
    w("```")
    w("")
    w(
        "It needs Debian's `wrk`, `nginx-light` and `libnginx-mod-http-cache-purge`, PostgreSQL on 127.0.0.1:5432 "
        "(user `postgres`) and Redis on 127.0.0.1:6379 (started like `.ci/run` starts them when they are down). "
        "`BENCH_ROUNDS`, `BENCH_DURATION`, `BENCH_CONNECTIONS`, `BENCH_ONLY` and `WEB_CONCURRENCY` change the run "
        "(bench/runner.py lists them); raw numbers of the last run are in `.bench/results.json`, logs in "
        "`.bench/logs/`, and `python -m bench.report` rewrites this page from them."
    )
    w("")
    w("## Machine and software")
    w("")
    w("| | |")
    w("| --- | --- |")
    w(f"| CPU | {machine['cores']} cores, {machine['cpu']} |")
    w(f"| memory | {machine['memory_gb']} GB |")
    w(f"| system | {machine['os']}, kernel {machine['kernel']} |")
    w(f"| Python / Django / Wagtail | {machine['python']} / {machine['django']} / {machine['wagtail']} |")
    w(f"| django-comments-xtd / gunicorn | {machine['django-comments-xtd']} / {machine['gunicorn']} |")
    w(f"| PostgreSQL / Redis | {machine['postgresql']} / {machine['redis']} |")
    w(f"| nginx / wrk | {machine['nginx']} / {machine['wrk']} |")
    w(f"| Isso (peer) | {machine['isso']} (its own virtualenv, SQLite) |")
    w("")
    w("## Set-up")
    w("")
    w(
        f"- **App**: `gunicorn -c deploy/gunicorn.conf.py` with `cms.settings.bench` (production settings; plain "
        f"HTTP on localhost, a posting rate limit wrk cannot reach, and the peers' URLs), {cfg['workers']} "
        f"`{cfg['worker_class']}` workers, `preload_app`, access log off, `DEBUG` off, `CONN_MAX_AGE` 60, Redis "
        f"database `{cfg['redis']}` as the cache (flushed at the start). Instances run side by side, each with "
        "its own workers: **app** with the public response cache on; **nocache**, started with "
        '`PUBLIC_CACHE_ENABLED=0`, so that every "uncached" request is really computed (a query-string nonce '
        "would only make the first request of each URL a miss); **peers**, a twin of nocache that serves only "
        "the stock peers (`/bench/stock/api/v2/`, `/bench/xtd/`, mounted by `bench.urls` in the bench settings "
        "only), so that their memory never lands in the workers that serve ours"
        + (f"; **alt**, app with `{cfg['alt_class']}` workers." if cfg.get("alt_class") else ".")
    )
    w(
        "- **nginx**: `deploy/nginx.conf.template` rendered by `deploy/render_nginx.py`, proxying to **app** with its "
        "proxy cache; the app purges it (`FRONTEND_CACHE_URL`). The physical limit is the same nginx serving the "
        f"article's JSON, byte for byte what the API answers ({num(info['article']['bytes'], 0)} bytes, sha256 "
        f"`{info['article']['sha256'][:16]}…`), from a file under `/static/`."
    )
    w(
        f"- **Load**: wrk, {cfg['wrk_threads']} threads, {cfg['connections']} connections, {cfg['duration']} s per "
        f"run; {cfg['rounds']} interleaved round(s), each running every scenario once (each round starts at a "
        "different scenario); the tables give the median of the rounds. wrk shares the cores with the servers."
    )
    w(
        "- **Server CPU per request**: user + system time of the server's processes from `/proc/<pid>/stat`, before "
        "and after each wrk run, divided by the requests wrk completed. For gunicorn that is the master, its live "
        "workers and (through the master's `cutime`/`cstime`) any worker replaced during the run; for nginx its "
        "master and workers. **DB** is the CPU of the PostgreSQL backends connected to the benchmark's database, "
        "reported beside it (not part of the app's CPU)."
    )
    w(
        "- **Checks**: before the rounds, each scenario's URL is requested twice and the answer checked (status, "
        "`X-Cache: HIT` from the app, `X-Proxy-Cache: HIT` from nginx, no app-cache hit where the scenario says "
        'uncached, the expected number of items); the result is in the "check" column.'
    )
    w("")
    w("## Data set")
    w("")
    generated = (
        "reused from an earlier run (verified complete)"
        if data.get("reused")
        else f"generated in {num(data.get('generated_seconds'), 0)} s"
    )
    w(
        f"Generated by `manage.py bench_seed` after `load_demo` ({generated}): {data['articles']} live articles, "
        f"each bench article with a body of {data['body_blocks']} blocks (headings, rich-text paragraphs with "
        f"internal and external links, {data['images']} pictures of 1600×900 in image blocks, a video embed, "
        "quotes, link lists of pages and URLs, two promo snippets and a disclaimer), a hero image, an author "
        "with a photo, tags, related posts and testimonials. Comments are bulk-inserted by `bench.seeding` "
        "with the values the services store:"
    )
    w("")
    w("| article | comments | shape |")
    w("| --- | --- | --- |")
    for spec in data["threads"]:
        w(
            f"| thread of {spec['total']:,} | {spec['total']:,} approved | {spec['threads']:,} top-level comments "
            f"with {spec['replies']} replies each |"
        )
    for spec in data["special"].values():
        if spec["kind"] == "queue":
            w(f"| queue of {spec['size']:,} | {spec['size']:,} pending | top-level, one article |")
    w("")
    w(
        "The article used for the article scenarios is the one holding the 10,000-comment thread. Isso gets "
        "threads of the same shapes (1,000: 250 × (1 + 3); 10,000: 2,000 × (1 + 4)) in its SQLite database. "
        "Posting adds pending comments to the two thread articles; they never appear in the public threads, and the "
        "next run deletes them before it verifies the data (`bench_seed --verify`), so every run starts from the "
        "same data."
    )
    w("")
    w("## Results")
    w("")
    w(f"![requests per second and CPU per request]({png_name})")
    w("")
    w(
        "| scenario | server | conn. | req/s | p50 ms | p99 ms | CPU ms/req | DB ms/req | ≥400 / socket errors "
        "| other load | check |"
    )
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for s in scen:
        med = s["median"]
        check = s["check"]
        mark = "ok" if check["ok"] else "⚠ " + "; ".join(check["problems"])
        headers = ", ".join(f"{k}: {v}" for k, v in check["headers"].items() if k.lower() != "content-type")
        line = (
            f"| {s['label']} | {s['server']} | {s['connections']} | {num(med['rps'])} | {num(med['p50_ms'])} | "
            f"{num(med['p99_ms'])} | {num(med['cpu_ms'])} | {num(med['db_ms'])} | {med['non2xx']} / "
            f"{med['socket_errors']} | {num(med.get('other_load_pct'), 0)} % | {check['status']} {headers} {mark} |"
        )
        w(line.replace("  ", " "))
    w("")
    busy = [
        (s["label"], n + 1, r["other_load_pct"])
        for s in scen
        for n, r in enumerate(s["rounds"])
        if (r.get("other_load_pct") or 0) > BUSY_PCT
    ]
    w(
        "*Other load* is the share of the machine's CPU that processes outside the benchmark used during the run "
        "(`/proc/stat` minus the servers, their database backends, Redis and wrk); the harness waits for a quiet "
        "machine before each run, within a budget."
    )
    if busy:
        total = sum(len(s["rounds"]) for s in scen)
        listed = "; ".join(f"{label}, round {n} ({num(load, 0)} %)" for label, n, load in busy[:8])
        more = f" and {len(busy) - 8} more" if len(busy) > 8 else ""
        w(
            f"**{len(busy)} of {total} runs shared the machine** with other processes (over {BUSY_PCT} %): "
            f"{listed}{more}. Their requests per second and latency are lower than on a quiet machine; CPU per "
            "request, which the cost targets use, is much less affected, and the medians damp single runs."
        )
    w("")
    w("Each round (req/s and CPU ms per request), to show the spread:")
    w("")
    w("| scenario | " + " | ".join(f"round {n + 1}" for n in range(cfg["rounds"])) + " |")
    w("| --- |" + " ---: |" * cfg["rounds"])
    for s in scen:
        cells = [f"{num(r['rps'])} req/s, {num(r['cpu_ms'])} ms" for r in s["rounds"]]
        w(f"| {s['label']} | " + " | ".join(cells) + " |")
    w("")
    notes = [s for s in scen if s.get("note")]
    if notes:
        for s in notes:
            w(f"- *{s['label']}*: {s['note']}")
        w("")
    w("## Targets")
    w("")
    w("| target | measured | ratio | required | result |")
    w("| --- | --- | ---: | ---: | --- |")
    for row in rows:
        result = "n/a" if row["passed"] is None else ("**pass**" if row["passed"] else "**miss**")
        w(
            f"| {row['target']} | {row['measured']} | {ratio_text(row['ratio'])} | {row['better']} {row['bound']:g} "
            f"| {result} |"
        )
    w("")
    misses = [row for row in rows if row["passed"] is False]
    if misses:
        w("### Why the misses, and what they would take")
        w("")
        for row in misses:
            bound = f"required {row['better']} {row['bound']:g}"
            w(f"- **{row['target']}** ({ratio_text(row['ratio'])}, {bound}): {row['why']}")
        w("")
    inproc = info.get("inprocess") or {}
    if inproc:
        w("## Where the time goes: in Django, and in the server")
        w("")
        w(
            "The same requests sent straight to Django's WSGI handler in one process, after the load (bench/"
            "inprocess.py): CPU per request there is Django's and the project's work; what gunicorn adds is the "
            "difference. SQL queries per request are counted once."
        )
        w("")
        w("| scenario | in-process CPU ms | SQL queries | under gunicorn CPU ms | server's share ms |")
        w("| --- | ---: | ---: | ---: | ---: |")
        labels = {s["id"]: s["label"] for s in info["scenarios"]}
        for sid, values in inproc.items():
            under = _get(_medians(info), sid, "cpu_ms")
            share = under - values["cpu_ms"] if under is not None else None
            shown = "≈ 0 (noise)" if share is not None and share < 0 else num(share)
            w(f"| {labels.get(sid, sid)} | {num(values['cpu_ms'])} | {values['queries']} | {num(under)} | {shown} |")
        w("")
    w("## Worker memory and start-up")
    w("")
    w("| instance | master RSS MB | workers' RSS MB (each) | workers' PSS MB (each) | workers replaced | first 200 |")
    w("| --- | ---: | --- | --- | ---: | ---: |")
    for name, mem in info["memory"].items():
        rss = ", ".join(num(r, 1) for r, _ in mem["workers"])
        pss = ", ".join(num(p, 1) for _, p in mem["workers"])
        start = info["startup"].get(name)
        w(
            f"| {name} | {num(mem['master'][0], 1)} | {rss} | {pss} | {mem['replaced']} | "
            f"{num(start, 2) + ' s' if start is not None else 'n/a'} |"
        )
    w("")
    w(
        "RSS after all the rounds, from `/proc/<pid>/status`; PSS (`smaps_rollup`) divides the pages a worker shares "
        "with the master and its siblings (`preload_app`) between them. The memory target looks at **app** and "
        "**nocache**, which serve only the project's endpoints. Start-up is the time from launching gunicorn to "
        "the first `200` of the article API, polled every 20 ms"
        + (
            f"; importing the application alone (`import cms.wsgi`, best of 3) takes "
            f"{num(info['import_seconds']['wall'], 2)} s ({num(info['import_seconds']['cpu'], 2)} s of CPU)."
            if info.get("import_seconds")
            else "."
        )
    )
    w("")
    alt = [s for s in scen if s["group"] == "workers"]
    if alt and cfg.get("alt_class"):
        w("## gunicorn worker class")
        w("")
        w(
            f"The same instance as **app** but with `{cfg['alt_class']}` workers (gthread: 4 threads each, HTTP "
            f"keep-alive), against the reference `{cfg['worker_class']}`, straight from wrk (keep-alive requested):"
        )
        w("")
        w("| scenario | worker class | req/s | p50 ms | p99 ms | CPU ms/req |")
        w("| --- | --- | ---: | ---: | ---: | ---: |")
        pairs = {"alt_article_app_cache": "article_app_cache", "alt_queue_100": "queue_100"}
        by_id = {s["id"]: s for s in scen}
        for alt_id, ref_id in pairs.items():
            for sid, klass in ((ref_id, cfg["worker_class"]), (alt_id, cfg["alt_class"])):
                s = by_id.get(sid)
                if s:
                    med = s["median"]
                    label = by_id[ref_id]["label"] if ref_id in by_id else s["label"]
                    w(
                        f"| {label} | {klass} | {num(med['rps'])} | {num(med['p50_ms'])} | {num(med['p99_ms'])} | "
                        f"{num(med['cpu_ms'])} |"
                    )
        w("")
        w(
            "deploy/gunicorn.conf.py explains the choice; in production nginx is the only client of gunicorn and "
            "keeps its own upstream connections, so keep-alive from gunicorn to the world does not arise."
        )
        w("")
    w(PROFILING_HEADING)
    w("")
    w(profiling or f"{PROFILING_TODO} (py-spy or cProfile of the uncached article, the thread and the queue).")
    w("")
    w("## Method notes")
    w("")
    w(
        "- *Queue at 100 and at 100,000*: one database holds both; the two measurements are the queue filtered by "
        "article (`?status=pending&page=<id>`, a filter the moderation API offers), for an article with 100 "
        "pending comments and for one with 100,000. The site-wide queue then holds 100,100 pending comments plus "
        "those the posting scenarios add."
    )
    w(
        "- *Isso* is asked for the same page as ours (`limit=20&nested_limit=5`: 20 top-level comments and their "
        "replies); its embed script asks for every top-level comment by default, which would cost it more."
    )
    w(
        "- *django-comments-xtd's list* answers every comment of the object at once (its `urls` module turns "
        "pagination off), some megabytes at 10,000, so it runs with one connection per core and a 60 s timeout; "
        "CPU per request then includes the part of the requests still running when wrk stopped."
    )
    w(
        "- *Posting* sends a unique body each time (the duplicate rule refuses repeats) from one address; the "
        "bench settings raise the rate limit so that the limit is not what is measured. `202` is success; "
        "anything else is counted in the errors column."
    )
    w("- Requests carry `Host: localhost` (the site's host), so the responses are the canonical ones nginx may cache.")
    w("")
    return "\n".join(out)


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
