"""Before the rounds: does each scenario measure what it claims? (Scenario.expect says what to check.)"""

import json
import time

from bench import procs
from bench.config import HOST
from bench.shell import say


def request_once(server, scenario):
    url = f"http://127.0.0.1:{server.port}{scenario.path}"
    headers = {"Host": HOST}
    for header in scenario.headers:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    data = None
    if scenario.method == "POST":
        headers["Content-Type"] = "application/json"
        body = {
            "page": int(scenario.env["BENCH_PAGE"]),
            "name": "Bench reader",
            "email": "reader@example.com",
            "body": f"Pre-flight comment {time.time_ns()}",
        }
        data = json.dumps(body).encode()
    return procs.http_get(url, headers=headers, data=data, method=scenario.method, timeout=120)


def header(headers, name):
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def json_length(body, key):
    try:
        parsed = json.loads(body)
        return len(parsed[key] if key else parsed)
    except (ValueError, KeyError, TypeError):
        return None


def problems(expect, status, headers, body, article_body):
    found = []
    if status != expect.get("status", 200):
        found.append(f"status {status}")
    if "header" in expect:
        name, value = expect["header"]
        seen = header(headers, name)
        if seen != value:
            found.append(f"{name}: {seen} (expected {value})")
    if expect.get("uncached") and header(headers, "X-Cache") == "HIT":
        found.append("served from the app's cache")
    if "same_body_as" in expect and body != article_body:
        found.append("not the article's bytes")
    if "json_len" in expect:
        key, length = expect["json_len"]
        seen = json_length(body, key)
        if seen != length:
            found.append(f"{key or 'list'} has {seen} items, not {length}")
    return found


def preflight(scenario, server, article_body):
    """One scenario's check: a GET is asked twice (the second answer is the one a cache would give)."""
    status, headers, body = request_once(server, scenario)
    if scenario.method == "GET":
        status, headers, body = request_once(server, scenario)
    seen = {k: v for k, v in headers.items() if k.lower() in {"x-cache", "x-proxy-cache", "content-type"}}
    found = problems(scenario.expect, status, headers, body, article_body)
    return {"status": status, "headers": seen, "bytes": len(body), "ok": not found, "problems": found}


def check_all(scenarios, servers, article_body):
    checks = {}
    for scenario in scenarios:
        check = checks[scenario.id] = preflight(scenario, servers[scenario.server], article_body)
        mark = "ok" if check["ok"] else "PROBLEM: " + "; ".join(check["problems"])
        say(f"pre-flight {scenario.id}: {check['status']} {check['headers']} {mark}")
    return checks
