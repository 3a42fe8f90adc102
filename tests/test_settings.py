"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    harness = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
    result = run_check(SECRET_KEY="k3y-" + "x" * 60 + "-Zq9!", ALLOWED_HOSTS="example.com", REDIS_URL=REDIS)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
