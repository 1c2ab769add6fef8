"""Services check the actor's membership in the database on every write."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from amparo.accounts.access import memberships_for, require_capability
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability
from amparo.cases import services


def test_require_capability_by_role_membership_and_organisation(people):
    org = people.org.pk
    assert require_capability(people.carlos, org, Capability.WRITE_CASES).user == people.carlos
    for actor, organisation in (
        (people.vera, org),  # a viewer cannot write
        (people.otto, org),  # another organisation's admin
        (people.carlos, people.other_org.pk),
        (None, org),
    ):
        with pytest.raises(PermissionDenied):
            require_capability(actor, organisation, Capability.WRITE_CASES)


def test_a_membership_ended_a_moment_ago_stops_writes_at_once(people, case):
    memberships_for(people.carlos)  # the per-request cache holds the active membership
    services.add_note(case, "before", actor=people.carlos)
    Membership.objects.filter(user=people.carlos).update(is_active=False)
    with pytest.raises(PermissionDenied):
        services.add_note(case, "after", actor=people.carlos)
