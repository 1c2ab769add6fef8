"""What every figure means, in words the pages show next to it (and docs/accountability.md
repeats). Codes are stable; labels and definitions are translated."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    code: str
    title: Promise
    definition: Promise


_ALL = [
    Definition(
        "incidents",
        _("Incidents"),
        _(
            "Reports received in the period whose reporter agreed to be counted in statistics, "
            "not held as a possible flood and not erased, counted on the day they were received."
        ),
    ),
    Definition(
        "incidents_over_time",
        _("Incidents over time"),
        _(
            "Incidents per month (per day when the range is two months or less); shaded "
            "stretches are heightened-risk periods of the register."
        ),
    ),
    Definition("by_type", _("Incidents by type"), _("Incidents by the type the reporter chose.")),
    Definition("by_platform", _("Incidents by platform"), _("Incidents by the platform reported.")),
    Definition(
        "by_country",
        _("Incidents by country"),
        _("Incidents by the country the reporter gave (blank: not given)."),
    ),
    Definition(
        "by_language",
        _("Incidents by language"),
        _("Incidents by the language the reporter used the form in."),
    ),
    Definition(
        "by_gender",
        _("Incidents by gender"),
        _(
            "Incidents by the category of the gender the reporter described in their own words "
            "(woman, man, non-binary or gender-diverse, prefer not to say, other or unknown), "
            "mapped by a published keyword list; their words are kept unchanged."
        ),
    ),
    Definition(
        "by_identity",
        _("Incidents by at-risk group"),
        _(
            "Incidents naming each at-risk group the reporter ticked; a report may name several, "
            "so these do not add up to the incidents."
        ),
    ),
    Definition(
        "sent",
        _("Escalations sent"),
        _("Escalations sent to the platform in the period, counted on the day they were sent."),
    ),
    Definition(
        "pending",
        _("Pending"),
        _(
            "Escalations sent that have no answer yet; counted apart and left out of the times "
            "and shares of answers."
        ),
    ),
    Definition(
        "median_hours",
        _("Median hours to first response"),
        _(
            "For escalations answered: the median of the hours from sending to the platform's "
            "first answer, the answer dated on the day it was received."
        ),
    ),
    Definition(
        "share_72h",
        _("Share answered within 72 hours"),
        _(
            "Escalations whose first answer arrived within 72 hours of sending, out of all "
            "escalations sent (pending ones count as not answered within 72 hours once the 72 "
            "hours have passed)."
        ),
    ),
    Definition(
        "share_actioned",
        _("Share actioned"),
        _(
            "Escalations with an outcome of actioned, partly actioned or decision reversed, out "
            "of those with an outcome other than no response."
        ),
    ),
    Definition(
        "share_reversed",
        _("Share reversed"),
        _(
            "Escalations whose outcome was the platform's decision reversed, out of those with "
            "an outcome other than no response."
        ),
    ),
    Definition(
        "appeals_reversed",
        _("Share reversed on appeal"),
        _(
            "Remedy steps (internal complaint, out-of-court settlement, complaint to a Digital "
            "Services Coordinator) decided in the period that were upheld or partly upheld, out "
            "of those decided."
        ),
    ),
    Definition(
        "restored",
        _("Accounts restored"),
        _(
            "Escalations sent in the period after which the account was restored (the day "
            "recorded with the answer)."
        ),
    ),
    Definition(
        "median_days_restored",
        _("Median days to restoration"),
        _("For accounts restored: the median of the days from sending to restoration."),
    ),
    Definition(
        "risk_comparison",
        _("During a heightened-risk period against the baseline"),
        _(
            "The same figures for the period's country during the period and during the same "
            "number of days just before it (the baseline); incidents are compared per day."
        ),
    ),
]

DEFINITIONS: dict[str, Definition] = {d.code: d for d in _ALL}


def definition(code: str) -> Definition:
    return DEFINITIONS[code]
