"""Names that moved between django-tasks releases and Django's own ``django.tasks``."""

from django_tasks_db.compat import TaskResultStatus  # noqa: F401
