"""Pages of canned replies: the list and the form to write one (coordinators), one POST view
per action."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability, can
from amparo.intake import replies
from amparo.intake.models import CannedReply


class ReplyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title (seen by staff only)"), max_length=120)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    body = forms.CharField(
        label=gettext_lazy("Text sent to the reporter"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _reply(request: HttpRequest, org_slug: str, reply_id: str) -> CannedReply:
    membership = membership_for(request.user, org_slug, Capability.COORDINATE)
    try:
        return CannedReply.objects.get(pk=reply_id, organisation=membership.organisation)
    except (CannedReply.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


@login_required
def reply_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Everyone who writes to reporters reads the replies; coordinators also write them."""
    membership = membership_for(request.user, org_slug, Capability.WRITE_CASES)
    organisation = membership.organisation
    may_edit = can(membership.role, Capability.COORDINATE)
    editing = None
    if request.GET.get("edit") and may_edit:
        editing = _reply(request, org_slug, request.GET["edit"])
    initial = (
        {"title": editing.title, "language": editing.language, "body": editing.body}
        if editing
        else {"language": request.LANGUAGE_CODE}
    )
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if request.POST.get("reply"):
            editing = _reply(request, org_slug, request.POST["reply"])
        if form.is_valid():
            try:
                replies.save_reply(
                    organisation, actor=actor_of(request), reply=editing, **form.cleaned_data
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("intake_replies", org_slug)
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "intake/replies.html",
        {
            "organisation": organisation,
            "rows": [
                (r, names.get(r.language, r.language)) for r in replies.replies_for(organisation)
            ],
            "form": form,
            "editing": editing,
            "may_edit": may_edit,
        },
    )


@login_required
@require_POST
def reply_delete(request: HttpRequest, org_slug: str, reply_id: str) -> HttpResponse:
    reply = _reply(request, org_slug, reply_id)
    try:
        replies.delete_reply(reply, actor=actor_of(request))
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Deleted."))
    return redirect("intake_replies", org_slug)
