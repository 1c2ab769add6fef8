"""Who may see the organisation's outbound messages: administrators and coordinators of that
organisation (the ``coordinate`` capability). Everyone else, members with other roles included,
gets 404. The page shows metadata only, never a message's content."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.access import organisation_for
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.core.models import OutboundMessage


def outbound_organisation_for(user: Any, org_slug: str) -> Organisation:
    return organisation_for(user, org_slug, Capability.COORDINATE)


def undelivered_for(user: Any, org_slug: str) -> tuple[Organisation, QuerySet[OutboundMessage]]:
    organisation = outbound_organisation_for(user, org_slug)
    messages = OutboundMessage.objects.filter(
        organisation=organisation,
        status__in=[OutboundMessage.Status.PENDING, OutboundMessage.Status.FAILED],
    ).order_by("created_at")
    return organisation, messages


def message_for(user: Any, org_slug: str, message_id: Any) -> OutboundMessage:
    organisation = outbound_organisation_for(user, org_slug)
    try:
        return OutboundMessage.objects.get(pk=message_id, organisation=organisation)
    except (OutboundMessage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
