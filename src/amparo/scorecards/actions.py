"""The ten recommended actions of the US-EU guidance "Recommended actions for online platforms on
protecting human rights defenders online" (US-EU Trade and Technology Council, Working Group 6;
seed 001). Titles are quoted from it; which ones the organisation's data can measure, and which
need a documented assessment with sources, is decided here once."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MEASURED = "measured"
ASSESSED = "assessed"


@dataclass(frozen=True)
class Action:
    number: int
    title: Promise  # quoted from seed 001
    how: str  # MEASURED from our cases, or ASSESSED by staff from published sources
    asks: Promise  # what the action asks, in a line

    @property
    def measured(self) -> bool:
        return self.how == MEASURED


ACTIONS: tuple[Action, ...] = (
    Action(
        1,
        _("Commit to an HRD Protection Policy"),
        ASSESSED,
        _("A published, unequivocal commitment to protect HRDs, endorsed by top leadership."),
    ),
    Action(
        2,
        _("Identify Risks to HRDs"),
        ASSESSED,
        _("Regular risk assessments, informed by stakeholders, with a gender perspective."),
    ),
    Action(
        3,
        _("Exchange Information with HRDs, CSOs, and Industry Peers"),
        MEASURED,
        _("An ongoing dialogue with trusted partners: channels that exist and answer."),
    ),
    Action(
        4,
        _(
            "Create a Policy Implementation Plan to Mitigate Risk and Prevent Adverse Impacts "
            "with Monitoring Benchmarks to Measure Success"
        ),
        ASSESSED,
        _("An implementation plan with clear benchmarks, resources and training."),
    ),
    Action(
        5,
        _("Resource and Staff HRD Protection Efforts"),
        MEASURED,
        _("Resources allocated rapidly during elections, protests, conflict or crisis."),
    ),
    Action(
        6,
        _("Build Capacity to Address Risks in Local Contexts"),
        MEASURED,
        _("Local language capacity and awareness of local restrictions on civic space."),
    ),
    Action(
        7,
        _("Provide Safety Tools and Security Education to HRDs"),
        MEASURED,
        _("Tools for HRDs to quickly secure, disable or recover their accounts."),
    ),
    Action(
        8,
        _("Create and Maintain Accessible Incident Reporting Channels for HRDs"),
        MEASURED,
        _("Effective, accessible, secure and responsive incident reporting channels."),
    ),
    Action(
        9,
        _("Contribute to and Provide Access to Remedy"),
        MEASURED,
        _("Redress and appeals mechanisms: a means of recourse after an unfavourable outcome."),
    ),
    Action(
        10,
        _("Commit to Transparency, Public Reporting, and Continuous Improvement"),
        MEASURED,
        _("Monitoring, public reporting on findings and demonstrable improvement."),
    ),
)

BY_NUMBER = {a.number: a for a in ACTIONS}
ASSESSED_ONLY = frozenset(a.number for a in ACTIONS if not a.measured)  # 1, 2 and 4
