"""docs/performance.png: requests per second and CPU per request of every scenario (log scales)."""

from bench.format import num

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
