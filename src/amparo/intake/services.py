"""Every write to reports, evidence and messages. Atomic, audited, and careful about what leaves."""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record
from amparo.core.regions import region_of
from amparo.engines.triage import detect_language
from amparo.intake import evidence as evidence_checks
from amparo.intake import followup, indicators, search
from amparo.intake.choices import RISK_FLAGS, Channel, ReportStatus
from amparo.intake.clock import coarse
from amparo.intake.models import (
    Evidence,
    IdempotencyKey,
    Indicator,
    Message,
    Report,
    SearchToken,
)
from amparo.intake.notifying import tell_staff
from amparo.intake.urgency import assess
from amparo.keyring import blobs
from amparo.keyring.services import record_key, shred, unsaved_record_key

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SET_ASIDE = "file_set_aside"  # the status code of a message saying a file was refused


@dataclass
class Submission:
    report: Report
    followup_code: str
    receipts: list[tuple[str, str]] = field(default_factory=list)  # (filename, sha256)


def _reference() -> str:
    return "R-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(7))


def _encrypt_evidence(
    report_or_none: Report | None,
    organisation: Any,
    data_key: Any,
    checked: evidence_checks.Checked,
    filename: str,
    *,
    pending_digest: str = "",
) -> Evidence:
    """An evidence row, not yet saved, whose encrypted blobs are already written."""
    item = Evidence(
        organisation=organisation,
        report=report_or_none,
        data_key=data_key,
        sha256=checked.sha256,
        size=len(checked.data),
        content_type=checked.content_type,
        extension=checked.extension,
        metadata_removed=checked.metadata_removed,
        received_at=coarse(),
        pending_token_digest=pending_digest,
    )
    aad = blobs.blob_aad(organisation.pk, "evidence", item.pk)
    item.original_blob, _size = blobs.store(data_key, io.BytesIO(checked.data), aad + b"|original")
    item.clean_blob, _size = blobs.store(data_key, io.BytesIO(checked.clean), aad + b"|clean")
    item.filename = filename[:255]
    return item


def _delete_blobs(items: list[Evidence]) -> None:
    for item in items:
        for name in (item.original_blob, item.clean_blob):
            if name:
                blobs.delete(name)


def _store_evidence(
    report_or_none: Report | None,
    organisation: Any,
    data_key: Any,
    checked: evidence_checks.Checked,
    filename: str,
    *,
    pending_digest: str = "",
) -> Evidence:
    item = _encrypt_evidence(
        report_or_none, organisation, data_key, checked, filename, pending_digest=pending_digest
    )
    try:
        item.save(force_insert=True)
    except BaseException:
        _delete_blobs([item])
        raise
    return item


def stash_upload(
    organisation: Any, checked: evidence_checks.Checked, filename: str
) -> tuple[str, Evidence]:
    """Keep an accepted file while the rest of the form is fixed; returns a token for the form."""
    token = secrets.token_urlsafe(24)
    key = record_key(organisation)
    item = _store_evidence(
        None,
        organisation,
        key,
        checked,
        filename,
        pending_digest=hashlib.sha256(token.encode()).hexdigest(),
    )
    return token, item


def claim_stashed(organisation: Any, tokens: list[str]) -> list[Evidence]:
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in tokens if t]
    if not digests:
        return []
    return list(
        Evidence.objects.filter(
            organisation=organisation, report__isnull=True, pending_token_digest__in=digests
        )
    )


def _set_text_fields(report: Report, fields: dict[str, Any]) -> None:
    report.reporter = fields["reporter"]
    report.narrative = fields["narrative"]
    report.platform_notice = fields["platform_notice"]
    report.accounts = fields["accounts"]
    report.self_description = fields["self_description"]


@dataclass
class PreparedReport:
    """A report with all the work done that needs no database lock: the follow-up code and its
    Argon2id hash, language, urgency, indicator digests, a wrapped data key and the evidence
    files encrypted on disk. :func:`store_report` writes it in one short transaction."""

    report: Report
    followup_code: str
    actor: Actor
    channel: str
    indicators: list[tuple[str, str]]
    new_evidence: list[tuple[str, Evidence]]  # (the name it was sent with, the row)
    stashed: list[Evidence]
    # The exact moment of receipt, for the alarms only: the report keeps a coarse time.
    received: datetime = field(default_factory=timezone.now)
    # Files refused while the rest of the report is kept: (the name it was sent with, why).
    set_aside: list[tuple[str, str]] = field(default_factory=list)
    # The keyed word tokens of the narrative and platform notice (``intake.search``).
    search_tokens: list[str] = field(default_factory=list)


def prepare_report(
    organisation: Any,
    fields: dict[str, Any],
    *,
    channel: str,
    language: str,
    actor: Actor = None,
    attested: bool = False,
    files: list[tuple[str, evidence_checks.Checked]] | None = None,
    stashed: list[Evidence] | None = None,
    with_followup: bool = True,
    set_aside: list[tuple[str, str]] | None = None,
    held: bool = False,
) -> PreparedReport:
    """Check and compute everything about a report before any row is written. Raises
    ValidationError (nothing stored) when it cannot be accepted."""
    files = files or []
    stashed = stashed or []
    if len(files) + len(stashed) > evidence_checks.MAX_FILES_PER_REPORT:
        raise ValidationError(
            _("Please send at most 10 files with a report; you can add more later.")
        )
    if channel == Channel.INTERMEDIARY and not attested:
        raise ValidationError(_("Please confirm that the person asked you to report this."))
    code = followup.new_code(language) if with_followup else ""
    digest = followup.digest(code) if with_followup else None
    guess = detect_language(fields["narrative"])
    received = timezone.now()
    report = Report(
        organisation=organisation,
        data_key=unsaved_record_key(organisation),
        reference=_reference(),
        channel=channel,
        submitted_by=actor if channel == Channel.INTERMEDIARY else None,
        intermediary_attested=attested,
        language=language,
        detected_language=guess.code or "",
        received_at=coarse(received),
        followup_digest=digest,
        held=held and not any(fields[flag] for flag in RISK_FLAGS),
        **{
            k: fields[k]
            for k in (
                "incident_type",
                "platform",
                "country",
                "occurred_on",
                "consent_contact",
                "contact_method",
                "consent_share_identity",
                "consent_collective",
                "consent_statistics",
                *RISK_FLAGS,
            )
        },
    )
    report.queue = f"{report.detected_language or language}:{region_of(report.country)}"
    _set_text_fields(report, fields)
    assess(
        report,
        text=f"{fields['narrative']}\n{fields['platform_notice']}",
        identities=fields["self_description"].get("identities", []),
    )
    found = indicators.digests(organisation, fields["accounts"], fields["platform"])
    words = search.tokens_for(organisation, [fields["narrative"], fields["platform_notice"]])
    report.search_indexed = True
    new_evidence: list[tuple[str, Evidence]] = []
    try:
        for name, checked in files:
            new_evidence.append(
                (name, _encrypt_evidence(report, organisation, report.data_key, checked, name))
            )
    except BaseException:
        _delete_blobs([item for _name, item in new_evidence])
        raise
    return PreparedReport(
        report,
        code,
        actor,
        channel,
        found,
        new_evidence,
        stashed,
        received,
        list(set_aside or []),
        words,
    )


def _record_set_aside(report: Report, set_aside: list[tuple[str, str]]) -> None:
    """Tell staff, on the report, that a file was refused at receipt: its name and the reason
    the reporter was given, encrypted like any message. Nothing of the file itself is kept."""
    for name, reason in set_aside:
        message = Message(
            organisation=report.organisation,
            report=report,
            direction=Message.Direction.STATUS,
            status_code=SET_ASIDE,
            created_at=coarse(),
        )
        message.body = f"{name}\n{reason}" if name else reason
        message.save()


def store_report(
    prepared: PreparedReport, *, idempotency_key: str = "", request_digest: str = ""
) -> Submission:
    """Write a prepared report: its data key, the report, the idempotency key (if any), its
    indicators and evidence, its alarms and, last, the audit event, all in one transaction (a
    savepoint when the caller already has one). Raises IntegrityError when the idempotency key
    is taken; if anything fails, nothing of the report is kept."""
    try:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return _insert(prepared, idempotency_key, request_digest)
            except IntegrityError:
                # A new reference is all a retry can fix (they are random: a clash is rare).
                if not Report.objects.filter(reference=prepared.report.reference).exists():
                    raise
                prepared.report.reference = _reference()
        raise IntegrityError("could not allocate a report reference")
    except BaseException:
        _delete_blobs([item for _name, item in prepared.new_evidence])
        raise


def discard_prepared(prepared: PreparedReport) -> None:
    """Delete the encrypted files of a prepared report that will not be stored."""
    _delete_blobs([item for _name, item in prepared.new_evidence])


def _insert(prepared: PreparedReport, idempotency_key: str, request_digest: str) -> Submission:
    from amparo.intake.alarms import schedule_alarms

    report = prepared.report
    organisation = report.organisation
    report.data_key.save(force_insert=True)
    report.save(force_insert=True)
    if idempotency_key:
        IdempotencyKey.objects.create(
            organisation=organisation,
            key=idempotency_key,
            request_digest=request_digest,
            report=report,
        )
    if prepared.indicators:
        Indicator.objects.bulk_create(
            Indicator(report=report, organisation=organisation, kind=kind, digest=digest)
            for kind, digest in prepared.indicators
        )
    if prepared.search_tokens:
        SearchToken.objects.bulk_create(
            SearchToken(report=report, organisation=organisation, token=token)
            for token in prepared.search_tokens
        )
    receipts = []
    for name, item in prepared.new_evidence:
        item.save(force_insert=True)
        receipts.append((name, item.sha256))
    for item in prepared.stashed:
        item.report = report
        item.pending_token_digest = ""
        item.save(update_fields=["report", "pending_token_digest"])
        receipts.append((item.filename, item.sha256))
    _record_set_aside(report, prepared.set_aside)
    if not report.held:  # a report held as a possible flood raises no alarm until released
        schedule_alarms(report, prepared.received)
    # Last: the audit chain head stays locked from here to the end of the transaction.
    new: dict[str, Any] = {
        "channel": prepared.channel,
        "urgency": report.urgency_level,
        "files": len(receipts),
    }
    if prepared.set_aside:
        new["files_set_aside"] = len(prepared.set_aside)
    if report.held:
        new["held"] = True
    record("report.received", actor=prepared.actor, obj=report, new=new)
    return Submission(report, prepared.followup_code, receipts)


def submit_report(
    organisation: Any,
    fields: dict[str, Any],
    *,
    channel: str,
    language: str,
    actor: Actor = None,
    attested: bool = False,
    files: list[tuple[str, evidence_checks.Checked]] | None = None,
    stashed: list[Evidence] | None = None,
    with_followup: bool = True,
    set_aside: list[tuple[str, str]] | None = None,
    held: bool = False,
) -> Submission:
    """Accept a report. Files were already checked; stashed evidence (from a form that failed
    validation earlier) is attached to it. Returns the follow-up code, shown once.

    The work that needs no lock (:func:`prepare_report`) is done before the one short
    transaction that writes the report (:func:`store_report`).

    ``held``: keep it out of the queue, without alarms, as a possible flood (see
    ``intake.throttle``); ignored when the reporter gave any immediate-risk answer."""
    prepared = prepare_report(
        organisation,
        fields,
        channel=channel,
        language=language,
        actor=actor,
        attested=attested,
        files=files,
        stashed=stashed,
        with_followup=with_followup,
        set_aside=set_aside,
        held=held,
    )
    return store_report(prepared)


def find_by_code(organisation: Any, code: str) -> Report | None:
    if not code or len(code) > 200:
        return None
    return find_by_digest(organisation, followup.digest(code))


def find_by_digest(organisation: Any, digest: str) -> Report | None:
    """The report whose follow-up code has this digest (``followup.digest``), if any."""
    return Report.objects.filter(
        organisation=organisation, followup_digest=digest, erased_at__isnull=True
    ).first()


# --- the reporter, on the follow-up page ------------------------------------------------------


def mark_in_progress(reports: list[Report]) -> int:
    """Reports that a case now holds are being worked on (those not already further on).
    The public way for the cases domain to move a report's status (intake's table)."""
    return Report.objects.filter(
        pk__in=[r.pk for r in reports],
        status__in=[ReportStatus.RECEIVED, ReportStatus.ACKNOWLEDGED],
    ).update(status=ReportStatus.IN_PROGRESS)


def post_status(report: Report, status_code: str) -> Message:
    """A status line on the reporter's follow-up page (a code; the page says it in the
    reporter's language). The public way for other domains to write to a reporter's page."""
    message = Message(
        organisation_id=report.organisation_id,
        report=report,
        direction=Message.Direction.STATUS,
        status_code=status_code,
        created_at=timezone.now(),
    )
    message.body = ""
    message.save()
    return message


def reporter_answer(report: Report, body: str) -> Message:
    with transaction.atomic():
        message = Message(
            organisation=report.organisation,
            report=report,
            direction=Message.Direction.FROM_REPORTER,
            created_at=coarse(),
        )
        message.body = body
        message.save()
        record("report.reporter_answered", obj=report)
        tell_staff(report, "reporter_answered")
    return message


def reporter_add_evidence(
    report: Report,
    files: list[tuple[str, evidence_checks.Checked]],
    set_aside: list[tuple[str, str]] | None = None,
) -> list[Evidence]:
    if report.evidence.count() + len(files) > 3 * evidence_checks.MAX_FILES_PER_REPORT:
        raise ValidationError(_("This report already has as many files as we can accept."))
    items: list[Evidence] = []
    try:
        for name, checked in files:
            items.append(
                _encrypt_evidence(report, report.organisation, report.data_key, checked, name)
            )
        with transaction.atomic():
            for item in items:
                item.save(force_insert=True)
            _record_set_aside(report, set_aside or [])
            new: dict[str, Any] = {"files": len(items)}
            if set_aside:
                new["files_set_aside"] = len(set_aside)
            record("report.evidence_added", obj=report, new=new)
    except BaseException:
        _delete_blobs(items)
        raise
    return items


CONSENT_FIELDS = (
    "consent_contact",
    "consent_share_identity",
    "consent_collective",
    "consent_statistics",
)


def change_consent(report: Report, values: dict[str, str], *, actor: Actor = None) -> None:
    """The reporter (or staff on their instruction) changes consent; audited with old and new."""
    old = {f: getattr(report, f) for f in CONSENT_FIELDS}
    new = {f: values.get(f, old[f]) for f in CONSENT_FIELDS}
    if old == new:
        return
    with transaction.atomic():
        for name, value in new.items():
            setattr(report, name, value)
        if new["consent_contact"] == "no":
            report.contact_method = ""
        report.save(update_fields=[*CONSENT_FIELDS, "contact_method"])
        record("report.consent_changed", actor=actor, obj=report, old=old, new=new)
        if actor is None:  # the reporter: staff who changed it on instruction know already
            tell_staff(report, "consent_changed")


def request_deletion(report: Report) -> None:
    with transaction.atomic():
        report.deletion_requested = True
        report.save(update_fields=["deletion_requested"])
        record("report.deletion_requested", obj=report)
        tell_staff(report, "deletion_requested")


# --- staff ----------------------------------------------------------------------------------


def acknowledge(report: Report, *, actor: Actor) -> bool:
    """Mark a report as seen by a caseworker; stops the response-time alarms."""
    changed = Report.objects.filter(pk=report.pk, status=ReportStatus.RECEIVED).update(
        status=ReportStatus.ACKNOWLEDGED, acknowledged_at=timezone.now(), acknowledged_by=actor
    )
    if changed:
        record(
            "report.acknowledged",
            actor=actor,
            obj=report,
            old={"status": "received"},
            new={"status": "acknowledged"},
        )
        report.refresh_from_db(fields=["status", "acknowledged_at", "acknowledged_by"])
        from amparo.intake.alarms import cancel_alarms

        cancel_alarms(report)
    return bool(changed)


def ask_reporter(report: Report, body: str, *, actor: Actor) -> Message:
    with transaction.atomic():
        message = Message(
            organisation=report.organisation,
            report=report,
            direction=Message.Direction.TO_REPORTER,
            author=actor,
            created_at=timezone.now(),
        )
        message.body = body
        message.save()
        record("report.question_sent", actor=actor, obj=report)
    return message


def reveal_identity(report: Report, *, actor: Actor) -> dict[str, Any]:
    """The reporter's identity and contacts, for a caseworker who needs them. Always audited."""
    record("report.identity_viewed", actor=actor, obj=report)
    return dict(report.reporter or {})


#: What erasing a report clears on its row (the fields that hold what the reporter said or who
#: they are). Retention uses it too.
ERASED_FIELDS: dict[str, Any] = {
    "followup_digest": None,
    "reporter": None,
    "narrative": None,
    "platform_notice": None,
    "accounts": None,
    "self_description": None,
    "closed_note": None,
}


def erase_report(report: Report, *, actor: Actor) -> None:
    """Honour a deletion request: the report's key is shredded, its files deleted."""
    if not report.deletion_requested and actor is None:
        raise PermissionDenied
    items = list(report.evidence.all())
    names = [n for e in items for n in (e.original_blob, e.clean_blob) if n]
    # Files kept from an earlier, invalid form have keys of their own: shred those as well.
    other_keys = {e.data_key_id: e.data_key for e in items if e.data_key_id != report.data_key_id}
    with transaction.atomic():
        Message.objects.filter(report=report).delete()
        Indicator.objects.filter(report=report).delete()
        SearchToken.objects.filter(report=report).delete()
        Evidence.objects.filter(report=report).delete()
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.WITHDRAWN, erased_at=timezone.now(), **ERASED_FIELDS
        )
        record("report.erased", actor=actor, obj=report)
        shred(report.data_key, actor=actor)
        for key in other_keys.values():
            shred(key, actor=actor)
    for name in names:
        blobs.delete(name)
