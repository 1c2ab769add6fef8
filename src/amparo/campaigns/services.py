"""Running campaign detection for an organisation, reviewing what it found, linking it to cases."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.campaigns.models import Campaign, DetectionRun
from amparo.campaigns.uploads import MAX_UPLOAD
from amparo.keyring import blobs
from amparo.keyring.services import organisation_key

if TYPE_CHECKING:  # Polars (about 40 MB per process) is imported where detection runs
    import polars as pl

    from amparo.accounts.types import Actor

FORMATS = {"csv", "jsonl", "parquet"}
#: Run parameters a coordinator may set (the form's fields), as the engine names them.
RUN_PARAMS = {
    "threshold",
    "word_threshold",
    "windows",
    "window",
    "min_shared",
    "min_score",
    "min_support",
    "max_key_accounts",
    "relay_min_items",
    "kinds",
    "mob_min_accounts",
}
ACTION_TYPES = {
    "account_suspended": "suspended",
    "content_removed": "removed",
    "false_mass_reporting": "suspended",
    "reach_reduced": "restricted",
}


def _coordinator(organisation: Any, actor: Actor) -> None:
    require_capability(actor, organisation.pk, Capability.COORDINATE)


def _format(name: str) -> str:
    ext = name.lower().rsplit(".", 1)[-1]
    ext = "jsonl" if ext in ("jsonl", "ndjson", "json") else ext
    if ext not in FORMATS:
        raise ValidationError(_("Upload CSV, JSON Lines or Parquet files."))
    return ext


@transaction.atomic
def start_run(
    organisation: Any,
    *,
    actor: Actor,
    posts: list[tuple[str, bytes]],
    actions: list[tuple[str, bytes]],
    include_case_actions: bool,
    params: dict[str, Any],
) -> DetectionRun:
    _coordinator(organisation, actor)
    if not posts:
        raise ValidationError(_("Add at least one file of posts."))
    key = organisation_key(organisation)
    run = DetectionRun(
        organisation=organisation,
        data_key=key,
        created_by=actor,
        params=params,
        include_case_actions=include_case_actions,
    )
    stored = []
    for kind, files in (("posts", posts), ("actions", actions)):
        for name, data in files:
            if len(data) > MAX_UPLOAD:
                raise ValidationError(
                    _("Each file may be at most %(mb)d MB.") % {"mb": MAX_UPLOAD // 2**20}
                )
            if not data:
                raise ValidationError(_("%(name)s is empty.") % {"name": name[:200]})
            fmt = _format(name)
            blob, _size = blobs.store(
                key, io.BytesIO(data), blobs.blob_aad(organisation.pk, "detection", run.pk)
            )
            stored.append({"blob": blob, "name": name[:200], "format": fmt, "kind": kind})
    run.inputs = stored
    run.save()
    record(
        "campaigns.run_started",
        actor=actor,
        obj=run,
        new={"files": len(stored), "case_actions": include_case_actions},
    )
    from amparo.campaigns.tasks import run_detection

    transaction.on_commit(lambda: run_detection.enqueue(str(run.pk)))
    return run


def _frame(run: DetectionRun, item: dict[str, Any]) -> pl.DataFrame:
    """One input file of ``run`` (the run that uploaded it: a scheduled run reads its
    sources' files, each bound to the run it was uploaded for)."""
    import polars as pl

    data = b"".join(
        blobs.read(
            run.data_key, item["blob"], blobs.blob_aad(run.organisation_id, "detection", run.pk)
        )
    )
    source = io.BytesIO(data)
    if item["format"] == "parquet":
        return pl.read_parquet(source)
    if item["format"] == "jsonl":
        return pl.read_ndjson(source, infer_schema_length=10_000)
    return pl.read_csv(source, infer_schema_length=10_000, try_parse_dates=False)


def run_params(stored: dict[str, Any]) -> Any:
    """Engine parameters from those stored with a run (older runs stored one ``window``)."""
    from amparo.engines.campaigns import Params

    values = {k: v for k, v in stored.items() if k in RUN_PARAMS}
    if "window" in values:
        values.setdefault("windows", [values.pop("window")])
    for name in ("windows", "kinds"):
        if name in values:
            values[name] = tuple(values[name])
    return Params(**values)


def case_actions(organisation: Any) -> pl.DataFrame:
    """Enforcement actions from the organisation's own reports: suspensions and removals."""
    import polars as pl

    from amparo.engines.triage import normalise_handle
    from amparo.intake.models import Report

    rows = []
    for report in Report.objects.filter(
        organisation=organisation, incident_type__in=ACTION_TYPES, erased_at__isnull=True
    ):
        when = report.occurred_on or report.received_at.date()
        moment = datetime(when.year, when.month, when.day, 12, tzinfo=UTC)
        for handle in (report.accounts or {}).get("affected", []):
            rows.append(
                {
                    "account": normalise_handle(handle, report.platform),
                    "action": ACTION_TYPES[report.incident_type],
                    "timestamp": moment.isoformat(),
                    "platform": report.platform,
                    "community": report.queue,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "account": pl.String,
            "action": pl.String,
            "timestamp": pl.String,
            "platform": pl.String,
            "community": pl.String,
        },
    )


#: The strongest co-action edges kept per campaign (for downloads and the network picture).
MAX_STORED_EDGES = 5000


def campaign_edges(edges: pl.DataFrame, accounts: list[str]) -> dict[str, Any]:
    """The co-action edges between a campaign's accounts, strongest first, as columns and
    rows: the two accounts, the weight, the score (null model only) and the shared keys of
    each kind."""
    import polars as pl

    keep = [
        c
        for c in edges.columns
        if c in ("source", "target", "weight", "score") or c.endswith("_shared")
    ]
    members = set(accounts)
    sub = (
        edges.filter(pl.col("source").is_in(members) & pl.col("target").is_in(members))
        .select(keep)
        .sort(["weight", "source", "target"], descending=[True, False, False])
        .head(MAX_STORED_EDGES)
    )
    return {"columns": keep, "rows": [list(row) for row in sub.iter_rows()]}


def execute(run: DetectionRun) -> None:
    """Run the detectors (called by the worker), storing progress, campaigns and statistics."""
    import polars as pl

    from amparo.engines.campaigns.detect import detect
    from amparo.engines.campaigns.io import Rejects, actions_from_frame, posts_from_frame

    def progress(stage: str, percent: int) -> None:
        DetectionRun.objects.filter(pk=run.pk).update(stage=stage[:40], progress=percent)

    DetectionRun.objects.filter(pk=run.pk).update(
        status=DetectionRun.Status.RUNNING, progress=1, stage="reading"
    )
    rejects = Rejects()
    params = run_params(run.params)
    keep = tuple(k[4:] for k in params.kinds if k.startswith("key:"))
    if run.schedule_id is not None:
        from amparo.campaigns.schedules import collected_inputs

        inputs = collected_inputs(run)
    else:
        inputs = [(run, item) for item in run.inputs or []]
    post_frames = [
        posts_from_frame(_frame(source, i), rejects=rejects, source=i["name"], keep=keep)
        for source, i in inputs
        if i["kind"] == "posts"
    ]
    if not post_frames:
        _finish_empty(run)
        return
    # The same file may have been uploaded for several runs a schedule reads.
    posts = pl.concat(post_frames, how="diagonal_relaxed").unique(maintain_order=True)
    action_frames = [
        actions_from_frame(_frame(source, i), rejects=rejects, source=i["name"])
        for source, i in inputs
        if i["kind"] == "actions"
    ]
    if run.include_case_actions:
        own = case_actions(run.organisation)
        if own.height:
            action_frames.append(actions_from_frame(own, rejects=rejects, source="cases"))
    actions = pl.concat(action_frames, how="diagonal_relaxed") if action_frames else None
    progress("detecting", 20)
    stages = iter(range(30, 95, 10))
    result = detect(
        posts, actions, params=params, stage=lambda name: progress(name, next(stages, 95))
    )
    with transaction.atomic():
        Campaign.objects.filter(run=run).delete()
        for found in result.campaigns:
            campaign = Campaign(
                organisation_id=run.organisation_id,
                data_key_id=run.data_key_id,
                run=run,
                engine_id=found.id,
                kind=found.kind,
                score=float(found.score),
                account_count=len(found.accounts),
                item_count=len(found.items),
                starts_at=datetime.fromtimestamp(found.start, UTC),
                ends_at=datetime.fromtimestamp(found.end, UTC),
                signals=list(found.signals),
            )
            campaign.detail = {
                "accounts": found.accounts,
                "items": found.items[:5000],
                "evidence": found.evidence,
                "linked": found.linked,
                "edges": campaign_edges(result.edges, found.accounts),
            }
            campaign.save()
        DetectionRun.objects.filter(pk=run.pk).update(
            status=DetectionRun.Status.DONE,
            progress=100,
            stage="done",
            finished_at=timezone.now(),
            stats={
                "posts": posts.height,
                "actions": 0 if actions is None else actions.height,
                "rejected": rejects.count,
                "campaigns": len(result.campaigns),
            },
        )
        record(
            "campaigns.run_finished",
            obj=run,
            organisation=run.organisation_id,
            new={"campaigns": len(result.campaigns), "rejected": rejects.count},
        )
        tell_finished(run, "campaign_run_done")


def _finish_empty(run: DetectionRun) -> None:
    """A scheduled run with nothing collected in its window: done, with nothing found."""
    with transaction.atomic():
        DetectionRun.objects.filter(pk=run.pk).update(
            status=DetectionRun.Status.DONE,
            progress=100,
            stage="nothing collected",
            finished_at=timezone.now(),
            stats={"posts": 0, "actions": 0, "rejected": 0, "campaigns": 0},
        )
        record(
            "campaigns.run_finished",
            obj=run,
            organisation=run.organisation_id,
            new={"campaigns": 0, "rejected": 0},
        )
        tell_finished(run, "campaign_run_done")


def tell_finished(run: DetectionRun, kind: str) -> None:
    """The person who started ``run`` is told it finished (done or failed), in the app."""
    from amparo.intake.notifying import notify

    notify([run.created_by], run.organisation_id, kind, link="campaign_run", object_id=run.pk)


@transaction.atomic
def review(campaign: Campaign, verdict: str, *, actor: Actor) -> None:
    _coordinator(campaign.organisation, actor)
    if verdict not in Campaign.Review.values:
        raise ValidationError(_("Unknown review."))
    old = campaign.review
    campaign.review, campaign.reviewed_by = verdict, actor
    campaign.save(update_fields=["review", "reviewed_by"])
    record(
        "campaign.reviewed", actor=actor, obj=campaign, old={"review": old}, new={"review": verdict}
    )


@transaction.atomic
def link_case(campaign: Campaign, case: Any, *, actor: Actor) -> None:
    _coordinator(campaign.organisation, actor)
    if case.organisation_id != campaign.organisation_id:
        raise PermissionDenied
    campaign.cases.add(case)
    record("campaign.linked_to_case", actor=actor, obj=campaign, new={"case": str(case.pk)})


#: Campaigns compared with a case's attackers on the case page (the latest runs' first).
MAX_MATCHED_CAMPAIGNS = 500


def campaigns_for_case(case: Any) -> list[dict[str, Any]]:
    """Campaigns linked to a case, and those whose accounts match an attacker named in the
    case's reports (compared as the intake's keyed digests). Reads only.

    Each entry: the campaign and the number of the case's attacker accounts among its own
    (0 for a campaign only linked by hand)."""
    from amparo.intake.indicators import digests
    from amparo.intake.models import Indicator

    attackers = set(
        Indicator.objects.filter(
            organisation_id=case.organisation_id,
            kind=Indicator.Kind.ATTACKER,
            report__case_link__case=case,
        ).values_list("digest", flat=True)
    )
    linked = {c.pk for c in case.campaigns.all()}
    found: list[dict[str, Any]] = []
    candidates = (
        Campaign.objects.filter(
            organisation_id=case.organisation_id, run__status=DetectionRun.Status.DONE
        )
        .filter(~Q(kind="enforcement_burst") | Q(pk__in=linked))
        .select_related("data_key", "run")
        .order_by("-run__created_at", "-score")
    )
    if not attackers:
        candidates = candidates.filter(pk__in=linked)
    for campaign in candidates[:MAX_MATCHED_CAMPAIGNS]:
        shared = 0
        if attackers:
            accounts = (campaign.detail or {}).get("accounts") or []
            mine = {d for kind, d in digests(case.organisation, {"attackers": accounts}, "")}
            shared = len(mine & attackers)
        if shared or campaign.pk in linked:
            found.append({"campaign": campaign, "shared": shared})
    return found
