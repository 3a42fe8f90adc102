"""``python -m drill`` (``make drill``); ``--short`` is the form .ci/run uses."""

from drill.runner import main

main()
