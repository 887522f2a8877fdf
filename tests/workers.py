"""Real background workers for tests: `manage.py run_worker` processes on this test's
database, which must be committed (transactional tests) for them to see it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def worker_environment() -> dict[str, str]:
    """The environment of a worker process that uses this test's database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{Path(db['NAME']).resolve()}"
    else:
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # Notifications are sent by workers: into the worker's memory, never to a mail server
    # (a test that reads them gives the worker the file backend and a folder).
    email = "django.core.mail.backends.locmem.EmailBackend"
    return os.environ | {"DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_EMAIL_BACKEND": email}


def start_worker(env: dict[str, str], *options: str) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval"]
    return subprocess.Popen(
        [*command, "0.1", "--no-reload", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_batch(env: dict[str, str], **extra_env: str) -> str:
    """A worker that runs every queued task, then exits; its output."""
    worker = start_worker(env | extra_env, "--batch")
    # Generous: a guard against a hung worker, not a speed target (the suite runs over
    # every CPU, and the evidence measure queues hundreds of captures).
    output, _ = worker.communicate(timeout=600)
    assert worker.returncode == 0, output
    return output


def wait_for(condition, *, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
