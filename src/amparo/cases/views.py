"""Caseworkers' pages for cases: work views, the case page, bulk actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.access import membership_for
from amparo.accounts.roles import Capability, can
from amparo.campaigns.services import campaigns_for_case
from amparo.cases import access, clocks, listing, services, states
from amparo.cases.forms import (
    MergeForm,
    NoteForm,
    OpenCaseForm,
    ReferralAnswerForm,
    StatementMatchForm,
    TagsForm,
    TaskForm,
    TransitionForm,
)
from amparo.cases.statements import matches_for, save_found
from amparo.core.platforms import platform_name
from amparo.escalations.listing import with_channel_labels
from amparo.escalations.services import statement_for_case
from amparo.intake import access as intake_access
from amparo.tdb.lookup import statements_for_case

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from amparo.accounts.models import Organisation
    from amparo.cases.models import Case, Referral

VIEWS = listing.VIEWS
PAGE_SIZES = listing.PAGE_SIZES


@login_required
def case_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    writer = can(membership.role, Capability.WRITE_CASES)
    if request.method == "POST":
        if not writer:
            raise Http404
        chosen = list(
            access.cases_for(request.user, org_slug).filter(pk__in=request.POST.getlist("case"))
        )
        action = request.POST.get("bulk")
        if action == "assign_me":
            services.bulk_assign(chosen, request.user, actor=request.user)
            messages.success(request, _("%(n)s cases assigned to you.") % {"n": len(chosen)})
        elif action in states.Status.values:
            changed, refused = services.bulk_transition(
                chosen, action, actor=request.user, outcome=request.POST.get("outcome", "")
            )
            messages.success(request, _("%(n)s cases changed.") % {"n": changed})
            if refused:
                messages.error(
                    request, _("Not allowed for: %(refs)s") % {"refs": ", ".join(refused)}
                )
        return redirect(request.get_full_path())
    view = request.GET.get("view", "open")
    view = view if view in VIEWS else "open"
    organisation = membership.organisation
    cases = listing.work_view(access.cases_for(request.user, org_slug), view, request.user)
    for field in ("status", "platform", "queue", "country", "urgency_level"):
        if request.GET.get(field):
            cases = cases.filter(**{field: request.GET[field]})
    if request.GET.get("tag"):
        cases = listing.with_tag(cases, organisation, request.GET["tag"])
    query = request.GET.get("q", "").strip()
    if query:
        cases = listing.search(cases, organisation, query)
    size_text = request.GET.get("size", "")
    size = int(size_text) if size_text in {str(s) for s in PAGE_SIZES} else listing.DEFAULT_SIZE
    page = listing.paginate(
        cases, size=size, number=request.GET.get("page"), after=request.GET.get("after", "")
    )
    return render(
        request,
        "cases/list.html",
        {
            "organisation": organisation,
            "page": page,
            "view": view,
            "views": list(VIEWS),
            "writer": writer,
            "statuses": states.Status.choices,
            "outcomes": states.CHOOSABLE_OUTCOMES,
            "q": query,
        },
    )


@login_required
def case_detail(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = access.case_for(request.user, org_slug, case_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    writer = can(membership.role, Capability.WRITE_CASES)
    note_form, task_form = NoteForm(), TaskForm()
    if request.method == "POST":
        case = access.case_for(request.user, org_slug, case_id, write=True)
        action = request.POST.get("action")
        try:
            if action == "transition":
                form = TransitionForm(request.POST)
                if form.is_valid():
                    services.transition_case(
                        case,
                        form.cleaned_data["to"],
                        actor=request.user,
                        outcome=form.cleaned_data["outcome"],
                        account_restored_on=form.cleaned_data["account_restored_on"],
                    )
                    messages.success(request, _("Status changed."))
                    return redirect("case_detail", org_slug, case.pk)
            elif action == "note":
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    services.add_note(case, note_form.cleaned_data["body"], actor=request.user)
                    return redirect("case_detail", org_slug, case.pk)
            elif action == "task":
                task_form = TaskForm(request.POST)
                if task_form.is_valid():
                    services.add_task(
                        case,
                        task_form.cleaned_data["title"],
                        due_at=task_form.cleaned_data["due_at"],
                        actor=request.user,
                    )
                    return redirect("case_detail", org_slug, case.pk)
            elif action == "tags":
                tags_form = TagsForm(request.POST)
                if tags_form.is_valid():
                    services.set_tags(
                        case, tags_form.cleaned_data["tags"].split(","), actor=request.user
                    )
                    return redirect("case_detail", org_slug, case.pk)
            elif action == "refer":
                from amparo.accounts.models import Organisation
                from amparo.cases.referrals import refer

                try:
                    partner = (
                        Organisation.objects.filter(pk=request.POST.get("partner") or "")
                        .exclude(pk=case.organisation_id)
                        .first()
                    )
                except ValidationError:  # not an organisation id at all
                    partner = None
                if partner is None:
                    raise ValidationError(_("Choose a partner organisation."))
                refer(
                    case,
                    partner,
                    actor=request.user,
                    reporter_agreed=request.POST.get("agreed") == "1",
                    asked_and_confirmed=request.POST.get("asked_identity") == "1",
                )
                messages.success(
                    request, _("Referred. The partner sees it as a new report in its queue.")
                )
                return redirect("case_detail", org_slug, case.pk)
            elif action == "merge":
                from amparo.cases.merging import merge_cases

                merge_form = MergeForm(request.POST)
                if not merge_form.is_valid():
                    raise ValidationError(
                        _("Type the other case's reference and confirm the merge.")
                    )
                other = access.case_by_reference(
                    request.user, org_slug, merge_form.cleaned_data["reference"]
                )
                merge_cases(case, other, actor=request.user)
                messages.success(
                    request,
                    _("%(other)s was merged into this case and closed.")
                    % {"other": other.reference},
                )
                return redirect("case_detail", org_slug, case.pk)
            elif action == "assign_me":
                services.assign_case(case, request.user, actor=request.user)
                return redirect("case_detail", org_slug, case.pk)
            elif action == "referral":
                return _answer_referral(request, case)
            elif action == "save_statement":
                match_form = StatementMatchForm(request.POST)
                if not match_form.is_valid():
                    raise ValidationError(_("Choose a statement found for a content id."))
                save_found(
                    case,
                    match_form.cleaned_data["puid"],
                    match_form.cleaned_data["statement"],
                    actor=request.user,
                )
                messages.success(request, _("The statement was saved on the case."))
                return redirect("case_detail", org_slug, case.pk)
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
    reports = [link.report for link in case.report_links.select_related("report")]
    typed = request.GET.get("puid", "").strip()[:200]
    matches = matches_for(case)
    statement = statement_for_case(case)
    # The look-up uses the content id typed, else the one the platform's answer named (until
    # a statement is saved for it).
    content_id = typed or (statement["content_id"] if statement and not matches else "")
    incoming = _incoming_referral(case)
    return render(
        request,
        "cases/detail.html",
        {
            "organisation": case.organisation,
            "case": case,
            "writer": writer,
            "reports": reports,
            "notes": case.notes.select_related("author"),
            "tasks": case.tasks.select_related("assignee"),
            "events": case.events.select_related("actor"),
            "allowed": [(s, states.Status(s).label) for s in sorted(states.allowed(case.status))],
            "needs_outcome": states.NEEDS_OUTCOME,
            "outcomes": states.CHOOSABLE_OUTCOMES,
            "note_form": note_form,
            "task_form": task_form,
            "merge_form": MergeForm(),
            "tags_form": TagsForm(initial={"tags": ", ".join(t.name for t in case.tags.all())}),
            "platform_name": platform_name(case.platform),
            "referrals": case.referrals.select_related("to_organisation"),
            "partners": _partners(case),
            "statements": statements_for_case(case, reports, content_id),
            "content_id_from": "typed" if typed else ("escalation" if content_id else ""),
            "statement": statement,
            "matches": matches,
            "clocks": clocks.clocks_of(case),
            "escalations": with_channel_labels(case.organisation, case.escalations.all()),
            "incoming": incoming,
            "campaigns": campaigns_for_case(case),
            # Campaign runs are opened by coordinators only (campaigns.views).
            "sees_runs": can(membership.role, Capability.COORDINATE),
            "incoming_answers": sorted(states.referral_answers(incoming.status))
            if incoming
            else [],
        },
    )


@login_required
@require_POST
def open_from_report(request: HttpRequest, org_slug: str, report_id: str) -> HttpResponse:
    report = intake_access.report_for(request.user, org_slug, report_id, write=True)
    form = OpenCaseForm(request.POST)
    form.is_valid()
    try:
        case = services.open_case(
            report.organisation,
            reports=[report],
            title=form.cleaned_data.get("title", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("intake_report", org_slug, report.pk)
    except PermissionDenied:
        raise Http404 from None
    return redirect("case_detail", org_slug, case.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, org_slug: str, case_id: str, task_id: str) -> HttpResponse:
    task = access.task_for(request.user, org_slug, case_id, task_id)
    try:
        services.complete_task(task, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    return redirect("case_detail", org_slug, case_id)


def _incoming_referral(case: Case) -> Referral | None:
    """The referral this case came from, when a partner referred one of its reports here."""
    from amparo.cases.models import Referral

    return (
        Referral.objects.filter(report__case_link__case=case).select_related("organisation").first()
    )


def _answer_referral(request: HttpRequest, case: Case) -> HttpResponse:
    """Accept, decline or complete the referral a partner made of this case's report."""
    from amparo.cases.referrals import answer

    referral = _incoming_referral(case)
    if referral is None:
        raise Http404
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Unknown answer."))
    answer(referral, form.cleaned_data["status"], actor=request.user)
    messages.success(request, _("The referring organisation sees your answer."))
    return redirect("case_detail", case.organisation.slug, case.pk)


def _partners(case: Case) -> QuerySet[Organisation]:
    from amparo.accounts.models import Organisation
    from amparo.sharing.access import visible_partner_ids

    # Organisations in a sharing group that hides its members are listed only to those that
    # know them (sharing/access.py, docs/sharing.md).
    visible = visible_partner_ids(case.organisation_id)
    return Organisation.objects.filter(pk__in=visible).order_by("name")
