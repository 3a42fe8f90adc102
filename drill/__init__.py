"""The multi-server drill (``make drill``, ``python -m drill``): see drill/runner.py and docs/deployment.md."""
