"""The collective redress pages: one small view per action, each calling a service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.collective import (
    access,
    dossier,
    eligibility,
    figures,
    filings,
    forms,
    mandates,
    proposals,
    services,
)
from amparo.collective.models import Proposal
from amparo.core import rls


def _errors(exc: ValidationError, request: HttpRequest) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST action: a refused service call becomes a message, a PermissionDenied a 404."""

    @wraps(view)
    def inner(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, org_slug, *args, **kwargs)
        except ValidationError as exc:
            _errors(exc, request)
            back = kwargs.get("collective_id")
            if back is None and "filing_id" in kwargs:
                back = access.filing_for(request.user, org_slug, kwargs["filing_id"]).action_id
            return (
                redirect("collective_action", org_slug, back)
                if back
                else redirect("collective_list", org_slug)
            )
        except PermissionDenied:
            raise Http404 from None

    return login_required(require_POST(inner))


@login_required
@require_safe
def action_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    organisation = membership.organisation
    standing = eligibility.standing(organisation)
    return render(
        request,
        "collective/list.html",
        {
            "organisation": organisation,
            "actions": access.actions_for(request.user, org_slug),
            "shared": list(access.shared_with(request.user, org_slug)),
            "coordinator": can(membership.role, Capability.COORDINATE),
            "writer": can(membership.role, Capability.WRITE_CASES),
            "standing": standing,
            "figures": figures.summary(organisation),
        },
    )


def _campaign_choices(organisation: Any) -> list[tuple[str, str]]:
    from amparo.campaigns.models import Campaign, DetectionRun
    from amparo.core.labels import campaign_kind

    found = Campaign.objects.filter(
        organisation=organisation, run__status=DetectionRun.Status.DONE
    ).order_by("-starts_at")[:50]
    return [
        (
            str(c.pk),
            f"{campaign_kind(c.kind)} · {c.starts_at:%Y-%m-%d} – {c.ends_at:%Y-%m-%d} · "
            + _("%(n)s accounts") % {"n": c.account_count},
        )
        for c in found
    ]


@login_required
def action_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    choices = _campaign_choices(organisation)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("campaign")
    if wanted and any(c == wanted for c, _label in choices):
        from amparo.campaigns.models import Campaign

        source = Campaign.objects.get(pk=wanted, organisation=organisation)
        initial = {
            "campaign": wanted,
            "window_start": source.starts_at.date(),
            "window_end": source.ends_at.date(),
            "decision_type": "account_suspended",
        }
    form = forms.ActionForm(request.POST or None, campaigns=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        from amparo.campaigns.models import Campaign

        data = form.cleaned_data
        campaign: Campaign | None = (
            Campaign.objects.filter(pk=data["campaign"], organisation=organisation).first()
            if data["campaign"]
            else None
        )
        try:
            action = services.open_action(
                organisation,
                title=data["title"],
                platform=data["platform"],
                decision_type=data["decision_type"],
                decision_ground=data["decision_ground"] or "",
                window_start=data["window_start"],
                window_end=data["window_end"],
                community=data["community"],
                campaign=campaign,
                actor=actor_of(request),
            )
            return redirect("collective_action", org_slug, action.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
    return render(request, "collective/new.html", {"organisation": organisation, "form": form})


@login_required
def eligibility_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    current = eligibility.eligibility_of(organisation)
    partners = [
        (str(o.pk), o.notifier_name)
        for o in Organisation.objects.exclude(pk=organisation.pk).order_by("name")
    ]
    initial = {}
    if current is not None:
        initial = {
            "not_for_profit": current.not_for_profit,
            "member_state": current.member_state,
            "registration_number": current.registration_number,
            "statutory_objectives": current.statutory_objectives,
            "dsa_interest": current.dsa_interest,
            "works_through": str(current.works_through_id or ""),
        }
    form = forms.EligibilityForm(
        request.POST or None, request.FILES or None, partners=partners, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("statutes")
        statutes = None
        if upload is not None:
            statutes = (
                upload.name,
                upload.content_type or "application/octet-stream",
                upload.read(),
            )
        through = (
            Organisation.objects.filter(pk=data["works_through"]).first()
            if data["works_through"]
            else None
        )
        try:
            eligibility.record_eligibility(
                organisation,
                not_for_profit=data["not_for_profit"],
                registration_number=data["registration_number"],
                member_state=data["member_state"],
                statutory_objectives=data["statutory_objectives"],
                dsa_interest=data["dsa_interest"],
                statutes=statutes,
                works_through=through,
                actor=actor_of(request),
            )
            messages.success(request, _("Eligibility recorded."))
            return redirect("collective_eligibility", org_slug)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
    return render(
        request,
        "collective/eligibility.html",
        {
            "organisation": organisation,
            "form": form,
            "current": current,
            "problems": eligibility.problems(current),
            "standing": eligibility.standing(organisation),
        },
    )


@login_required
@require_safe
def action_detail(request: HttpRequest, org_slug: str, collective_id: str) -> HttpResponse:
    from amparo.collective import states

    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    action = access.action_for(request.user, org_slug, collective_id)
    coordinator = can(membership.role, Capability.COORDINATE)
    members = access.members_of(action)
    rows = []
    for member in members:
        mandate = mandates.current(member)
        rows.append(
            {
                "member": member,
                "own": member.organisation_id == action.organisation_id,
                "mandate": mandate,
                "revoked": not mandate
                and any(m.state == states.REVOKED for m in member.mandates.all()),
                "remedies": [
                    forms.REMEDY_LABELS[r] for r in (mandate.scope_remedies if mandate else [])
                ],
                "outcome": forms.OUTCOME_LABELS.get(member.outcome, member.outcome),
            }
        )
    with rls.bypass():
        pending = list(
            action.proposals.filter(status=Proposal.Status.PENDING).select_related(
                "case", "organisation"
            )
        )
        decided = action.proposals.exclude(status=Proposal.Status.PENDING).count()
    proposal_rows = [
        {
            "proposal": p,
            "reasons": [forms.REASON_LABELS.get(r.get("code"), r.get("code")) for r in p.reasons],
            "own": p.organisation_id == action.organisation_id,
        }
        for p in pending
    ]
    partner_ids = set(action.partners.values_list("organisation_id", flat=True))
    partner_choices = [
        (str(o.pk), o.name)
        for o in Organisation.objects.exclude(pk=action.organisation_id).exclude(pk__in=partner_ids)
    ]
    from amparo.remedies.routes import DECISION_LABELS, GROUND_LABELS, platform_name

    filing_rows = [
        {
            "filing": f,
            "actions": states.filing_actions(f.status),
            "outcome": dict(forms.FilingOutcomeForm.base_fields["outcome"].choices).get(  # type: ignore[attr-defined]
                f.outcome, ""
            ),
        }
        for f in access.filings_of(action)
    ]
    return render(
        request,
        "collective/detail.html",
        {
            "organisation": action.organisation,
            "action": action,
            "coordinator": coordinator,
            "platform": platform_name(action.organisation, action.platform),
            "decision": DECISION_LABELS.get(action.decision_type, action.decision_type),
            "ground": GROUND_LABELS.get(action.decision_ground, action.decision_ground),
            "members": rows,
            "proposals": proposal_rows,
            "decided_proposals": decided,
            "partners": list(action.partners.select_related("organisation")),
            "partner_form": forms.PartnerForm(partners=partner_choices)
            if partner_choices
            else None,
            "filings": filing_rows,
            "file_form": forms.FileForm(initial={"filed_on": timezone.localdate()}),
            "outcome_form": forms.FilingOutcomeForm(initial={"decided_on": timezone.localdate()}),
            "member_outcome_form": forms.MemberOutcomeForm(),
            "standing": eligibility.standing(action.organisation),
            "figures": figures.for_action(action),
            "status_label": action.get_status_display(),
            "today": timezone.localdate(),
        },
    )


@_guarded
def refresh_proposals(request: HttpRequest, org_slug: str, collective_id: str) -> HttpResponse:
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    added = proposals.refresh(action, actor=actor_of(request))
    messages.success(request, _("%(n)s new proposals.") % {"n": added})
    return redirect("collective_action", org_slug, action.pk)


def _proposal(action: Any, proposal_id: str) -> Proposal:
    with rls.bypass():
        try:
            return Proposal.objects.select_related("case", "organisation").get(
                pk=proposal_id, action=action
            )
        except (Proposal.DoesNotExist, ValueError):
            raise Http404 from None


@_guarded
def accept_proposal(
    request: HttpRequest, org_slug: str, collective_id: str, proposal_id: str
) -> HttpResponse:
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    services.accept_proposal(_proposal(action, proposal_id), actor=actor_of(request))
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def reject_proposal(
    request: HttpRequest, org_slug: str, collective_id: str, proposal_id: str
) -> HttpResponse:
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    services.reject_proposal(_proposal(action, proposal_id), actor=actor_of(request))
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def accept_all(request: HttpRequest, org_slug: str, collective_id: str) -> HttpResponse:
    """Accept every pending proposal, each recorded on its own."""
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    with rls.bypass():
        pending = list(action.proposals.filter(status=Proposal.Status.PENDING))
    for proposal in pending:
        services.accept_proposal(proposal, actor=actor_of(request))
    messages.success(request, _("%(n)s proposals accepted.") % {"n": len(pending)})
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def add_partner(request: HttpRequest, org_slug: str, collective_id: str) -> HttpResponse:
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    partner = Organisation.objects.filter(pk=request.POST.get("partner") or "").first()
    if partner is None:
        raise ValidationError(_("Choose a partner organisation."))
    services.add_partner(action, partner, actor=actor_of(request))
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def prepare(
    request: HttpRequest, org_slug: str, collective_id: str, filing_kind: str
) -> HttpResponse:
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    wanted = forms.PREPARE_KINDS.get(filing_kind)
    if wanted is None:
        raise Http404
    if wanted in filings.PER_MEMBER:
        made = filings.prepare_per_member(action, wanted, actor=actor_of(request))
        messages.success(request, _("%(n)s documents prepared.") % {"n": len(made)})
    elif wanted == filings.K.ART53_JOINT:
        filings.prepare_art53(action, actor=actor_of(request))
    elif wanted == filings.K.ART23_NOTICE:
        filings.prepare_art23(action, actor=actor_of(request))
    else:
        filings.prepare_representative_action(action, actor=actor_of(request))
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def file_filing(request: HttpRequest, org_slug: str, filing_id: str) -> HttpResponse:
    filing = access.filing_for(request.user, org_slug, filing_id, coordinate=True)
    form = forms.FileForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Enter the day it was filed."))
    filings.file(
        filing,
        filed_on=form.cleaned_data["filed_on"],
        reference=form.cleaned_data["reference"],
        actor=actor_of(request),
    )
    return redirect("collective_action", org_slug, filing.action_id)


@_guarded
def approve_filing(request: HttpRequest, org_slug: str, filing_id: str) -> HttpResponse:
    filing = access.filing_for(request.user, org_slug, filing_id, coordinate=True)
    filings.approve(filing, actor=actor_of(request))
    return redirect("collective_action", org_slug, filing.action_id)


def _each_of_kind(
    request: HttpRequest, org_slug: str, collective_id: str, filing_kind: str, status: str
) -> tuple[Any, list[Any]]:
    """The action and its filings of one kind in ``status`` (404 for an unknown kind)."""
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    wanted = forms.PREPARE_KINDS.get(filing_kind)
    if wanted is None:
        raise Http404
    chosen = [f for f in access.filings_of(action) if f.kind == wanted and f.status == status]
    return action, chosen


@_guarded
def approve_all(
    request: HttpRequest, org_slug: str, collective_id: str, filing_kind: str
) -> HttpResponse:
    """Approve every prepared filing of one kind (each approved and audited on its own)."""
    action, chosen = _each_of_kind(request, org_slug, collective_id, filing_kind, "prepared")
    for filing in chosen:
        filings.approve(filing, actor=actor_of(request))
    messages.success(request, _("%(n)s filings approved.") % {"n": len(chosen)})
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def file_all(
    request: HttpRequest, org_slug: str, collective_id: str, filing_kind: str
) -> HttpResponse:
    """Record every approved filing of one kind as filed today (each recorded on its own)."""
    action, chosen = _each_of_kind(request, org_slug, collective_id, filing_kind, "approved")
    for filing in chosen:
        filings.file(filing, filed_on=timezone.localdate(), reference="", actor=actor_of(request))
    messages.success(request, _("%(n)s filings recorded as filed.") % {"n": len(chosen)})
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def decide_filing(request: HttpRequest, org_slug: str, filing_id: str) -> HttpResponse:
    filing = access.filing_for(request.user, org_slug, filing_id, coordinate=True)
    form = forms.FilingOutcomeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose the outcome and the day of the decision."))
    filings.decide(
        filing,
        outcome=form.cleaned_data["outcome"],
        decided_on=form.cleaned_data["decided_on"],
        actor=actor_of(request),
    )
    return redirect("collective_action", org_slug, filing.action_id)


@_guarded
def withdraw_filing(request: HttpRequest, org_slug: str, filing_id: str) -> HttpResponse:
    filing = access.filing_for(request.user, org_slug, filing_id, coordinate=True)
    filings.withdraw(filing, actor=actor_of(request))
    return redirect("collective_action", org_slug, filing.action_id)


@login_required
@require_safe
def filing_document(request: HttpRequest, org_slug: str, filing_id: str) -> HttpResponse:
    filing = access.filing_for(request.user, org_slug, filing_id)
    mine = request.GET.get("language") == "member" and filing.member_document_text
    record("collective.document_downloaded", actor=actor_of(request), obj=filing)
    text = filing.member_document_text if mine else filing.document_text
    language = filing.member_language if mine else filing.language
    response = HttpResponse(text or "", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{filing.kind}-{filing.action.reference}-{language}.txt"'
    )
    return response


@_guarded
def member_outcome(
    request: HttpRequest, org_slug: str, collective_id: str, collective_member_id: str
) -> HttpResponse:
    from datetime import datetime, time

    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    member = next((m for m in access.members_of(action) if str(m.pk) == collective_member_id), None)
    if member is None:
        raise Http404
    form = forms.MemberOutcomeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose the outcome."))
    day = form.cleaned_data.get("restored_on")
    restored = timezone.make_aware(datetime.combine(day, time(12))) if day is not None else None
    if restored is not None and restored > timezone.now():
        restored = timezone.now()
    services.record_outcome(
        member,
        outcome=form.cleaned_data["outcome"],
        decided_at=restored or timezone.now(),
        restored_at=restored,
        actor=actor_of(request),
    )
    return redirect("collective_action", org_slug, action.pk)


@_guarded
def export_dossier(request: HttpRequest, org_slug: str, collective_id: str) -> HttpResponse:
    from amparo.engines.dossier import DossierError

    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    try:
        name, data = dossier.export(action, actor=actor_of(request))
    except DossierError as exc:
        raise ValidationError([str(p) for p in exc.problems]) from None
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_guarded
def close_action(request: HttpRequest, org_slug: str, collective_id: str) -> HttpResponse:
    action = access.action_for(request.user, org_slug, collective_id, coordinate=True)
    services.move_action(action, "closed", actor=actor_of(request))
    return redirect("collective_action", org_slug, action.pk)


# -- a partner's (or the coordinator's own) caseworker, for their organisation's cases --------


@_guarded
def approve_member(request: HttpRequest, org_slug: str, collective_member_id: str) -> HttpResponse:
    member = access.own_member_for(request.user, org_slug, collective_member_id)
    services.approve_member(member, actor=actor_of(request))
    return redirect("collective_list", org_slug)


@login_required
def record_mandate(request: HttpRequest, org_slug: str, collective_member_id: str) -> HttpResponse:
    member = access.own_member_for(request.user, org_slug, collective_member_id)
    form = forms.RecordMandateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["evidence"]
        try:
            mandates.record_by_caseworker(
                member,
                channel=form.cleaned_data["channel"],
                evidence=(
                    upload.name,
                    upload.content_type or "application/octet-stream",
                    upload.read(),
                ),
                remedies=form.cleaned_data["remedies"],
                disclose_name=form.cleaned_data["disclose_name"],
                actor=actor_of(request),
            )
            messages.success(request, _("Mandate recorded."))
            if member.action.organisation_id == member.organisation_id:
                return redirect("collective_action", org_slug, member.action_id)
            return redirect("collective_list", org_slug)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
    return render(
        request,
        "collective/mandate_form.html",
        {
            "organisation": member.case.organisation,
            "member": member,
            "form": form,
            "mandates": list(member.mandates.all()),
        },
    )


@_guarded
def revoke_mandate_staff(
    request: HttpRequest, org_slug: str, collective_member_id: str
) -> HttpResponse:
    member = access.own_member_for(request.user, org_slug, collective_member_id)
    mandate = mandates.current(member)
    if mandate is None:
        raise ValidationError(_("There is no valid mandate to revoke."))
    mandates.revoke(mandate, via="caseworker", actor=actor_of(request))
    messages.success(request, _("Mandate revoked; the coordinator was told."))
    return redirect("collective_record_mandate", org_slug, member.pk)
