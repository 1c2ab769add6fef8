import os
import time

from django.db import transaction
from django_tasks import task


@task()
def slow_marker(token: str, seconds: float) -> str:
    """Records an attempt, works for a while, then records completion once (idempotent)."""
    from tests.testapp.models import TaskAttempt, TaskRun

    TaskAttempt.objects.create(token=token, pid=os.getpid())
    time.sleep(seconds)
    with transaction.atomic():
        TaskRun.objects.get_or_create(token=token)
    return token
