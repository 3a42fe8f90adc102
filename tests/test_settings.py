"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def reference_env():
    """The values deploy/production.env.example sets (blank ones left out)."""
    lines = (ROOT / "deploy" / "production.env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name: value for name, value in pairs if value}


def run_check(**env):
    harness = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "TRUSTED_PROXY_COUNT",
    }
    environment = {k: v for k, v in os.environ.items() if k not in harness}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


REDIS = "redis://127.0.0.1:6379/0"


def test_production_refuses_to_start_without_secret_key():
    result = run_check(ALLOWED_HOSTS="example.com", REDIS_URL=REDIS)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check(SECRET_KEY="x" * 60, REDIS_URL=REDIS)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_redis_and_says_why():
    # Without it each process kept its own rate limits, cache tags and purge registry.
    result = run_check(SECRET_KEY="k3y-" + "x" * 60 + "-Zq9!", ALLOWED_HOSTS="example.com")
    assert result.returncode == 1
    assert "REDIS_URL must be set in production: the app servers share their rate limits" in result.stderr


def test_production_passes_the_deploy_checks():
    proxies = reference_env()["TRUSTED_PROXY_COUNT"]
    assert proxies == "1"  # the bundled nginx
    result = run_check(
        SECRET_KEY="k3y-" + "x" * 60 + "-Zq9!",
        ALLOWED_HOSTS="example.com",
        TRUSTED_PROXY_COUNT=proxies,
        REDIS_URL=REDIS,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_trusted_proxies_warns_in_the_deploy_checks():
    result = run_check(SECRET_KEY="k3y-" + "x" * 60 + "-Zq9!", ALLOWED_HOSTS="example.com", REDIS_URL=REDIS)
    assert result.returncode == 0, result.stderr
    assert "(core.W001) SECURE_PROXY_SSL_HEADER trusts a proxy, but TRUSTED_PROXY_COUNT is 0" in result.stderr


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({}, "1"),
        ({"GUNICORN_BIND": "unix:/run/cms/gunicorn.sock"}, "1"),
        ({"GUNICORN_BIND": "[::1]:8000"}, "1"),
        ({"GUNICORN_BIND": "0.0.0.0:8000"}, "None"),
        ({"GUNICORN_BIND": "192.0.2.10:8000"}, "None"),
        ({"TRUSTED_PROXY_COUNT": "2"}, "2"),
    ],
)
def test_gunicorn_trusts_the_nginx_beside_it_only_when_listening_on_loopback(environment, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"GUNICORN_BIND", "TRUSTED_PROXY_COUNT"}}
    script = "import os, runpy; runpy.run_path('deploy/gunicorn.conf.py'); print(os.environ.get('TRUSTED_PROXY_COUNT'))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**env, **environment}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
