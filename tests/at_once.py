"""Run work in threads that start together (a barrier), each on its own database connection."""

import threading

from django.db import connections


def run_at_once(count, work):
    """``[work(0), …, work(count - 1)]``, run by ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def runner(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results
