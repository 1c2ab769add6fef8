"""The datasets Amparo can export today: reports (pseudonymised), cases, escalations, remedy
steps, the escalation figures and the audit log. Registered when the app is ready.

What never leaves in any of them: a reporter's name or contact, a narrative, a title, a note, a
package, a response, any encrypted field. Codes leave as codes (``account_suspended``); the
exports page and docs/exports.md say what each column holds.

Consent to statistics (``Report.consent_statistics``, asked on the form as "May we count your
case, without anything that identifies you, in public statistics?"): when the reporter said
"no", every column marked "(with consent)" is empty on their report's row, and on the row of a
case that holds any such report. A filter by platform would give those empty platforms away by
keeping the row, so a platform filter leaves such rows out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Capability
from amparo.exports import pseudonyms
from amparo.exports.registry import Cell, Column, Dataset, ExportQuery, register

CHUNK = 1000
YES = "yes"  # Report.consent_statistics (intake.choices.YesNo)

CONSENTED = _("(with consent: empty when the reporter did not agree to be counted)")


def _consented(description: Any) -> Any:
    """A column's description with the consent note, both translated when shown (lazily)."""
    return format_lazy("{} {}", description, CONSENTED)


def _dated(qs: QuerySet[Any], field: str, query: ExportQuery) -> QuerySet[Any]:
    start, end = query.window()
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lt": end})
    return qs


def _days(qs: QuerySet[Any], field: str, query: ExportQuery) -> QuerySet[Any]:
    if query.since:
        qs = qs.filter(**{f"{field}__gte": query.since})
    if query.until:
        qs = qs.filter(**{f"{field}__lte": query.until})
    return qs


def _local_day(value: Any) -> Any:
    from django.utils import timezone

    return timezone.localtime(value).date() if value is not None else None


def _declined(case_path: str) -> Exists:
    """Whether the case at ``case_path`` (from the exported row) holds a report whose reporter
    did not agree to be counted: its reference is then left out of escalations and remedies,
    so that their rows cannot be joined to the case's emptied statistics."""
    from amparo.cases.models import CaseReport

    return Exists(
        CaseReport.objects.filter(case=OuterRef(case_path)).exclude(report__consent_statistics=YES)
    )


# --- reports -----------------------------------------------------------------------------


def _reports(query: ExportQuery) -> QuerySet[Any]:
    from amparo.intake.models import Report

    qs = Report.objects.filter(organisation=query.organisation, erased_at__isnull=True, held=False)
    qs = _dated(qs, "received_at", query)
    if query.platform:
        # Only consenting reports: a non-consenting one kept by the filter would tell its platform.
        qs = qs.filter(platform=query.platform, consent_statistics=YES)
    return qs


def _report_rows(query: ExportQuery) -> Iterator[Sequence[Cell]]:
    from amparo.cases.models import CaseReport

    key = pseudonyms.key_for(query.organisation)
    case = CaseReport.objects.filter(report=OuterRef("pk")).values("case__reference")[:1]
    qs = (
        _reports(query)
        .select_related("data_key")
        .annotate(case_reference=Subquery(case))
        .order_by("received_at", "id")
        .only(
            "id",
            "organisation_id",
            "data_key",
            "reporter",
            "received_at",
            "channel",
            "status",
            "closed_reason",
            "consent_statistics",
            "incident_type",
            "platform",
            "country",
            "language",
            "occurred_on",
            "urgency_level",
            "danger_now",
            "minor_involved",
            "arrest_risk",
            "home_address_exposed",
            "under_attack_now",
        )
    )
    for report in qs.iterator(chunk_size=CHUNK):
        counted = report.consent_statistics == YES
        stats: list[Cell] = (
            [
                report.incident_type,
                report.platform,
                report.country,
                report.language,
                report.occurred_on,
                report.urgency_level,
                report.danger_now,
                report.minor_involved,
                report.arrest_risk,
                report.home_address_exposed,
                report.under_attack_now,
                report.case_reference,
            ]
            if counted
            else [None] * 12
        )
        yield [
            pseudonyms.pseudonym(key, pseudonyms.identity_of(report)),
            _local_day(report.received_at),
            report.channel,
            report.status,
            report.closed_reason,
            report.consent_statistics,
            *stats,
        ]


REPORTS = register(
    Dataset(
        name="reports",
        title=_("Reports (pseudonymised)"),
        description=_(
            "One row per report, with a pseudonym instead of the person: never a name, "
            "contact or narrative. What the reporter did not agree to have counted is empty."
        ),
        capability=Capability.COORDINATE,
        columns=(
            Column(
                "reporter",
                "string",
                _(
                    "A pseudonym of the reporter, the same for the same contact on every report "
                    "of this organisation; it names nobody."
                ),
            ),
            Column("received_on", "date", _("The day the report arrived.")),
            Column(
                "channel",
                "string",
                _("How it arrived: the web form, the API, a caseworker, an import (a code)."),
            ),
            Column("status", "string", _("The report's status code.")),
            Column("closed_reason", "string", _("Why it was closed without a case, if it was.")),
            Column("consent_statistics", "string", _("The reporter's answer: yes or no.")),
            Column("incident_type", "string", _consented(_("The kind of incident, a code."))),
            Column("platform", "string", _consented(_("The platform, a slug."))),
            Column("country", "string", _consented(_("ISO 3166-1 country code."))),
            Column("language", "string", _consented(_("The language of the form."))),
            Column("occurred_on", "date", _consented(_("When it happened."))),
            Column("urgency", "string", _consented(_("The urgency level."))),
            Column("danger_now", "boolean", _consented(_("In danger now."))),
            Column("minor_involved", "boolean", _consented(_("A minor is involved."))),
            Column("arrest_risk", "boolean", _consented(_("Risk of arrest."))),
            Column("home_address_exposed", "boolean", _consented(_("Home address exposed."))),
            Column("under_attack_now", "boolean", _consented(_("Under attack now."))),
            Column("case", "string", _consented(_("The reference of its case."))),
        ),
        rows=_report_rows,
        count=lambda q: _reports(q).count(),
        date_field=_("the day the report arrived"),
        platform_filter=True,
        order=10,
    )
)


# --- cases -------------------------------------------------------------------------------


def _cases(query: ExportQuery) -> QuerySet[Any]:
    from amparo.cases.models import Case, CaseReport

    declined = CaseReport.objects.filter(case=OuterRef("pk")).exclude(
        report__consent_statistics=YES
    )
    qs = Case.objects.filter(organisation=query.organisation).annotate(declined=Exists(declined))
    qs = _dated(qs, "opened_at", query)
    if query.platform:
        qs = qs.filter(platform=query.platform, declined=False)
    return qs


def _case_rows(query: ExportQuery) -> Iterator[Sequence[Cell]]:
    qs = (
        _cases(query)
        .annotate(
            report_count=Count("report_links", distinct=True),
            escalation_count=Count("escalations", distinct=True),
        )
        .order_by("opened_at", "id")
        .values_list(
            "reference",
            "status",
            "outcome",
            "opened_at",
            "closed_at",
            "account_restored_on",
            "urgency_level",
            "incident_type",
            "platform",
            "country",
            "declined",
            "report_count",
            "escalation_count",
        )
    )
    for (
        reference,
        status,
        outcome,
        opened,
        closed,
        restored,
        urgency,
        kind,
        platform,
        country,
        declined,
        reports,
        escalations,
    ) in qs.iterator(chunk_size=CHUNK):
        stats: list[Cell] = (
            [None, None, None, None] if declined else [urgency, kind, platform, country]
        )
        yield [reference, status, outcome, opened, closed, restored, *stats, reports, escalations]


CASES = register(
    Dataset(
        name="cases",
        title=_("Cases"),
        description=_(
            "One row per case: status, outcome and dates; what comes from its reports only when "
            "every reporter agreed to be counted. Never a title, note or name."
        ),
        capability=Capability.VIEW_CASES,
        columns=(
            Column("reference", "string", _("The case reference.")),
            Column("status", "string", _("The case status code.")),
            Column("outcome", "string", _("The outcome code, once closed.")),
            Column("opened_at", "datetime", _("When the case was opened.")),
            Column("closed_at", "datetime", _("When it was closed.")),
            Column("account_restored_on", "date", _("The day the account was restored.")),
            Column("urgency", "string", _consented(_("The urgency level."))),
            Column("incident_type", "string", _consented(_("The kind of incident."))),
            Column("platform", "string", _consented(_("The platform, a slug."))),
            Column("country", "string", _consented(_("ISO 3166-1 country code."))),
            Column("reports", "integer", _("How many reports the case holds.")),
            Column("escalations", "integer", _("How many escalations were made for it.")),
        ),
        rows=_case_rows,
        count=lambda q: _cases(q).count(),
        date_field=_("the day the case was opened"),
        platform_filter=True,
        order=20,
    )
)


# --- escalations -------------------------------------------------------------------------


def _escalations(query: ExportQuery) -> QuerySet[Any]:
    from amparo.escalations.models import Escalation

    qs = _dated(Escalation.objects.filter(organisation=query.organisation), "created_at", query)
    if query.platform:
        qs = qs.filter(platform=query.platform)
    return qs


def _escalation_rows(query: ExportQuery) -> Iterator[Sequence[Cell]]:
    qs = (
        _escalations(query)
        .annotate(declined=_declined("case_id"))
        .order_by("created_at", "id")
        .values_list(
            "case__reference",
            "platform",
            "channel_code",
            "channel_kind",
            "transport",
            "status",
            "created_at",
            "sent_at",
            "expected_response_at",
            "response_received_on",
            "first_response_at",
            "chases",
            "outcome",
            "account_restored_on",
            "closed_at",
            "carries_personal_data",
            "declined",
        )
    )
    for case, *rest, declined in qs.iterator(chunk_size=CHUNK):
        yield [None if declined else case, *rest]


ESCALATIONS = register(
    Dataset(
        name="escalations",
        title=_("Escalations"),
        description=_(
            "One row per escalation to a platform or body: channel, dates, state and outcome. "
            "Never the package or the platform's response."
        ),
        capability=Capability.VIEW_CASES,
        columns=(
            Column("case", "string", _consented(_("The case reference."))),
            Column("platform", "string", _("The platform or body, a slug.")),
            Column("channel", "string", _("The channel's code in the escalation register.")),
            Column("channel_kind", "string", _("The kind of channel (a code).")),
            Column("transport", "string", _("How it was sent: email, webhook or manual.")),
            Column("state", "string", _("The escalation's status code.")),
            Column("created_at", "datetime", _("When it was prepared.")),
            Column("sent_at", "datetime", _("When it was sent.")),
            Column("expected_response_at", "datetime", _("When an answer was due.")),
            Column(
                "response_received_on",
                "date",
                _("The day the platform's first answer arrived, as the caseworker recorded it."),
            ),
            Column("responded_at", "datetime", _("The time of the first response.")),
            Column("chases", "integer", _("How many reminders were sent.")),
            Column("outcome", "string", _("The outcome code.")),
            Column("account_restored_on", "date", _("The day the account was restored.")),
            Column("closed_at", "datetime", _("When it was closed or cancelled.")),
            Column(
                "carries_personal_data",
                "boolean",
                _("Whether the package that left carried the reporter's identity."),
            ),
        ),
        rows=_escalation_rows,
        count=lambda q: _escalations(q).count(),
        date_field=_("the day the escalation was prepared"),
        platform_filter=True,
        order=30,
    )
)


# --- remedies ----------------------------------------------------------------------------


def _steps(query: ExportQuery) -> QuerySet[Any]:
    from amparo.remedies.models import RemedyStep

    qs = RemedyStep.objects.filter(organisation=query.organisation)
    return _days(qs, "decision__informed_on", query)


def _remedy_rows(query: ExportQuery) -> Iterator[Sequence[Cell]]:
    qs = (
        _steps(query)
        .annotate(declined=_declined("decision__case_id"))
        .order_by("decision__informed_on", "decision_id", "created_at", "id")
        .values_list(
            "decision_id",
            "decision__case__reference",
            "decision__decision_type",
            "decision__decision_ground",
            "decision__decided_on",
            "decision__informed_on",
            "decision__acting_as",
            "code",
            "article",
            "status",
            "filing_deadline",
            "filed_on",
            "decision_due",
            "decided_on",
            "outcome",
            "ods_body",
            "includes_identity",
            "declined",
        )
    )
    number, last = 0, None
    for decision_id, case, *rest, declined in qs.iterator(chunk_size=CHUNK):
        number = number + 1 if decision_id == last else 1
        last = decision_id
        yield [None if declined else case, *rest[:5], number, *rest[5:]]


REMEDIES = register(
    Dataset(
        name="remedies",
        title=_("Remedies"),
        description=_(
            "One row per remedy step taken against a platform decision (DSA Art 20 complaint, "
            "Art 21 dispute settlement, ...): the route, its dates and outcome. Never the "
            "document."
        ),
        capability=Capability.VIEW_CASES,
        columns=(
            Column("case", "string", _consented(_("The case reference."))),
            Column("decision_type", "string", _("The platform's decision, a code.")),
            Column("decision_ground", "string", _("The ground the platform gave, a code.")),
            Column("decision_decided_on", "date", _("The day the platform decided.")),
            Column("informed_on", "date", _("The day the person was informed.")),
            Column("acting_as", "string", _("Who acts: the person, a representative, or us.")),
            Column("step", "integer", _("The step's number against this decision (1, 2, ...).")),
            Column(
                "route",
                "string",
                _("The remedy route, a code: an Art 20 complaint, an Art 21 dispute, ..."),
            ),
            Column("article", "string", _("The DSA article of the route.")),
            Column("status", "string", _("The step's status code.")),
            Column("filing_deadline", "date", _("The last day to file.")),
            Column("filed_on", "date", _("The day it was filed.")),
            Column("decision_due", "date", _("The day a decision is due.")),
            Column("decided_on", "date", _("The day it was decided.")),
            Column("outcome", "string", _("The outcome code.")),
            Column("ods_body", "string", _("The out-of-court dispute settlement body, a code.")),
            Column("includes_identity", "boolean", _("Whether the document named the person.")),
        ),
        rows=_remedy_rows,
        count=lambda q: _steps(q).count(),
        date_field=_("the day the person was informed of the decision"),
        order=40,
    )
)


# --- figures -----------------------------------------------------------------------------


def _figure_rows(query: ExportQuery) -> list[Sequence[Cell]]:
    from django.utils import timezone

    from amparo.escalations.scorecard import responsiveness

    start = query.since or FIGURES_SINCE
    end = query.until or timezone.localdate()
    return [
        [
            r.get("platform"),
            r.get("channel"),
            r.get("sent"),
            r.get("within_72h"),
            r.get("later"),
            r.get("unanswered"),
            r.get("pending"),
            r.get("share_within_72h"),
            r.get("median_hours_to_first_response"),
        ]
        for r in responsiveness(query.organisation, start, end)
        if not query.platform or r.get("platform") == query.platform
    ]


#: The start of the figures when no date is given: before any escalation Amparo can hold.
FIGURES_SINCE = dt.date(2000, 1, 1)

FIGURES = register(
    Dataset(
        name="figures",
        title=_("Escalation figures"),
        description=_(
            "Platform responsiveness to this organisation's escalations, per platform and "
            "channel: how many were sent, answered within 72 hours, later, not answered, or "
            "still pending (sent less than 72 hours ago), and the median time to answer."
        ),
        capability=Capability.VIEW_CASES,
        columns=(
            Column("platform", "string", _("The platform, a slug.")),
            Column("channel", "string", _("The channel's code in the escalation register.")),
            Column("sent", "integer", _("Escalations sent in the period.")),
            Column("within_72h", "integer", _("Of those, answered within 72 hours.")),
            Column("later", "integer", _("Answered after more than 72 hours.")),
            Column("unanswered", "integer", _("Not answered, although 72 hours have passed.")),
            Column("pending", "integer", _("Sent less than 72 hours ago, not answered yet.")),
            Column(
                "share_within_72h",
                "number",
                _("Share answered within 72 hours (0 to 1), pending ones left out."),
            ),
            Column(
                "median_hours_to_first_response",
                "number",
                _("Median hours from sending to the first answer, among those answered."),
            ),
        ),
        rows=_figure_rows,
        date_field=_("the day the escalation was sent"),
        platform_filter=True,
        order=50,
    )
)


# --- audit log ---------------------------------------------------------------------------


def _events(query: ExportQuery) -> QuerySet[Any]:
    from amparo.audit.models import AuditEvent

    qs = _dated(AuditEvent.objects.filter(organisation=query.organisation), "at", query)
    if query.started_at is not None:
        # Not this export's own event, nor anything after the count was taken.
        qs = qs.filter(at__lt=query.started_at)
    return qs


def _code(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _audit_rows(query: ExportQuery) -> Iterator[Sequence[Cell]]:
    qs = (
        _events(query)
        .order_by("seq")
        .values_list(
            "seq",
            "at",
            "actor__email",
            "action",
            "object_type",
            "object_id",
            "old",
            "new",
            "hash",
        )
    )
    for seq, at, actor, action, object_type, object_id, old, new, digest in qs.iterator(
        chunk_size=CHUNK
    ):
        yield [seq, at, actor, action, object_type, object_id, _code(old), _code(new), digest]


AUDIT = register(
    Dataset(
        name="audit",
        title=_("Audit log"),
        description=_(
            "The organisation's audit events: who did what to which object, with codes only."
        ),
        capability=Capability.VIEW_AUDIT,
        columns=(
            Column("seq", "integer", _("The event's number in the chain.")),
            Column("at", "datetime", _("When it happened.")),
            Column("actor", "string", _("The staff member's e-mail address, if a person.")),
            Column("action", "string", _("What was done, a code.")),
            Column("object_type", "string", _("The kind of object.")),
            Column("object_id", "string", _("The object's id.")),
            Column("old", "string", _("The value before, as JSON codes.")),
            Column("new", "string", _("The value after, as JSON codes.")),
            Column("hash", "string", _("The event's hash in the chain (amparo audit verify).")),
        ),
        rows=_audit_rows,
        count=lambda q: _events(q).count(),
        date_field=_("the day of the event"),
        order=60,
    )
)
