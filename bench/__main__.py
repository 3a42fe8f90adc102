"""``python -m bench`` (``make bench``): see bench/runner.py and docs/performance.md."""

from bench.runner import main

main()
