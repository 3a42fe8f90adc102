"""The drill's database: a fresh copy of a migrated template, the editor's and moderator's accounts.

Migrating an empty database takes about a minute on two cores, so the migrated state is kept in a
template database (``<name>_template``) labelled with a digest of every migration and of the pinned
requirements; each run drops its database and creates it anew from the template (a second), then
runs ``migrate`` on it (which finds nothing to do unless the template is behind). ``--fresh``, or any
change of a migration, builds the template again.
"""

import hashlib
import json
import subprocess

from bench.shell import output, run, say
from drill.config import PYTHON, ROOT, WORK


def migrations_digest():
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + [ROOT / "requirements.txt"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def psql(cfg, sql):
    return output(["psql", f"{cfg.pg_server}/postgres", "-tAc", sql])


def manage(env, *args, **kwargs):
    return run([PYTHON, "manage.py", *args], env=env, **kwargs)


def recreate(cfg, name, template=None):
    maintenance = f"--maintenance-db={cfg.pg_server}/postgres"
    run(["dropdb", "--if-exists", "--force", maintenance, name], stderr=subprocess.DEVNULL)
    run(["createdb", maintenance, *(["-T", template] if template else []), name])


def ensure_template(cfg, env):
    template = f"{cfg.database}_template"
    digest = migrations_digest()
    label = psql(cfg, f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname='{template}'")  # noqa: S608
    if label == digest and not cfg.fresh:
        say(f"template database {template} is migrated (migrations {digest})")
        return template
    say(f"migrating the template database {template} (migrations {digest}); later runs copy it")
    recreate(cfg, template)
    manage({**env, "DATABASE_URL": f"{cfg.pg_server}/{template}"}, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    psql(cfg, f"COMMENT ON DATABASE {template} IS '{digest}'")
    return template


def prepare(cfg, env, editor_password):
    """A fresh database, migrated; static files collected; the accounts made. What drill/seed.py wrote."""
    WORK.mkdir(exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")
    template = ensure_template(cfg, env)
    say(f"database {cfg.database}: dropped and created from {template}")
    recreate(cfg, cfg.database, template)
    manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    manage(env, "collectstatic", "--noinput", stdout=subprocess.DEVNULL)
    seed_out = WORK / "seed.json"
    seed_out.unlink(missing_ok=True)
    seed_env = {**env, "DRILL_SEED_OUT": str(seed_out), "DRILL_EDITOR_PASSWORD": editor_password}
    manage(seed_env, "shell", "-v", "0", "-c", "from drill.seed import main; main()")
    return json.loads(seed_out.read_text())
