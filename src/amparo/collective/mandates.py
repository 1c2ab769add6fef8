"""Mandates under DSA Art 86(1), per person and per use.

A member mandates the representing body for named uses (``models.REMEDIES``) on named
platforms and kinds of decision, says whether their name may be disclosed to the platform or
the regulator, and may revoke the mandate at any time. It is given by the person on the
follow-up page with their code (no account), or recorded by a caseworker of the case's own
organisation with the signed form or the recording of the oral consent attached as evidence.

A new mandate replaces the member's valid one (``superseded``); a revocation ends it
(``revoked``, final). Either way the member leaves every filing prepared from then on, and a
prepared filing that named them is refused at filing time (``filings.py``). The coordinator
of the action is told of every revocation.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.collective import states
from amparo.collective.models import REMEDIES, Mandate, Member
from amparo.core import rls
from amparo.keyring import blobs

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

MAX_EVIDENCE = 50 * 1024 * 1024
#: DSA remedy steps (``remedies``' codes) and the mandate use that covers each.
REMEDY_USE = {
    "art86_priority_complaint": "art20_priority_complaint",
    "art20_complaint": "art20_priority_complaint",
    "art21_ods": "art21_out_of_court",
    "art53_dsc_complaint": "art53_complaint",
}


def view(mandate: Mandate) -> states.MandateView:
    return states.MandateView(
        state=mandate.state,
        given_at=mandate.given_at,
        revoked_at=mandate.revoked_at,
        platforms=tuple(mandate.scope_platforms or ()),
        decisions=tuple(mandate.scope_decisions or ()),
        remedies=tuple(mandate.scope_remedies or ()),
    )


def covering(
    member: Member, remedy: str, *, at: datetime | None = None, mandates: Iterable[Mandate] = ()
) -> Mandate | None:
    """The member's mandate that covers ``remedy`` for the action's platform and decision at
    ``at`` (now by default), or None."""
    at = at or timezone.now()
    action = member.action
    found = list(mandates) or list(member.mandates.all())
    for mandate in found:
        if states.covers(
            view(mandate),
            remedy=remedy,
            platform=action.platform,
            decision_type=action.decision_type,
            at=at,
        ):
            return mandate
    return None


def current(member: Member) -> Mandate | None:
    """The member's valid mandate (any scope), or None."""
    return next((m for m in member.mandates.all() if m.state == states.VALID), None)


def case_is_mandated(case: Any, remedy_code: str, *, at: datetime | None = None) -> bool:
    """Whether a valid mandate recorded for ``case`` (in any collective action) covers the
    remedy step ``remedy_code`` (a ``remedies`` code) on the case's platform now: what a
    document that says "we represent the person (Art 86)" needs."""
    use = REMEDY_USE.get(remedy_code)
    if use is None:
        return False
    at = at or timezone.now()
    with rls.bypass():
        members = Member.objects.filter(case=case).select_related("action")
        for member in members:
            mandate = covering(member, use, at=at)
            if mandate is not None and case.platform in (mandate.scope_platforms or []):
                return True
    return False


def _clean_scope(platforms: list[str], decisions: list[str], remedies: list[str]) -> None:
    if not platforms:
        raise ValidationError(_("Choose the platform the mandate covers."))
    if not remedies:
        raise ValidationError(_("Choose at least one use the mandate covers."))
    unknown = set(remedies) - set(REMEDIES)
    if unknown:
        raise ValidationError(_("Unknown use of a mandate."))


def _notify_coordinator(member: Member, kind: str) -> None:
    from amparo.intake.notifying import notify, team

    organisation = member.action.organisation
    notify(
        team(organisation), organisation, kind, link="collective_action", object_id=member.action_id
    )


def _replace_current(member: Member, at: datetime) -> str | None:
    old = current(member)
    if old is None:
        return None
    to = states.check_mandate(old.state, "replace")
    if not Mandate.objects.filter(pk=old.pk, state=old.state).update(state=to, revoked_at=at):
        raise ValidationError(_("This mandate was changed a moment ago; open it again."))
    return str(old.pk)


@transaction.atomic
def _create(
    member: Member,
    *,
    channel: str,
    platforms: list[str],
    decisions: list[str],
    remedies: list[str],
    disclose_name: bool,
    given_at: datetime,
    language: str,
    actor: Actor,
    evidence: tuple[str, str, bytes] | None,
) -> Mandate:
    _clean_scope(platforms, decisions, remedies)
    with rls.bypass():
        replaced = _replace_current(member, given_at)
        mandate = Mandate(
            member=member,
            organisation_id=member.organisation_id,
            data_key_id=member.case.data_key_id,
            channel=channel,
            language=language[:8],
            given_at=given_at,
            scope_platforms=sorted(set(platforms)),
            scope_decisions=sorted(set(decisions)),
            scope_remedies=[r for r in REMEDIES if r in remedies],
            disclose_name=disclose_name,
            recorded_by=actor,
        )
        if evidence is not None:
            name, media_type, data = evidence
            mandate.evidence_blob, mandate.evidence_size = blobs.store(
                member.case.data_key,
                io.BytesIO(data),
                blobs.blob_aad(member.organisation_id, "mandate", mandate.pk),
            )
            mandate.evidence_name = name[:200]
            mandate.evidence_media_type = media_type[:100]
            mandate.evidence_sha256 = hashlib.sha256(data).hexdigest()
        mandate.save()
        record(
            "collective.mandate_given",
            actor=actor,
            obj=mandate,
            organisation=member.organisation_id,
            new={
                "member": str(member.pk),
                "channel": channel,
                "remedies": mandate.scope_remedies,
                "platforms": mandate.scope_platforms,
                "disclose_name": disclose_name,
                "replaced": replaced,
            },
        )
    return mandate


def give_by_followup(
    report: Any,
    member: Member,
    *,
    remedies: list[str],
    disclose_name: bool,
    language: str,
) -> Mandate:
    """The person gives the mandate on the follow-up page, with their code (no account): only
    for a member whose case holds their report."""
    if not member.case.report_links.filter(report=report).exists():
        raise PermissionDenied
    return _create(
        member,
        channel=Mandate.Channel.FOLLOW_UP_PAGE,
        platforms=[member.action.platform],
        decisions=[member.action.decision_type],
        remedies=remedies,
        disclose_name=disclose_name,
        given_at=timezone.now(),
        language=language,
        actor=None,
        evidence=None,
    )


def record_by_caseworker(
    member: Member,
    *,
    channel: str,
    evidence: tuple[str, str, bytes] | None,
    remedies: list[str],
    disclose_name: bool,
    actor: Actor,
    given_at: datetime | None = None,
    platforms: list[str] | None = None,
    decisions: list[str] | None = None,
    language: str = "",
) -> Mandate:
    """A caseworker of the case's own organisation records a mandate given on a signed form or
    orally (the recording attached): the evidence is required."""
    require_capability(actor, member.organisation_id, Capability.WRITE_CASES)
    if channel not in (Mandate.Channel.SIGNED_FORM, Mandate.Channel.ORAL_CONSENT):
        raise ValidationError(_("Say how the mandate was given: a signed form or oral consent."))
    if evidence is None or not evidence[2]:
        raise ValidationError(
            _("Attach the signed form or the recording of the oral consent as evidence.")
        )
    if len(evidence[2]) > MAX_EVIDENCE:
        raise ValidationError(_("The evidence file is too large (50 MB at most)."))
    now = timezone.now()
    given_at = given_at or now
    if given_at > now:
        raise ValidationError(_("A mandate cannot have been given in the future."))
    return _create(
        member,
        channel=channel,
        platforms=platforms or [member.action.platform],
        decisions=decisions if decisions is not None else [member.action.decision_type],
        remedies=remedies,
        disclose_name=disclose_name,
        given_at=given_at,
        language=language,
        actor=actor,
        evidence=evidence,
    )


@transaction.atomic
def revoke(mandate: Mandate, *, via: str, actor: Actor = None) -> Mandate:
    """Revoke a mandate (Art 86(1): the person may withdraw it at any time). ``via``:
    ``follow_up_page`` (the person) or ``caseworker`` (WRITE_CASES on the case's organisation,
    acting on the person's word). The coordinator is told."""
    if via == "caseworker":
        require_capability(actor, mandate.organisation_id, Capability.WRITE_CASES)
    elif via != "follow_up_page":
        raise ValidationError(_("Unknown way of revoking."))
    with rls.bypass():
        at = timezone.now()
        to = states.check_mandate(mandate.state, "revoke")
        if not Mandate.objects.filter(pk=mandate.pk, state=mandate.state).update(
            state=to, revoked_at=at, revoked_via=via
        ):
            raise ValidationError(_("This mandate was changed a moment ago; open it again."))
        mandate.state, mandate.revoked_at, mandate.revoked_via = to, at, via
        member = mandate.member
        from amparo.collective.filings import withdraw_for_member

        _notify_coordinator(member, "collective_mandate_revoked")
        withdraw_for_member(member)
        record(
            "collective.mandate_revoked",
            actor=actor,
            obj=mandate,
            organisation=mandate.organisation_id,
            new={"member": str(member.pk), "via": via},
        )
    return mandate


def evidence_bytes(mandate: Mandate) -> bytes:
    aad = blobs.blob_aad(mandate.organisation_id, "mandate", mandate.pk)
    return b"".join(blobs.read(mandate.data_key, mandate.evidence_blob, aad))


def members_for_report(report: Any) -> list[Member]:
    """The approved memberships of the cases that hold ``report`` (the follow-up page)."""
    return list(
        Member.objects.filter(
            case__report_links__report=report,
            organisation_id=report.organisation_id,
            approved_at__isnull=False,
        )
        .select_related("action", "action__organisation", "case")
        .prefetch_related("mandates")
    )
