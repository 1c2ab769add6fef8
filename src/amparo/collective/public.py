"""The mandate section of the reporter's follow-up page: give, see and revoke a mandate with
the follow-up code (no account), in the reporter's language.

The status page (``intake/status.html``) includes the section through the
``collective_followup`` template tag; its two forms post here, and the page is shown again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from amparo.collective import mandates
from amparo.collective.models import REMEDIES
from amparo.intake.access import public_organisation
from amparo.intake.followup import report_in_session

NOTICE = "amparo_collective_notice"
#: The uses of a mandate in the reporter's words.
REPORTER_REMEDY_LABELS = {
    "art20_priority_complaint": gettext_lazy(
        "Send a priority complaint to the platform for me (DSA Articles 20 and 86)"
    ),
    "art21_out_of_court": gettext_lazy(
        "Take my case to an out-of-court dispute settlement body (DSA Article 21)"
    ),
    "art53_complaint": gettext_lazy(
        "Complain for me to the Digital Services Coordinator (DSA Article 53)"
    ),
    "representative_action": gettext_lazy("Include me in a representative action in court"),
}


def _member(request: HttpRequest, org_slug: str) -> tuple[Any, Any]:
    organisation = public_organisation(org_slug)
    report = report_in_session(request, organisation)
    if report is None:
        return None, None
    member_id = request.POST.get("member", "")
    member = next((m for m in mandates.members_for_report(report) if str(m.pk) == member_id), None)
    if member is None:
        raise Http404
    return report, member


@never_cache
@require_POST
def give(request: HttpRequest, org_slug: str) -> HttpResponse:
    report, member = _member(request, org_slug)
    if report is None:
        return redirect("report_followup", org_slug)
    remedies = [r for r in request.POST.getlist("remedies") if r in REMEDIES]
    try:
        mandates.give_by_followup(
            report,
            member,
            remedies=remedies,
            disclose_name=request.POST.get("disclose_name") == "yes",
            language=translation.get_language() or report.language,
        )
        request.session[NOTICE] = _("Your mandate was saved. You can revoke it here at any time.")
    except ValidationError:
        request.session[NOTICE] = _("Choose at least one thing we may do for you.")
    except PermissionDenied:
        raise Http404 from None
    return redirect("report_status", org_slug)


@never_cache
@require_POST
def revoke(request: HttpRequest, org_slug: str) -> HttpResponse:
    report, member = _member(request, org_slug)
    if report is None:
        return redirect("report_followup", org_slug)
    mandate = mandates.current(member)
    if mandate is not None:
        mandates.revoke(mandate, via="follow_up_page")
    request.session[NOTICE] = _(
        "Your mandate was revoked. We will not act for you in this collective action any more."
    )
    return redirect("report_status", org_slug)
