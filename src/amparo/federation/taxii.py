"""A read-only TAXII 2.1 server: each partner's threat-intelligence tools (OpenCTI, MISP's
TAXII client, ...) read the indicators of the sharing groups linked with that partner.

Endpoints (TAXII 2.1, OASIS Committee Specification 01, §4 Discovery and §5 Collections):
``/taxii2/`` (discovery), ``/taxii2/api/`` (the one API root), ``collections/``,
``collections/<id>/``, ``collections/<id>/objects/`` (with ``added_after``, ``limit``,
``next``, ``match[type]``) and ``collections/<id>/manifest/``. Writing (POST objects) and the
status endpoint are not offered: every collection has ``can_write`` false.

Authentication: the partner's TAXII token (``amparo federation partner taxii-token``), sent as
``Authorization: Bearer <token>`` or as the password of HTTP Basic (any user name). Without a
valid token: 401; a collection that is not the partner's: 404.

A collection is one linked sharing group; its objects are the STIX form
(``engines.exchange.stix``) of the group's own items that are shared and not withdrawn
(indicators and incidents), the sharing organisation named only when the group shows its
members.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from amparo.engines.exchange.items import Item, ItemError, format_time, parse_time
from amparo.engines.exchange.stix import to_bundle
from amparo.federation.models import Link, Partner
from amparo.federation.services import partner_for_taxii_token
from amparo.sharing.models import Distribution, SharedItem

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
MAX_PAGE = 500


def _response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, sort_keys=True), status=status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(status: int, title: str) -> HttpResponse:
    headers = {"WWW-Authenticate": 'Basic realm="TAXII", Bearer'} if status == 401 else None
    return _response({"title": title, "http_status": str(status)}, status, headers)


def _token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def _acceptable(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    if not accept:
        return True
    return any(
        part.split(";")[0].strip() in ("*/*", "application/*", "application/taxii+json")
        for part in accept.split(",")
    )


def _guard(request: HttpRequest) -> tuple[Partner | None, HttpResponse | None]:
    partner = partner_for_taxii_token(_token(request))
    if partner is None:
        return None, _error(401, "Authentication required")
    if not _acceptable(request):
        return None, _error(406, "The media type must be application/taxii+json;version=2.1")
    return partner, None


def _collection(link: Link) -> dict[str, Any]:
    return {
        "id": str(link.group_id),
        "title": link.group.name,
        "description": "Indicators shared by members of this sharing group",
        "can_read": True,
        "can_write": False,
        "media_types": [STIX_MEDIA_TYPE],
    }


def _link(partner: Partner, collection_id: str) -> Link | None:
    try:
        group_id = uuid.UUID(collection_id)
    except ValueError:
        return None
    return Link.objects.select_related("group").filter(partner=partner, group_id=group_id).first()


@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    _partner, refused = _guard(request)
    if refused:
        return refused
    root = request.build_absolute_uri(reverse("taxii_api_root"))
    return _response(
        {
            "title": "Amparo",
            "description": "Indicators shared by sharing groups on this Amparo server",
            "default": root,
            "api_roots": [root],
        }
    )


@require_GET
def api_root(request: HttpRequest) -> HttpResponse:
    _partner, refused = _guard(request)
    if refused:
        return refused
    return _response(
        {
            "title": "Amparo sharing groups",
            "versions": [MEDIA_TYPE],
            "max_content_length": 10 * 1024 * 1024,
        }
    )


@require_GET
def collections(request: HttpRequest) -> HttpResponse:
    partner, refused = _guard(request)
    if refused:
        return refused
    links = Link.objects.select_related("group").filter(partner=partner).order_by("group__name")
    found = [_collection(link) for link in links]
    return _response({"collections": found} if found else {})


@require_GET
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    partner, refused = _guard(request)
    if refused:
        return refused
    assert partner is not None
    link = _link(partner, collection_id)
    if link is None:
        return _error(404, "No such collection")
    return _response(_collection(link))


def _objects(link: Link, request: HttpRequest) -> tuple[list[dict[str, Any]], bool, str | None]:
    """The collection's STIX objects (after ``added_after`` / ``next``), oldest first, each
    with its date added (the item's last change); whether more remain; the ``next`` value."""
    rows = SharedItem.objects.filter(
        group=link.group,
        origin="",
        distribution=Distribution.GROUP,
        status=SharedItem.Status.SHARED,
        withdrawn_at__isnull=True,
    ).order_by("modified_at", "pk")
    after = request.GET.get("next") or request.GET.get("added_after")
    if after:  # a bad value raises ItemError: 400
        rows = rows.filter(modified_at__gt=parse_time(after, "added_after"))
    try:
        limit = max(1, min(int(request.GET.get("limit", MAX_PAGE)), MAX_PAGE))
    except ValueError:
        limit = MAX_PAGE
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    sender = None
    if not link.group.hide_members:
        owner = link.group.owner
        sender = {"id": str(owner.pk), "name": owner.name}
    types = {t for t in request.GET.get("match[type]", "").split(",") if t}
    objects: list[dict[str, Any]] = []
    for row in page:
        try:
            item = Item.from_dict(row.to_exchange_dict())
        except ItemError:
            continue
        if sender is not None and row.organisation is not None:
            sender = {"id": str(row.organisation_id), "name": row.organisation.name}
        bundle = json.loads(to_bundle([item], group_name=link.group.name, sender=sender))
        added = format_time(row.modified_at)
        for obj in bundle.get("objects", []):
            if types and obj.get("type") not in types:
                continue
            objects.append({**obj, "_added": added})
    unique: dict[str, dict[str, Any]] = {}
    for obj in objects:
        unique[obj["id"]] = obj
    next_value = format_time(page[-1].modified_at) if more and page else None
    return list(unique.values()), more, next_value


def _dates(objects: list[dict[str, Any]]) -> dict[str, str]:
    if not objects:
        return {}
    added = sorted(obj["_added"] for obj in objects)
    return {"X-TAXII-Date-Added-First": added[0], "X-TAXII-Date-Added-Last": added[-1]}


@require_GET
def objects(request: HttpRequest, collection_id: str) -> HttpResponse:
    partner, refused = _guard(request)
    if refused:
        return refused
    assert partner is not None
    link = _link(partner, collection_id)
    if link is None:
        return _error(404, "No such collection")
    try:
        found, more, next_value = _objects(link, request)
    except ItemError:
        return _error(400, "added_after and next must be timestamps")
    envelope: dict[str, Any] = {"more": more}
    if found:
        envelope["objects"] = [{k: v for k, v in o.items() if k != "_added"} for o in found]
    if next_value:
        envelope["next"] = next_value
    return _response(envelope, headers=_dates(found))


@require_GET
def manifest(request: HttpRequest, collection_id: str) -> HttpResponse:
    partner, refused = _guard(request)
    if refused:
        return refused
    assert partner is not None
    link = _link(partner, collection_id)
    if link is None:
        return _error(404, "No such collection")
    try:
        found, more, next_value = _objects(link, request)
    except ItemError:
        return _error(400, "added_after and next must be timestamps")
    body: dict[str, Any] = {"more": more}
    if found:
        body["objects"] = [
            {
                "id": obj["id"],
                "date_added": obj["_added"],
                "version": obj.get("modified", obj.get("created", obj["_added"])),
                "media_type": STIX_MEDIA_TYPE,
            }
            for obj in found
        ]
    if next_value:
        body["next"] = next_value
    return _response(body, headers=_dates(found))
