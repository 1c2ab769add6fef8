"""The public list of an organisation's signing keys, for whoever verifies its dossiers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from amparo.accounts.models import Organisation
from amparo.keyring.signing import published_keys


@require_safe
def signing_keys(request: HttpRequest, org_slug: str) -> JsonResponse:
    """``/.well-known/amparo/<slug>/signing-keys.json``: every key, live and retired (public
    parts only), so a dossier signed before a rotation still verifies. Open to everyone: a
    public key is public, and the list says nothing about cases or people."""
    organisation = Organisation.objects.filter(slug=org_slug).first()
    if organisation is None:
        raise Http404("no such organisation")
    response = JsonResponse(published_keys(organisation), safe=False)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
