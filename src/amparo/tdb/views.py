"""The Transparency Database pages: thin views over :mod:`amparo.tdb.pages`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from amparo.tdb.access import tdb_membership

if TYPE_CHECKING:
    from amparo.tdb import pages


def _pages() -> Any:
    """The pages' module, imported when a page is asked for: it loads PyArrow and DuckDB, which
    a web process that serves no Transparency Database page never needs."""
    from amparo.tdb import pages

    return pages


def _file(download: pages.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def section(request: HttpRequest, org_slug: str, name: str) -> HttpResponse:
    membership = tdb_membership(request.user, org_slug)
    pages = _pages()
    built = pages.build(name, request.GET)
    if isinstance(built, pages.Download):
        return _file(built)
    built["organisation"] = membership.organisation
    return render(request, f"tdb/{name}.html", built)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def match(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = tdb_membership(request.user, org_slug)
    from amparo.tdb.forms import MatchForm

    pages = _pages()
    facts = pages.store_facts()
    form = MatchForm(request.POST or None, request.FILES or None, platforms=facts["platforms"])
    context = {"organisation": membership.organisation, "section": "match", "form": form,
               "no_store": facts["no_store"], "summary": facts.get("summary")}  # fmt: skip
    if request.method == "POST" and not facts["no_store"] and form.is_valid():
        data = form.cleaned_data["file"].read()
        matches, error = pages.match(data, form.cleaned_data.get("platform") or None)
        output = form.cleaned_data.get("output") or "page"
        if error:
            form.add_error("file", error)
        elif output in pages.FORMATS:
            return _file(pages.match_download(matches, output))
        else:
            rows = pages.match_rows(matches)
            context.update(
                matched=True,
                matches=rows,
                found=sum(1 for r in rows if r["status"] == "found"),
                lines=len(rows),
            )
    return render(request, "tdb/match.html", context)
