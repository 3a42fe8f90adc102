"""Running commands from the harness, and saying what it does."""

import subprocess
import sys
import time

from bench.config import ROOT

# Who is speaking: ``python -m drill`` reuses these helpers and says "drill".
TAG = "bench"


def say(message):
    stamp = time.strftime("%H:%M:%S")
    sys.stdout.write(f"[{TAG} {stamp}] {message}\n")
    sys.stdout.flush()


def run(argv, *, env=None, check=True, quiet=False, **kwargs):
    if not quiet:
        shown = [str(a) if len(str(a)) < 90 else str(a).strip().splitlines()[0][:60] + " …" for a in argv]
        say("$ " + " ".join(shown))
    return subprocess.run([str(a) for a in argv], env=env, check=check, cwd=ROOT, **kwargs)  # noqa: S603


def output(argv, **kwargs):
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False, cwd=ROOT, **kwargs)  # noqa: S603
    return (done.stdout + done.stderr).strip()


def succeeds(argv):
    return subprocess.run([str(a) for a in argv], capture_output=True, check=False).returncode == 0  # noqa: S603
