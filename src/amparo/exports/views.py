"""The exports page of an organisation, the download, and export tokens for the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from amparo.accounts.access import actor_of
from amparo.accounts.roles import Capability, can
from amparo.exports import access, registry, services
from amparo.exports.forms import FORMAT_CHOICES, ExportForm, ExportTokenForm
from amparo.intake.models import ApiToken


def file_response(result: services.Export) -> HttpResponseBase:
    """The export as a download: streamed for CSV and JSON, from its file for XLSX."""
    response: HttpResponseBase
    if result.streamed:
        response = StreamingHttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    else:
        response = FileResponse(
            result.content,
            as_attachment=True,
            filename=result.filename,
            content_type=result.content_type,
        )
    response["X-Export-Rows"] = str(result.rows)
    return response


def _page(
    request: HttpRequest, org_slug: str, *, form: ExportForm | None = None, status: int = 200
) -> HttpResponse:
    membership, datasets = access.datasets_for(request.user, org_slug)
    return render(
        request,
        "exports/exports.html",
        {
            "organisation": membership.organisation,
            "datasets": datasets,
            "form": form or ExportForm(datasets=datasets),
            "formats": FORMAT_CHOICES,
            "may_make_tokens": can(membership.role, Capability.MANAGE_MEMBERS),
        },
        status=status,
    )


@login_required
@require_safe
def exports(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The datasets this person may export, each with its columns, and the export form."""
    return _page(request, org_slug)


@login_required
@require_safe
def download(request: HttpRequest, org_slug: str) -> HttpResponseBase:
    """A GET form (so a download is a link): checked, audited, then sent."""
    membership, datasets = access.datasets_for(request.user, org_slug)
    form = ExportForm(request.GET or None, datasets=datasets)
    if not form.is_valid():
        return _page(request, org_slug, form=form, status=400)
    _membership, dataset = access.dataset_for(request.user, org_slug, form.chosen_dataset().name)
    result = services.export(
        dataset,
        form.query(membership.organisation),
        fmt=form.cleaned_data["format"],
        bom=form.cleaned_data["bom"],
        actor=actor_of(request),
    )
    return file_response(result)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_tokens(request: HttpRequest, org_slug: str) -> HttpResponse:
    """An administrator's page of the API tokens that may export, and the form to create one
    for the datasets they choose (among those their own role may export)."""
    membership, datasets = access.datasets_for(request.user, org_slug)
    if not can(membership.role, Capability.MANAGE_MEMBERS):
        raise Http404
    organisation = membership.organisation
    form = ExportTokenForm(request.POST or None, datasets=datasets)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, new_secret = services.create_export_token(
                organisation,
                name=form.cleaned_data["name"],
                datasets=form.chosen(),
                actor=actor_of(request),
            )
            form = ExportTokenForm(datasets=datasets)
        else:
            status = 400
    titles = {access.scope_for(d): d.title for d in registry.all_datasets()}
    tokens = [
        (token, [titles[s] for s in token.scopes if s in titles])
        for token in ApiToken.objects.filter(organisation=organisation)
        if any(str(s).startswith(access.SCOPE_PREFIX) for s in token.scopes)
    ]
    return render(
        request,
        "exports/tokens.html",
        {"organisation": organisation, "form": form, "new_secret": new_secret, "tokens": tokens},
        status=status,
    )
