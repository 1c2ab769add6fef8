"""Objects of the Defenders Helpline for tests/test_access_matrix.py: a sharing group it owns,
a member row, a shared item, a request to connect it received, a private comparison it asked."""

from __future__ import annotations

from typing import Any


def matrix_objects(people: Any) -> None:
    from amparo.accounts import services as accounts
    from amparo.sharing import items, psi, services
    from amparo.sharing.models import ConnectInvite, ConnectRequest

    third = accounts.create_organisation(name="Third Org", slug="third-matrix", actor=None)
    people.group = services.create_group(
        people.org, name="Matrix group", hide_members=False, actor=people.alice
    )
    people.group_member = services.invite(people.group, third, actor=people.alice)
    people.shared_item = items.propose_collective_action(
        people.org,
        reference="",
        title="Matrix action",
        description="d",
        distribution="organisation",
        actor=people.carlos,
    )
    request = ConnectRequest.objects.create(
        organisation=third, case=people.case, purpose="referral", created_by=people.alice
    )
    people.connect_invite = ConnectInvite.objects.create(request=request, organisation=people.org)
    people.psi = psi.request_exchange(people.org, third, actor=people.alice)
