"""Canned replies: messages to reporters that a helpline sends often, one text per language.

Coordinators write and edit them (``Capability.COORDINATE``); everyone who may write to a
reporter (``Capability.WRITE_CASES``) picks one on the report page, where it fills the message
box to be read and adapted before it is sent — a canned reply is never sent by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.intake.models import CannedReply

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

#: The languages a reply can be written in: the app's languages.
LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def replies_for(organisation: Organisation, language: str = "") -> QuerySet[CannedReply]:
    """The organisation's replies, those in ``language`` first."""
    qs = CannedReply.objects.filter(organisation=organisation)
    if language:
        qs = qs.annotate(
            wanted=Case(
                When(language=language, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("wanted", "title", "language")
    return qs


def save_reply(
    organisation: Organisation,
    *,
    title: str,
    language: str,
    body: str,
    actor: Actor,
    reply: CannedReply | None = None,
) -> CannedReply:
    """Create a reply, or change ``reply``. Only coordinators and administrators may."""
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    title, body = title.strip(), body.strip()
    if language not in LANGUAGES:
        raise ValidationError(_("Choose one of the app's languages."))
    if not title or not body:
        raise ValidationError(_("A reply needs a title and a text."))
    if reply is not None and reply.organisation_id != organisation.pk:
        raise ValidationError(_("This reply belongs to another organisation."))
    old = None if reply is None else {"language": reply.language, "length": len(reply.body)}
    target = reply or CannedReply(organisation=organisation)
    target.title, target.language, target.body, target.updated_by = title, language, body, actor
    try:
        with transaction.atomic():
            target.save()
            record(
                "canned_reply.changed" if reply else "canned_reply.created",
                actor=actor,
                obj=target,
                organisation=organisation,
                old=old,
                new={"language": language, "length": len(body)},
            )
    except IntegrityError:
        raise ValidationError(
            _("There is already a reply with this title in this language.")
        ) from None
    return target


def delete_reply(reply: CannedReply, *, actor: Actor) -> None:
    require_capability(actor, reply.organisation_id, Capability.COORDINATE)
    with transaction.atomic():
        record(
            "canned_reply.deleted",
            actor=actor,
            obj=reply,
            organisation=reply.organisation,
            old={"language": reply.language},
        )
        reply.delete()
