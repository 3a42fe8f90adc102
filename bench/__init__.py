"""``make bench``: load tests of the app under gunicorn, nginx and the stock peers (docs/performance.md)."""
