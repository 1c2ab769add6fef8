"""Row-level security on the collective tables (PostgreSQL only): each organisation's scope
sees its own members and mandates; the coordinator's pages cross organisations explicitly."""

from __future__ import annotations

import pytest

from amparo.core import rls
from tests.collective import scenario
from tests.test_row_level_security import enforced  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.database("postgresql")]


def test_each_scope_sees_its_own_members_and_the_coordinator_crosses_explicitly(
    enforced,  # noqa: F811
):
    from amparo.collective import access, mandates
    from amparo.collective.models import Mandate, Member

    c = scenario.build(per_org=(1, 1))
    action = scenario.open_from_campaign(c)
    members = scenario.all_members(c, action)
    theirs = next(m for m in members if m.organisation_id == c.partner_org.pk)
    mandates.give_by_followup(
        theirs.case.report_links.first().report,
        theirs,
        remedies=["art53_complaint"],
        disclose_name=False,
        language="en",
    )
    with rls.organisation(c.coordinator_org):
        assert set(Member.objects.values_list("organisation_id", flat=True)) == {
            c.coordinator_org.pk
        }
        assert Mandate.objects.count() == 0  # the partner's person's mandate is not ours
        assert len(access.members_of(action)) == 2  # the action's page crosses explicitly
    with rls.organisation(c.partner_org):
        assert list(Member.objects.values_list("pk", flat=True)) == [theirs.pk]
        assert Mandate.objects.count() == 1
    with rls.organisation(c.outsider.memberships.get().organisation):
        assert Member.objects.count() == 0 and Mandate.objects.count() == 0
