"""Reading settings from the environment, one way everywhere (Django settings, gunicorn's config).

Plain Python: it imports nothing of Django, so a config file can use it before Django starts.
"""

import os


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """A comma-separated list; empty items are dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    """An integer; unset or blank is ``default``."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else int(default)


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    return float(value) if value else float(default)
