"""The demo's collective action loads: Schutzraum coordinates, Línea Segura's cases join."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_collective_action():
    from amparo.collective.models import CollectiveAction, Mandate, Member
    from amparo.demo.collective import seed_collective
    from amparo.demo.reports import seed_reports
    from amparo.demo.seed import seed

    seed()
    seed_reports()
    seed_collective()
    seed_collective()  # twice changes nothing
    action = CollectiveAction.objects.get()
    assert action.organisation.slug == "schutzraum"
    members = Member.objects.filter(action=action)
    if members.exists():  # the demo reports hold suspensions on the chosen platform
        assert all(m.approved_at for m in members)
        assert Mandate.objects.filter(member__action=action, channel="signed_form").count() == 1
