"""Private set intersection between two organisations, with OpenMined's PSI
(``openmined.psi``, elliptic-curve commutative blinding).

A two-step exchange through this server:

1. The requester's coordinator asks a partner. Its open cases' attacker accounts (normalised
   tokens) are blinded with a fresh client key; the blinded request is stored for the partner,
   the client key and the clear list are stored encrypted under the requester's key.
2. The partner's coordinator answers (or declines): its own tokens are blinded with a fresh
   server key, which is discarded afterwards; the answer (the partner's blinded set and the
   requester's set blinded again) is stored.

Only the requester computes the result: the intersection's size and which of its *own*
accounts are in it. The partner learns how many accounts the requester sent, nothing else;
the requester learns how many accounts the partner holds (the size of the answer) and the
intersection. Neither sees the other's cases; no group key is involved.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.core import rls
from amparo.keyring.services import organisation_key
from amparo.sharing.access import visible_partner_ids
from amparo.sharing.models import PsiExchange
from amparo.sharing.services import case_tokens

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

#: False-positive rate of the partner's answer (a Bloom filter is not used: RAW setup).
FPR = 1e-9
MAX_ITEMS = 20_000


def _psi() -> Any:
    import private_set_intersection.python as psi

    return psi


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def organisation_tokens(organisation: Any) -> list[str]:
    """The normalised attacker-account tokens of the organisation's open cases."""
    from amparo.cases.models import Case

    found: dict[str, None] = {}
    with rls.organisation(getattr(organisation, "pk", organisation)):
        for case in Case.objects.filter(organisation=organisation, is_open=True):
            for _kind, token in case_tokens(case):
                found[token] = None
    return list(found)[:MAX_ITEMS]


@transaction.atomic
def request_exchange(
    organisation: Organisation, partner: Organisation, *, actor: Actor
) -> PsiExchange:
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    if partner.pk == organisation.pk or partner.pk not in visible_partner_ids(organisation):
        raise ValidationError(_("Choose a partner organisation."))
    items = organisation_tokens(organisation)
    if not items:
        raise ValidationError(_("Your open cases name no attacker accounts to compare."))
    psi = _psi()
    client = psi.client.CreateWithNewKey(True)
    exchange = PsiExchange(
        organisation=organisation,
        partner=partner,
        data_key=organisation_key(organisation),
        request_message=_b64(client.CreateRequest(items).SerializeToString()),
        requester_size=len(items),
        created_by=actor,
    )
    exchange.secret = {"key": _b64(client.GetPrivateKeyBytes()), "items": items}
    exchange.save(force_insert=True)
    record(
        "sharing.psi_requested",
        actor=actor,
        obj=exchange,
        organisation=organisation,
        new={"partner": str(partner.pk), "size": len(items)},
    )
    return exchange


@transaction.atomic
def answer_exchange(exchange: PsiExchange, *, accept: bool, actor: Actor) -> PsiExchange:
    require_capability(actor, exchange.partner_id, Capability.COORDINATE)
    if exchange.status != PsiExchange.Status.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    now = timezone.now()
    if not accept:
        status, setup, response = PsiExchange.Status.DECLINED, "", ""
    else:
        psi = _psi()
        items = organisation_tokens(exchange.partner)
        server = psi.server.CreateWithNewKey(True)
        request = psi.Request()
        request.ParseFromString(base64.b64decode(exchange.request_message))
        setup = _b64(
            server.CreateSetupMessage(
                FPR, exchange.requester_size, items, psi.DataStructure.RAW
            ).SerializeToString()
        )
        response = _b64(server.ProcessRequest(request).SerializeToString())
        status = PsiExchange.Status.ANSWERED
    if not PsiExchange.objects.filter(pk=exchange.pk, status=PsiExchange.Status.REQUESTED).update(
        status=status,
        setup_message=setup,
        response_message=response,
        answered_by=actor,
        answered_at=now,
    ):
        raise ValidationError(_("This request was already answered."))
    exchange.refresh_from_db()
    record(
        "sharing.psi_answered",
        actor=actor,
        obj=exchange,
        organisation=exchange.partner_id,
        new={"status": status},
    )
    return exchange


@dataclass(frozen=True)
class Result:
    size: int
    matched: list[str]  # the requester's own accounts in the intersection


def result(exchange: PsiExchange) -> Result | None:
    """The intersection, for the requester's pages only (None until answered)."""
    if exchange.status != PsiExchange.Status.ANSWERED:
        return None
    psi = _psi()
    secret = exchange.secret
    client = psi.client.CreateFromKey(base64.b64decode(secret["key"]), True)
    setup, response = psi.ServerSetup(), psi.Response()
    setup.ParseFromString(base64.b64decode(exchange.setup_message))
    response.ParseFromString(base64.b64decode(exchange.response_message))
    indices = sorted(client.GetIntersection(setup, response))
    items = secret["items"]
    return Result(len(indices), [items[i].split(":", 2)[-1] for i in indices])
