"""The worker: periodic jobs, background tasks and the outbox, pass after pass."""

import logging
import os
import signal
import socket
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from notifications.delivery import deliver_due
from notifications.periodic import enqueue_due_periodic

logger = logging.getLogger("notifications.worker")


class Command(BaseCommand):
    help = "Run periodic jobs, background tasks and the e-mail outbox; --once for a single pass."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one pass and exit (for cron and tests).")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes (default 5).")
        parser.add_argument("--limit", type=int, default=500, help="Messages sent per pass at most (default 500).")

    def handle(self, *, once: bool, interval: float, limit: int, verbosity: int, **options):
        if verbosity >= 1 and not logger.handlers and not logging.getLogger().handlers:
            logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
        if verbosity >= 1:
            logger.setLevel(logging.INFO)
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"[:64]
        stop = threading.Event()
        self.task_worker: Worker | None = None

        def on_signal(signum, frame):
            logger.info("Received %s: finishing the current message, then stopping", signal.strsignal(signum))
            stop.set()
            if self.task_worker is not None:
                self.task_worker.running = False  # django-tasks-db finishes its current task, then returns

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        logger.info("Worker %s started", worker_id)
        while not stop.is_set():
            started = time.monotonic()
            close_old_connections()
            periodic = enqueue_due_periodic()
            tasks = self.run_tasks(worker_id, stop)
            sent = handled = 0
            while not stop.is_set():
                handled = deliver_due(worker_id=worker_id, limit=limit, stop=stop)
                sent += handled
                if handled < limit or not once:
                    break
            # A full pass means more is waiting (reminders by the thousand): the next pass starts
            # at once, still checking periodic jobs and tasks between passes.
            more_waiting = handled >= limit
            # An idle pass says nothing at INFO: a worker passing every 5 s would bury what matters.
            busy = bool(periodic or tasks or sent)
            logger.log(
                logging.INFO if busy or once else logging.DEBUG,
                "Pass done in %.2fs: %d periodic job(s) enqueued, %d task(s) run, %d message(s) handled",
                time.monotonic() - started,
                len(periodic),
                tasks,
                sent,
            )
            close_old_connections()
            if once:
                break
            if not more_waiting:
                stop.wait(interval)
        logger.info("Worker %s stopped", worker_id)

    def run_tasks(self, worker_id: str, stop: threading.Event) -> int:
        """Run the background tasks that are ready (django-tasks-db, every queue), then return."""
        if stop.is_set():
            return 0
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.task_worker = worker
        try:
            worker.run()
        finally:
            self.task_worker = None
        return worker._run_tasks
