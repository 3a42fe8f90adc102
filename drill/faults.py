"""Scenarios 4 and 5: server A killed with SIGKILL during a posting load; Redis stopped and restarted
during a read load."""

import collections
import os
import re
import signal
import threading
import time

from drill import client
from drill.comments import post_comment
from drill.report import latency_figures
from drill.stack import wait_until


def poster(stack, proxy, page_id, marker, number, stop, answers):
    """One reader posting as fast as the answers come: (proxy, token, answer) for each POST."""
    reader = client.session()
    sent = 0
    while not stop.is_set():
        sent += 1
        token = f"{marker}-{number}-{sent}"
        answer = post_comment(reader, stack.url(proxy), page_id, f"Load comment {token}", name=f"Poster {number}")
        answers.append((proxy, token, answer))
        if answer.status is None or answer.status >= 500:
            stop.wait(0.1)  # a client backs off a failing server a little before trying again


def running(pid):
    """Is ``pid`` a process that still runs (not gone, not a zombie waiting to be reaped)?"""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            raw = handle.read()
    except OSError:
        return False
    return raw[raw.rindex(")") + 2] not in "ZX"


def kill_app(stack, name):
    """SIGKILL to gunicorn's master and every worker (its process group); the pids it killed."""
    server = stack.servers[name]
    pids = server.pids()
    os.killpg(server.pid, signal.SIGKILL)
    server.popen.wait(timeout=10)
    wait_until(lambda: not any(running(pid) for pid in pids), what=f"{name}'s processes to die", timeout=10)
    return pids


def stored_tokens(page_id, marker):
    from comments.models import ArticleComment

    bodies = ArticleComment.objects.filter(article_id=page_id, comment__contains=marker).values_list(
        "comment", flat=True
    )
    return {match for body in bodies for match in re.findall(rf"{re.escape(marker)}-\d+-\d+", body)}


def post_under_kill(stack, cfg, page_id, marker):
    """The load, A killed once half of it has passed and A has accepted comments.

    Returns (answers, start, kill time, pids killed)."""
    stop, answers, threads = threading.Event(), [], []
    for number in range(cfg.post_threads):
        proxy = "nginx_a" if number % 2 == 0 else "nginx_b"
        args = (stack, proxy, page_id, marker, number, stop, answers)
        threads.append(threading.Thread(target=poster, args=args, daemon=True))
    started = time.time()
    for thread in threads:
        thread.start()
    half = started + cfg.post_seconds / 2
    wait_until(lambda: time.time() >= half and any(a[0] == "nginx_a" and a[2].status == 202 for a in answers),
               what="A to accept comments", timeout=cfg.post_seconds * 3)  # fmt: skip
    killed_at = time.time()
    pids = kill_app(stack, "app_a")
    stop.wait(max(0.0, started + cfg.post_seconds - time.time()))  # the rest of the load's duration
    stop.set()
    for thread in threads:
        thread.join(timeout=client.TIMEOUT + 5)
    return answers, started, killed_at, pids


def status_counts(answers):
    return dict(collections.Counter(a.status if a.status is not None else a.error for a in answers))


def server_killed(result, stack, seed, state, cfg):
    """4. A killed with SIGKILL while both take comments: no 202 is lost; B's path serves no 5xx."""
    article = state.get("article")
    if not result.check(article is not None, "needs scenario 1's article"):
        return
    marker = f"load{state['run_id']}"
    answers, started, killed_at, pids = post_under_kill(stack, cfg, article["id"], marker)
    result.figure("load", f"{cfg.post_threads} posting threads (half through each nginx) for {cfg.post_seconds:.0f} s")
    result.figure("A killed", f"SIGKILL to {len(pids)} processes (master and workers) at +{killed_at - started:.1f} s")
    for proxy in ("nginx_a", "nginx_b"):
        mine = [a for p, _, a in answers if p == proxy]
        before = [a for a in mine if a.at <= killed_at]
        after = [a for a in mine if a.at > killed_at]
        result.figure(
            f"{proxy} before the kill", f"{status_counts(before)}; {latency_figures([a.seconds for a in before])}"
        )
        result.figure(
            f"{proxy} after the kill", f"{status_counts(after)}; {latency_figures([a.seconds for a in after])}"
        )
    b_errors = [a for p, _, a in answers if p == "nginx_b" and (a.status is None or a.status >= 500)]
    result.check(not b_errors, f"B's path (the surviving one) answered {len(b_errors)} 5xx or nothing")
    result.check(any(p == "nginx_b" and a.status == 202 and a.at > killed_at for p, _, a in answers),
                 "B accepted no comment after the kill")  # fmt: skip
    accepted = {token for _, token, a in answers if a.status == 202}
    stored = stored_tokens(article["id"], marker)
    missing = accepted - stored
    result.figure("comments that got a 202", f"{len(accepted)}; in the database afterwards: {len(accepted & stored)}")
    result.figure("stored without a 202 (the answer died with A)", len(stored - accepted))
    result.check(not missing, f"{len(missing)} comments that got a 202 are not in the database: {sorted(missing)[:5]}")


class ReadLoad:
    """Readers straight on one app server (no nginx), each answer filed under the phase it arrived in."""

    def __init__(self, stack, app, paths, threads):
        self.stack, self.app, self.paths = stack, app, paths
        self.phase = "before"
        self.answers = collections.defaultdict(list)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.read, args=(n,), daemon=True) for n in range(threads)]

    def read(self, number):
        reader = client.session()
        n = number
        while not self.stop.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            answer = client.get(reader, self.stack.url(self.app, path))
            self.answers[self.phase].append(answer)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=client.TIMEOUT + 5)

    def hold(self, seconds):
        """Let the load run this long in the current phase."""
        self.stop.wait(seconds)

    def seen(self, phase, cache_status):
        return any(a.header("X-Cache") == cache_status for a in self.answers[phase])


def readyz(stack, app):
    return client.get(client.session(), stack.url(app, "/readyz")).status


def redis_outage(result, stack, seed, state, cfg):
    """5. Redis stopped and restarted under a read load on B (no nginx in between): no 5xx."""
    article = state.get("article")
    if not result.check(article is not None, "needs scenario 1's article"):
        return
    page_id = article["id"]
    paths = [article["url"], f"/api/v2/pages/{page_id}/", f"/api/comments/?page={page_id}", "/articles/"]
    ready = {}
    with ReadLoad(stack, "app_b", paths, cfg.read_threads) as load:
        load.hold(cfg.read_phase_seconds)
        ready["before"] = readyz(stack, "app_b")
        stopping = stack.stop_redis()
        stopped = time.monotonic()  # answers count as "down" from when Redis refuses connections
        load.phase = "down"
        load.hold(cfg.read_phase_seconds)
        ready["down"] = readyz(stack, "app_b")
        stack.start_redis()  # and as "after" from its first PONG
        load.phase = "after"
        down = time.monotonic() - stopped
        result.figure("Redis", f"SIGTERM to refused connections in {stopping:.2f} s; down {down:.1f} s; PONG again")
        back = wait_until(lambda: load.seen("after", "HIT"), what="a cache HIT after the restart", timeout=30)
        result.figure("first cache HIT after the restart", f"{back:.2f} s after Redis answered again")
        load.hold(cfg.read_phase_seconds)
        ready["after"] = readyz(stack, "app_b")
    for phase in ("before", "down", "after"):
        answers = load.answers[phase]
        caches = dict(collections.Counter(a.header("X-Cache") or "-" for a in answers))
        result.figure(f"{phase}: {len(answers)} reads", f"{status_counts(answers)}; X-Cache {caches}; "
                      f"{latency_figures([a.seconds for a in answers])}; /readyz {ready[phase]}")  # fmt: skip
        failed = [a for a in answers if a.status is None or a.status >= 500]
        result.check(not failed, f"{len(failed)} reads {phase} got a 5xx or no answer: {status_counts(failed)}")
    result.check(load.seen("down", "BYPASS"), "no read went without the cache while Redis was down")
    result.check(ready["down"] == 503, f"/readyz answered {ready['down']} while Redis was down")
