"""The indicators measured from the organisation's own data, per platform and period.

Every indicator says what it counts (``definition``), what is over what (``numerator`` /
``denominator``) and how many cases it rests on. Periods are dates, both ends included, in the
organisation's time zone (settings.TIME_ZONE): an escalation belongs to the period in which it
was sent, a remedy step to the one in which it was filed, a case to the one in which it was
opened, a platform decision to the one in which the person was informed of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.escalations.scorecard import RESPONSE_COLUMNS, classify
from amparo.scorecards.figures import Indicator, Row


def response_columns() -> list[tuple[str, str]]:
    return [
        ("within_72h", _("Answered within 72 hours")),
        ("later", _("Answered later")),
        ("unanswered", _("No answer after 72 hours")),
        ("pending", _("Pending (sent less than 72 hours ago)")),
    ]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _hours(e: Any) -> float | None:
    if e.first_response_at is None:
        return None
    return round((e.first_response_at - e.sent_at).total_seconds() / 3600, 1)


def _rows(groups: dict[tuple[str, str], list[Any]], now: datetime) -> list[Row]:
    rows = []
    for (key, label), items in sorted(groups.items(), key=lambda kv: kv[0][1]):
        counts = dict.fromkeys(RESPONSE_COLUMNS, 0)
        durations = []
        for e in items:
            counts[classify(e.sent_at, e.first_response_at, now)] += 1
            hours = _hours(e)
            if hours is not None:
                durations.append(hours)
        rows.append(Row(key, label, counts, durations))
    return rows


def _responsiveness(
    code: str, action: int, title: str, definition: str, rows: list[Row]
) -> Indicator:
    return Indicator(
        code=code,
        action=action,
        title=title,
        definition=definition,
        numerator=_("escalations answered within 72 hours of being sent"),
        denominator=_("escalations sent at least 72 hours ago or already answered"),
        columns=response_columns(),
        rate_of=("within_72h",),
        rate_over=("within_72h", "later", "unanswered"),
        rows=rows,
        duration=_("median hours from sending to the first answer"),
        unit="hours",
    )


class Measure:
    """The organisation's data for one platform and period, read once."""

    def __init__(
        self, organisation: Any, platform: str, period: Period, now: datetime | None = None
    ):
        from amparo.escalations.models import Escalation

        self.organisation = organisation
        self.platform = platform
        self.period = period
        self.now = now or timezone.now()
        lo, hi = period.bounds()
        self.escalations = list(
            Escalation.objects.filter(
                organisation=organisation, platform=platform, sent_at__gte=lo, sent_at__lt=hi
            )
            .select_related("case")
            .only(
                "platform",
                "channel_code",
                "channel_kind",
                "sent_at",
                "first_response_at",
                "case__country",
                "case__queue",
            )
        )
        self._names: dict[str, str] | None = None

    # ------------------------------------------------------------------ helpers
    def channel_name(self, code: str) -> str:
        if self._names is None:
            from amparo.escalations.register import for_organisation

            register = for_organisation(self.organisation)
            self._names = {c.code: c.name for c in register.channels}
        return self._names.get(code, code)

    def _by(self, items: Iterable[Any], key: Any) -> dict[tuple[str, str], list[Any]]:
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for e in items:
            groups[key(e)].append(e)
        return groups

    def risk_periods(self) -> list[Any]:
        from django.db.models import Q

        from amparo.intake.models import RiskPeriod

        return list(
            RiskPeriod.objects.filter(
                Q(organisation=self.organisation) | Q(organisation__isnull=True),
                starts_on__lte=self.period.end,
                ends_on__gte=self.period.start,
            )
        )

    # ------------------------------------------------------------------ action 8
    def channels(self) -> Indicator:
        groups = self._by(
            self.escalations, lambda e: (e.channel_code, self.channel_name(e.channel_code))
        )
        return _responsiveness(
            "8.responsiveness",
            8,
            _("Responsiveness of each reporting channel"),
            _(
                "Escalations of our cases sent to the platform in the period, by channel: how "
                "many were answered within 72 hours of being sent (the answer dated by the day "
                "it arrived), answered later, not answered after 72 hours, and still pending "
                "(sent less than 72 hours ago, counted apart)."
            ),
            _rows(groups, self.now),
        )

    # ------------------------------------------------------------------ action 3
    def partner_channels(self) -> Indicator:
        from amparo.engines.register import Kind
        from amparo.escalations.register import for_organisation

        register = for_organisation(self.organisation)
        try:
            partner = [
                c for c in register.channels_of(self.platform) if c.kind is Kind.TRUSTED_PARTNER
            ]
        except KeyError:
            partner = []
        ours = set(self.organisation.partner_programmes or ())
        open_to_us = [
            c
            for c in partner
            if (c.programme and c.programme in ours)
            or (c.eligibility.trusted_flaggers_only and self.organisation.is_trusted_flagger)
        ]
        groups = self._by(
            (e for e in self.escalations if e.channel_kind == Kind.TRUSTED_PARTNER.value),
            lambda e: (e.channel_code, self.channel_name(e.channel_code)),
        )
        indicator = _responsiveness(
            "3.partner",
            3,
            _("Availability and responsiveness of partner channels"),
            _(
                "Trusted-partner and trusted-flagger channels of the escalation register for this "
                "platform, whether they are open to this organisation, and how the escalations "
                "sent through them in the period were answered (as for action 8)."
            ),
            _rows(groups, self.now),
        )
        indicator.facts = [
            _("Partner channels in the register for this platform: %(count)d.")
            % {"count": len(partner)},
            _("Open to this organisation: %(count)d (%(names)s).")
            % {"count": len(open_to_us), "names": ", ".join(c.name for c in open_to_us) or "—"},
        ]
        return indicator

    # ------------------------------------------------------------------ action 5
    def risk_periods_vs_baseline(self) -> Indicator:
        periods = self.risk_periods()

        def during(e: Any) -> bool:
            day = timezone.localdate(e.sent_at)
            country = (e.case.country or "").upper()
            return any(
                p.country.upper() == country and p.starts_on <= day <= p.ends_on for p in periods
            )

        groups = self._by(
            self.escalations,
            lambda e: (
                ("risk", _("During heightened-risk periods"))
                if during(e)
                else ("baseline", _("Baseline (outside them)"))
            ),
        )
        if self.escalations:  # both rows, so that the comparison is always there to read
            groups.setdefault(("risk", _("During heightened-risk periods")), [])
            groups.setdefault(("baseline", _("Baseline (outside them)")), [])
        indicator = _responsiveness(
            "5.risk_periods",
            5,
            _("Response during heightened-risk periods against the baseline"),
            _(
                "Escalations sent while a heightened-risk period (election, protests, crackdown, "
                "conflict) of the intake register was running in the case's country, against "
                "those sent outside any such period; answered within 72 hours as for action 8."
            ),
            _rows(groups, self.now),
        )
        indicator.facts = [
            _("%(kind)s in %(country)s, %(start)s to %(end)s")
            % {
                "kind": p.get_kind_display(),
                "country": p.country,
                "start": p.starts_on.isoformat(),
                "end": p.ends_on.isoformat(),
            }
            for p in periods
        ]
        return indicator

    # ------------------------------------------------------------------ action 6
    def languages(self) -> Indicator:
        from django.utils.translation import get_language_info

        def lang(e: Any) -> tuple[str, str]:
            code = (e.case.queue or "").split(":")[0] or "und"
            try:
                return code, str(get_language_info(code)["name_translated"])
            except KeyError:
                return code, code

        return _responsiveness(
            "6.languages",
            6,
            _("Response per language against the baseline"),
            _(
                "Escalations of the period by the language the person reported in (the case's "
                "queue); the row of all languages is the baseline. Answered within 72 hours as "
                "for action 8."
            ),
            _rows(self._by(self.escalations, lang), self.now),
        )

    # ------------------------------------------------------------------ cases helpers
    def _cases(self, incident_types: tuple[str, ...]) -> list[Any]:
        from amparo.cases.models import Case

        lo, hi = self.period.bounds()
        return list(
            Case.objects.filter(
                organisation=self.organisation,
                platform=self.platform,
                incident_type__in=incident_types,
                opened_at__gte=lo,
                opened_at__lt=hi,
            )
            .exclude(outcome__in=("withdrawn", "merged"))
            .only(
                "incident_type",
                "status",
                "outcome",
                "opened_at",
                "closed_at",
                "account_restored_on",
            )
        )

    # ------------------------------------------------------------------ action 7
    def account_recovery(self) -> Indicator:
        """Account recovery cases are typed by intake's incident type: an account taken over
        (``account_hacked``) or suspended/disabled by the platform (``account_suspended``)."""
        from amparo.intake.choices import IncidentType

        types = (IncidentType.ACCOUNT_HACKED.value, IncidentType.ACCOUNT_SUSPENDED.value)
        labels = dict(IncidentType.choices)
        rows = []
        for t in types:
            counts = {"recovered": 0, "not_recovered": 0, "open": 0}
            days = []
            for case in self._cases((t,)):
                restored = case.outcome == "account_restored" or case.account_restored_on
                if restored:
                    counts["recovered"] += 1
                    end = case.account_restored_on or (
                        case.closed_at and timezone.localdate(case.closed_at)
                    )
                    if end:
                        days.append(float((end - timezone.localdate(case.opened_at)).days))
                elif case.status in ("resolved", "closed"):
                    counts["not_recovered"] += 1
                else:
                    counts["open"] += 1
            if any(counts.values()):
                rows.append(Row(t, str(labels[t]), counts, days))
        return Indicator(
            code="7.recovery",
            action=7,
            title=_("Account recovery success"),
            definition=_(
                "Our cases of the platform opened in the period about an account taken over or "
                "suspended: recovered (the account restored), closed without recovery, or still "
                "open (counted apart). Withdrawn and merged cases are left out."
            ),
            numerator=_("cases whose account was restored"),
            denominator=_("such cases resolved or closed"),
            columns=[
                ("recovered", _("Account restored")),
                ("not_recovered", _("Closed without recovery")),
                ("open", _("Still open")),
            ],
            rate_of=("recovered",),
            rate_over=("recovered", "not_recovered"),
            rows=rows,
            duration=_("median days from opening the case to the account's restoration"),
            unit="days",
        )

    # ------------------------------------------------------------------ action 9
    def appeals(self) -> Indicator:
        from amparo.remedies.models import RemedyStep

        steps = RemedyStep.objects.filter(
            organisation=self.organisation,
            decision__case__platform=self.platform,
            filed_on__gte=self.period.start,
            filed_on__lte=self.period.end,
        ).only("article", "status", "outcome", "filed_on", "decided_on")
        groups: dict[str, list[Any]] = defaultdict(list)
        for s in steps:
            groups[s.article or "—"].append(s)
        rows = []
        for article, items in sorted(groups.items()):
            counts = {"reversed": 0, "rejected": 0, "no_answer": 0, "pending": 0}
            days = []
            for s in items:
                if s.status == "decided":
                    key = {"upheld": "reversed", "partly": "reversed", "rejected": "rejected"}.get(
                        s.outcome, "no_answer"
                    )
                    counts[key] += 1
                    if s.decided_on and s.filed_on:
                        days.append(float((s.decided_on - s.filed_on).days))
                elif s.status == "lapsed":
                    counts["no_answer"] += 1
                else:
                    counts["pending"] += 1
            rows.append(Row(article, article, counts, days))
        return Indicator(
            code="9.appeals",
            action=9,
            title=_("Appeals and complaints decided in the person's favour"),
            definition=_(
                "Remedy steps (internal complaints, out-of-court settlement, regulators) filed "
                "in the period against the platform's decisions on our cases, by legal basis: "
                "reversed fully or partly, rejected, no answer, or pending (counted apart)."
            ),
            numerator=_("steps decided in the person's favour, fully or partly"),
            denominator=_("steps decided, rejected or left without answer"),
            columns=[
                ("reversed", _("Reversed (fully or partly)")),
                ("rejected", _("Rejected")),
                ("no_answer", _("No answer")),
                ("pending", _("Pending")),
            ],
            rate_of=("reversed",),
            rate_over=("reversed", "rejected", "no_answer"),
            rows=rows,
            duration=_("median days from filing to the decision"),
            unit="days",
        )

    def restoration(self) -> Indicator:
        from amparo.intake.choices import IncidentType

        types = (IncidentType.CONTENT_REMOVED.value, IncidentType.REACH_REDUCED.value)
        labels = dict(IncidentType.choices)
        rows = []
        for t in types:
            counts = {"restored": 0, "not_restored": 0, "open": 0}
            days = []
            for case in self._cases((t,)):
                if case.outcome in ("content_restored", "account_restored"):
                    counts["restored"] += 1
                    if case.closed_at:
                        days.append(float((case.closed_at - case.opened_at).days))
                elif case.status in ("resolved", "closed"):
                    counts["not_restored"] += 1
                else:
                    counts["open"] += 1
            if any(counts.values()):
                rows.append(Row(t, str(labels[t]), counts, days))
        return Indicator(
            code="9.restoration",
            action=9,
            title=_("Content restored"),
            definition=_(
                "Our cases of the platform opened in the period about content removed or "
                "restricted: restored, closed without restoration, or still open (apart)."
            ),
            numerator=_("cases whose content was restored"),
            denominator=_("such cases resolved or closed"),
            columns=[
                ("restored", _("Restored")),
                ("not_restored", _("Not restored")),
                ("open", _("Still open")),
            ],
            rate_of=("restored",),
            rate_over=("restored", "not_restored"),
            rows=rows,
            duration=_("median days from opening the case to closing it restored"),
            unit="days",
        )

    # ------------------------------------------------------------------ action 10
    def transparency_database(self) -> Indicator:
        """Art 17(1) DSA obliges a statement of reasons for each restriction and Art 24(5)
        its submission to the Commission's Transparency Database "without undue delay"."""
        from amparo.cases.models import StatementMatch
        from amparo.remedies.models import PlatformDecision

        decisions = list(
            PlatformDecision.objects.filter(
                organisation=self.organisation,
                case__platform=self.platform,
                informed_on__gte=self.period.start,
                informed_on__lte=self.period.end,
            ).only("case_id", "decided_on", "informed_on")
        )
        cases = {d.case_id: d for d in decisions}
        matches: dict[Any, list[Any]] = defaultdict(list)
        for m in StatementMatch.objects.filter(case_id__in=list(cases)).select_related("data_key"):
            matches[m.case_id].append(m)
        counts = {"found": 0, "not_found": 0}
        days = []
        for case_id, decision in cases.items():
            if matches.get(case_id):
                counts["found"] += 1
                created = _statement_day(matches[case_id])
                start = decision.decided_on or decision.informed_on
                if created and start:
                    days.append(float(max((created - start).days, 0)))
            else:
                counts["not_found"] += 1
        return Indicator(
            code="10.tdb",
            action=10,
            title=_("Decisions on our cases found in the DSA Transparency Database"),
            definition=_(
                "Cases with a platform decision the person was informed of in the period (one "
                "per case): those whose statement of reasons we found in the DSA Transparency "
                "Database (Art 24(5) DSA) and matched to the case, and how long after the "
                "decision the statement was submitted."
            ),
            numerator=_("cases whose statement of reasons was found"),
            denominator=_("cases with a platform decision"),
            columns=[("found", _("Statement found")), ("not_found", _("Not found"))],
            rate_of=("found",),
            rate_over=("found", "not_found"),
            rows=[Row("decisions", _("Decisions on our cases"), counts, days)] if cases else [],
            duration=_("median days from the decision to the statement's submission"),
            unit="days",
        )


def _statement_day(matches: list[Any]) -> date | None:
    days = []
    for m in matches:
        raw = str((m.statement or {}).get("created_at") or "")[:10]
        try:
            days.append(date.fromisoformat(raw))
        except ValueError:
            continue
    return min(days) if days else None


def measure(
    organisation: Any, platform: str, period: Period, now: datetime | None = None
) -> list[Indicator]:
    """Every measured indicator, in the order of the actions."""
    m = Measure(organisation, platform, period, now)
    return [
        m.partner_channels(),
        m.risk_periods_vs_baseline(),
        m.languages(),
        m.account_recovery(),
        m.channels(),
        m.appeals(),
        m.restoration(),
        m.transparency_database(),
    ]
