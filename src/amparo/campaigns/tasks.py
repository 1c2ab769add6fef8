"""Background work for campaign detection (run by ``amparo worker``). Idempotent: a rerun after
a crash replaces the run's campaigns."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger("amparo.campaigns")


@task()
def run_detection(run_id: str) -> str:
    from amparo.campaigns.models import DetectionRun
    from amparo.campaigns.services import execute, tell_finished
    from amparo.core import rls

    run = DetectionRun.objects.select_related("organisation", "data_key").get(pk=run_id)
    try:
        with rls.organisation(run.organisation_id):  # row-level security: this run's organisation
            execute(run)
    except Exception as exc:
        DetectionRun.objects.filter(pk=run.pk).update(
            status=DetectionRun.Status.FAILED, error=type(exc).__name__
        )
        with rls.organisation(run.organisation_id):
            tell_finished(run, "campaign_run_failed")
        logger.exception("campaign detection failed")
        raise
    return run_id
