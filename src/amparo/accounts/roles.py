"""Roles and what each may do. Capabilities are data, checked in access.py and services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    VIEWER = "viewer", _("Viewer")
    INTERMEDIARY = "intermediary", _("Trusted intermediary")
    RESEARCHER = "researcher", _("Researcher")


class Capability(models.TextChoices):
    VIEW_CASES = "view_cases"
    WRITE_CASES = "write_cases"
    SUBMIT_ON_BEHALF = "submit_on_behalf"
    VIEW_OWN_SUBMISSIONS = "view_own_submissions"
    REVEAL_IDENTITY = "reveal_identity"
    COORDINATE = "coordinate"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_RETENTION = "manage_retention"
    VIEW_AUDIT = "view_audit"
    VIEW_MEMBERS = "view_members"
    VIEW_TDB = "view_tdb"  # the DSA Transparency Database pages (public data, no case data)


C = Capability
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            C.VIEW_CASES,
            C.WRITE_CASES,
            C.REVEAL_IDENTITY,
            C.COORDINATE,
            C.MANAGE_MEMBERS,
            C.MANAGE_RETENTION,
            C.VIEW_AUDIT,
            C.VIEW_MEMBERS,
            C.SUBMIT_ON_BEHALF,
            C.VIEW_OWN_SUBMISSIONS,
            C.VIEW_TDB,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            C.VIEW_CASES,
            C.WRITE_CASES,
            C.REVEAL_IDENTITY,
            C.COORDINATE,
            C.VIEW_MEMBERS,
            C.SUBMIT_ON_BEHALF,
            C.VIEW_OWN_SUBMISSIONS,
            C.VIEW_TDB,
        }
    ),
    Role.CASEWORKER: frozenset(
        {
            C.VIEW_CASES,
            C.WRITE_CASES,
            C.REVEAL_IDENTITY,
            C.VIEW_MEMBERS,
            C.SUBMIT_ON_BEHALF,
            C.VIEW_OWN_SUBMISSIONS,
            C.VIEW_TDB,
        }
    ),
    Role.VIEWER: frozenset({C.VIEW_CASES, C.VIEW_MEMBERS}),
    # A partner's staff member: submits reports for someone and sees only those reports.
    Role.INTERMEDIARY: frozenset({C.SUBMIT_ON_BEHALF, C.VIEW_OWN_SUBMISSIONS}),
    # Reads the Transparency Database pages and nothing of the organisation's own data.
    Role.RESEARCHER: frozenset({C.VIEW_TDB}),
}


def can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
