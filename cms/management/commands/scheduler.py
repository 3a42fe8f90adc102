"""``python manage.py scheduler``: the scheduled work of cms/scheduler.py, in the foreground.

Run one beside each app server (systemd, a container), like ``db_worker``; several servers share the
work through the cache's locks. ``--once`` runs the jobs now, under the same locks, and exits.
"""

import signal

from django.core.management.base import BaseCommand, CommandError

from cms import scheduler


class Command(BaseCommand):
    help = "Publish and expire scheduled pages, purge old client addresses and prune task results, on a schedule."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs once, now, and exit")
        parser.add_argument("jobs", nargs="*", metavar="JOB", help="with --once: only these jobs")

    def handle(self, *args, once, jobs, **options):
        known = {job.name: job for job in scheduler.jobs()}
        unknown = sorted(set(jobs) - set(known))
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}; the jobs are {', '.join(known)}.")
        if jobs and not once:
            raise CommandError("Name jobs only with --once.")
        write = self._write
        if once:
            failed = [name for name in jobs or known if scheduler.run_job(known[name], write=write) == "failed"]
            if failed:
                raise CommandError(f"Failed: {', '.join(failed)}")
            return
        runner = scheduler.build(write=write)
        for job in known.values():
            write(f"Scheduler: {job.name} every {job.period} s")
        signal.signal(signal.SIGTERM, _stop)
        try:
            runner.start()
        except (KeyboardInterrupt, SystemExit):
            write("Scheduler: stopping (waiting for running jobs)")
            runner.shutdown(wait=True)

    def _write(self, line):
        self.stdout.write(line)
        self.stdout.flush()


def _stop(signum, frame):
    raise SystemExit(0)
