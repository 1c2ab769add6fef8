import os
import time
from pathlib import Path

from django.db import transaction
from django_tasks import task


@task()
def gated_marker(token: str, gate: str) -> str:
    """Records an attempt, waits until the gate file exists, then records completion once.

    Idempotent like every Amparo task: a second run after a crash completes exactly once.
    """
    from tests.testapp.models import TaskAttempt, TaskRun

    TaskAttempt.objects.create(token=token, pid=os.getpid())
    deadline = time.monotonic() + 120
    while not Path(gate).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("gate never opened")
        time.sleep(0.1)
    with transaction.atomic():
        TaskRun.objects.get_or_create(token=token)
    return token


@task()
def kills_its_worker(token: str) -> None:
    """A poison task: records the attempt, then kills the worker process running it."""
    import signal

    from tests.testapp.models import TaskAttempt

    TaskAttempt.objects.create(token=token, pid=os.getpid())
    os.kill(os.getpid(), signal.SIGKILL)
