"""Caseworkers' pages for cases: work views, the case page, bulk actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability, can
from amparo.campaigns.services import campaigns_for_case
from amparo.cases import access, clocks, listing, services, states, timeline
from amparo.cases.forms import (
    MergeForm,
    NoteForm,
    OpenCaseForm,
    ReferForm,
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
            services.bulk_assign(chosen, request.user, actor=actor_of(request))
            messages.success(request, _("%(n)s cases assigned to you.") % {"n": len(chosen)})
        elif action in states.Status.values:
            changed, refused = services.bulk_transition(
                chosen, action, actor=actor_of(request), outcome=request.POST.get("outcome", "")
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
@require_safe
def case_detail(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = access.case_for(request.user, org_slug, case_id)
    return _case_page(request, case)


def _case_page(request: HttpRequest, case: Case, **posted: forms.Form) -> HttpResponse:
    """The case page. A form posted with a mistake (``posted``: note_form, task_form,
    tags_form, merge_form, refer_form) comes back as it was sent, with its errors."""
    membership = membership_for(request.user, case.organisation.slug, Capability.VIEW_CASES)
    writer = can(membership.role, Capability.WRITE_CASES)
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
            "events": timeline.sentences(case.events.select_related("actor")),
            "allowed": [(s, states.Status(s).label) for s in sorted(states.allowed(case.status))],
            "needs_outcome": states.NEEDS_OUTCOME,
            "outcomes": states.CHOOSABLE_OUTCOMES,
            "note_form": posted.get("note_form") or NoteForm(),
            "task_form": posted.get("task_form") or TaskForm(),
            "merge_form": posted.get("merge_form") or MergeForm(),
            "refer_form": posted.get("refer_form") or ReferForm(),
            "tags_form": posted.get("tags_form")
            or TagsForm(initial={"tags": ", ".join(t.name for t in case.tags.all())}),
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


# One view per thing a caseworker does on the case page, each at its own address, for those
# who may change cases (anyone else gets 404, as for a case they cannot see). A refusal is said
# on the case page, with what was typed still in its form; success goes back to the page.


def _case_to_change(request: HttpRequest, org_slug: str, case_id: str) -> Case:
    return access.case_for(request.user, org_slug, case_id, write=True)


def _refused(
    request: HttpRequest, case: Case, errors: ValidationError | forms.Form, **posted: forms.Form
) -> HttpResponse:
    """The case page again, saying why (a service's refusal, or a form's errors that the page
    does not show beside a field)."""
    if isinstance(errors, forms.Form):
        for field_errors in errors.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    else:
        for message in errors.messages:
            messages.error(request, message)
    return _case_page(request, case, **posted)


def _back(case: Case) -> HttpResponse:
    return redirect("case_detail", case.organisation.slug, case.pk)


def _act(
    request: HttpRequest,
    case: Case,
    act: Callable[[], object],
    done: str = "",
    **posted: forms.Form,
) -> HttpResponse:
    """Run one action on the case: back to its page (saying ``done``), or the page again
    saying why the service refused, with what was typed (``posted``). A refusal of the
    person (``PermissionDenied``) is a 404, as for a case they cannot see."""
    try:
        act()
    except ValidationError as exc:
        return _refused(request, case, exc, **posted)
    except PermissionDenied:
        raise Http404 from None
    if done:
        messages.success(request, done)
    return _back(case)


@login_required
@require_POST
def case_assign_me(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = _case_to_change(request, org_slug, case_id)
    return _act(
        request, case, lambda: services.assign_case(case, request.user, actor=actor_of(request))
    )


@login_required
@require_POST
def case_transition(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = _case_to_change(request, org_slug, case_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, form)
    return _act(
        request,
        case,
        lambda: services.transition_case(
            case,
            form.cleaned_data["to"],
            actor=actor_of(request),
            outcome=form.cleaned_data["outcome"],
            account_restored_on=form.cleaned_data["account_restored_on"],
        ),
        _("Status changed."),
    )


@login_required
@require_POST
def case_note(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = _case_to_change(request, org_slug, case_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, note_form=form)
    return _act(
        request,
        case,
        lambda: services.add_note(case, form.cleaned_data["body"], actor=actor_of(request)),
        note_form=form,
    )


@login_required
@require_POST
def case_task(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = _case_to_change(request, org_slug, case_id)
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, task_form=form)
    return _act(
        request,
        case,
        lambda: services.add_task(
            case,
            form.cleaned_data["title"],
            due_at=form.cleaned_data["due_at"],
            actor=actor_of(request),
        ),
        task_form=form,
    )


@login_required
@require_POST
def case_tags(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = _case_to_change(request, org_slug, case_id)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, tags_form=form)
    return _act(
        request,
        case,
        lambda: services.set_tags(
            case, form.cleaned_data["tags"].split(","), actor=actor_of(request)
        ),
        tags_form=form,
    )


@login_required
@require_POST
def case_refer(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    from amparo.accounts.models import Organisation
    from amparo.cases.referrals import refer

    case = _case_to_change(request, org_slug, case_id)
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, form, refer_form=form)
    partner = (
        Organisation.objects.filter(pk=form.cleaned_data["partner"])
        .exclude(pk=case.organisation_id)
        .first()
    )

    def act() -> None:
        if partner is None:
            raise ValidationError(_("Choose a partner organisation."))
        refer(
            case,
            partner,
            actor=actor_of(request),
            reporter_agreed=form.cleaned_data["agreed"],
            asked_and_confirmed=form.cleaned_data["asked_identity"],
        )

    return _act(
        request,
        case,
        act,
        _("Referred. The partner sees it as a new report in its queue."),
        refer_form=form,
    )


@login_required
@require_POST
def case_merge(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    from amparo.cases.merging import merge_cases

    case = _case_to_change(request, org_slug, case_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            case,
            ValidationError(_("Type the other case's reference and confirm the merge.")),
            merge_form=form,
        )
    # Another organisation's case, or no case with that reference: 404, as on its own page.
    other = access.case_by_reference(request.user, org_slug, form.cleaned_data["reference"])
    return _act(
        request,
        case,
        lambda: merge_cases(case, other, actor=actor_of(request)),
        _("%(other)s was merged into this case and closed.") % {"other": other.reference},
        merge_form=form,
    )


@login_required
@require_POST
def case_referral_answer(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    """Accept, decline or complete the referral a partner made of this case's report."""
    from amparo.cases.referrals import answer

    case = _case_to_change(request, org_slug, case_id)
    referral = _incoming_referral(case)
    if referral is None:
        raise Http404
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, form)
    return _act(
        request,
        case,
        lambda: answer(referral, form.cleaned_data["status"], actor=actor_of(request)),
        _("The referring organisation sees your answer."),
    )


@login_required
@require_POST
def case_statement_save(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = _case_to_change(request, org_slug, case_id)
    form = StatementMatchForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, form)
    return _act(
        request,
        case,
        lambda: save_found(
            case, form.cleaned_data["puid"], form.cleaned_data["statement"], actor=actor_of(request)
        ),
        _("The statement was saved on the case."),
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
            actor=actor_of(request),
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
        services.complete_task(task, actor=actor_of(request))
    except PermissionDenied:
        raise Http404 from None
    return redirect("case_detail", org_slug, case_id)


def _incoming_referral(case: Case) -> Referral | None:
    """The referral this case came from, when a partner referred one of its reports here."""
    from amparo.cases.models import Referral

    return (
        Referral.objects.filter(report__case_link__case=case).select_related("organisation").first()
    )


def _partners(case: Case) -> QuerySet[Organisation]:
    from amparo.accounts.models import Organisation
    from amparo.sharing.access import visible_partner_ids

    # Organisations in a sharing group that hides its members are listed only to those that
    # know them (sharing/access.py, docs/sharing.md).
    visible = visible_partner_ids(case.organisation_id)
    return Organisation.objects.filter(pk__in=visible).order_by("name")
