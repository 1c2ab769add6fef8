"""The intake HTTP API (django-ninja): typed, with its OpenAPI schema at /api/v1/openapi.json.

Authentication: ``Authorization: Bearer amp_...`` with a token scoped to one organisation.
Retries are safe: send an ``Idempotency-Key`` header and a repeated request returns the first
result instead of creating a duplicate.

Each token may make a limited number of requests per minute (``AMPARO_API_LIMIT_PER_MINUTE``,
120 by default); more are answered ``429`` with a ``Retry-After`` header in seconds.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.db import IntegrityError
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import BaseModel, StrictBool, field_validator

from amparo.core.platforms import platform_choices
from amparo.intake import ratelimit, services, tokens
from amparo.intake.choices import RISK_FLAGS, Channel, ContactMethod, Identity, IncidentType
from amparo.intake.forms import ReportForm
from amparo.intake.models import ApiToken, IdempotencyKey, Report


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.authenticate(token)
        if found is not None:
            ratelimit.check(found.pk)  # counted per token, in the shared cache
            from amparo.core import rls

            rls.set_scope(found.organisation_id)  # row-level security: the token's organisation
        return found


api = NinjaAPI(
    title="Amparo API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    docs_url=None,  # the schema is served; interactive docs would load scripts we do not ship
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)

#: The 429 answer, with its Retry-After header, in the schema of every limited operation.
RATE_LIMITED_DOC: dict[str, Any] = {
    "responses": {
        429: {  # an int, as ninja keys its responses
            "description": "Too many requests with this token; retry after the given delay.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before the next request.",
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
        }
    }
}


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> Any:
    """A request the schema refuses gets the same body as any other error (:class:`ErrorOut`):
    ``errors`` maps each field's dotted location (``narrative``, ``reporter.contact_method``)
    to its messages."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        if location[:2] == ["body", "body"]:
            location = location[2:]
        elif location[:1] in (["body"], ["path"], ["query"]):
            location = location[1:]
        errors.setdefault(".".join(location) or "body", []).append(str(error.get("msg", "")))
    return api.create_response(
        request, {"detail": "the request is not valid", "errors": errors}, status=422
    )


@api.exception_handler(ratelimit.RateLimited)
def rate_limited(request: HttpRequest, exc: ratelimit.RateLimited) -> Any:
    response = api.create_response(
        request,
        {"detail": "too many requests with this token; retry later", "errors": {}},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


IncidentCode = Literal[tuple(IncidentType.values)]  # type: ignore[valid-type]
IdentityCode = Literal[tuple(Identity.values)]  # type: ignore[valid-type]
ContactCode = Literal[tuple(ContactMethod.values)]  # type: ignore[valid-type]
# Not an enum: an unknown slug is refused by the form's rules (422) after the idempotency check.
_PLATFORM_EXAMPLE = platform_choices()[0][0]


class ReporterIn(BaseModel):  # strict: ninja's Schema would read any object
    name: str = ""
    contact_method: ContactCode | None = None  # type: ignore[valid-type]
    contact_value: str = ""
    contact_safety: str = Field(
        default="", description="Anything to avoid when contacting the person."
    )


class ConsentIn(BaseModel):  # strict: ninja's Schema would read any object
    contact: Literal["yes", "no"] = "no"
    share_identity: Literal["yes", "no", "ask"] = "no"
    collective: Literal["yes", "no", "ask"] = "ask"
    statistics: Literal["yes", "no"] = "yes"


class ReportIn(Schema):
    incident_type: IncidentCode  # type: ignore[valid-type]
    platform: str = Field(
        ...,
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="A platform slug from GET /platforms.",
        examples=[_PLATFORM_EXAMPLE],
    )
    narrative: str = Field(
        ...,
        min_length=1,
        max_length=20_000,
        # Some text besides spaces, and no NUL character (the form refuses both).
        pattern=r"^[^\x00]*[^\s\x00][^\x00]*$",
        description="What happened, in the reporter's words (not only spaces).",
    )
    language: str = Field("en", description="The language the report is written in (ISO 639-1).")
    occurred_on: date | None = None
    country: str = Field("", description="ISO 3166-1 alpha-2 code of where the person is.")
    affected: list[str] = []
    attackers: list[str] = []
    links: list[str] = []
    platform_notice: str = ""
    danger_now: StrictBool = False
    home_address_exposed: StrictBool = False
    minor_involved: StrictBool = False
    arrest_risk: StrictBool = False
    under_attack_now: StrictBool = False
    reporter: ReporterIn = ReporterIn()
    consent: ConsentIn = ConsentIn()
    gender: str = ""
    identities: list[IdentityCode] = []  # type: ignore[valid-type]

    @field_validator("occurred_on", mode="before")
    @classmethod
    def _a_date_string(cls, value: Any) -> Any:
        # Pydantic would also read a number as seconds since 1970; the schema says a date.
        if value is not None and not isinstance(value, str | date):
            raise ValueError("a date as YYYY-MM-DD")
        return value


class ReportOut(Schema):
    id: UUID
    reference: str
    status: str
    urgency: str
    followup_code: str | None = Field(
        None, description="Shown only in the response that created the report."
    )
    replayed: bool = False


class StatusOut(Schema):
    id: UUID
    reference: str
    status: str
    urgency: str


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class PlatformOut(Schema):
    slug: str
    name: str


def _form_data(body: ReportIn) -> dict[str, Any]:
    return {
        "incident_type": body.incident_type,
        "platform": body.platform,
        "narrative": body.narrative,
        "occurred_on": body.occurred_on.isoformat() if body.occurred_on else "",
        "country": body.country,
        "affected": "\n".join(body.affected),
        "attackers": "\n".join(body.attackers),
        "links": "\n".join(body.links),
        "platform_notice": body.platform_notice,
        "reporter_name": body.reporter.name,
        "consent_contact": body.consent.contact,
        "contact_method": body.reporter.contact_method or "",
        "contact_value": body.reporter.contact_value,
        "contact_safety": body.reporter.contact_safety,
        "consent_share_identity": body.consent.share_identity,
        "consent_collective": body.consent.collective,
        "consent_statistics": body.consent.statistics,
        "gender": body.gender,
        "identities": list(body.identities),
        **{flag: "on" for flag in RISK_FLAGS if getattr(body, flag)},
    }


def _out(report: Report, code: str | None, replayed: bool = False) -> ReportOut:
    return ReportOut(
        id=report.pk,
        reference=report.reference,
        status=report.status,
        urgency=report.urgency_level,
        followup_code=code,
        replayed=replayed,
    )


@api.post(
    "/reports",
    response={
        201: ReportOut,
        200: ReportOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Submit a report",
    tags=["reports"],
    openapi_extra=RATE_LIMITED_DOC,
)
def submit(request: HttpRequest, body: ReportIn) -> Status[Any]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if ApiToken.Scope.SUBMIT not in token.scopes:
        return Status(403, ErrorOut(detail="this token may not submit reports"))
    organisation = token.organisation
    key = request.headers.get("Idempotency-Key", "").strip()[:200]
    digest = hashlib.sha256(
        json.dumps(body.dict(), sort_keys=True, default=str).encode()
    ).hexdigest()
    if key:
        # Usually not there: the report is read only for a replay.
        existing = IdempotencyKey.objects.filter(organisation=organisation, key=key).first()
        if existing is not None:
            return _replay(existing, digest)
    form = ReportForm(_form_data(body))
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return Status(422, ErrorOut(detail="the report is not valid", errors=errors))
    language = body.language if body.language.isalpha() and len(body.language) <= 8 else "en"
    # Hashing, language detection, urgency and indicators first, without a lock; then one
    # short transaction that writes the idempotency key with the report.
    prepared = services.prepare_report(
        organisation, form.report_fields(), channel=Channel.API, language=language
    )
    try:
        submission = services.store_report(prepared, idempotency_key=key, request_digest=digest)
    except IntegrityError:
        # The same key was stored meanwhile by a simultaneous request (it waited for it).
        existing = (
            IdempotencyKey.objects.filter(organisation=organisation, key=key).first()
            if key
            else None
        )
        if existing is None:
            raise
        return _replay(existing, digest)
    return Status(201, _out(submission.report, submission.followup_code))


def _replay(existing: IdempotencyKey, digest: str) -> Status[Any]:
    if existing.request_digest != digest:
        return Status(
            409, ErrorOut(detail="this Idempotency-Key was already used for a different request")
        )
    if existing.report is None:
        return Status(
            409,
            ErrorOut(
                detail="the first request with this Idempotency-Key is still being processed; retry"
            ),
        )
    return Status(200, _out(existing.report, None, replayed=True))


@api.get(
    "/reports/{report_id}",
    response={200: StatusOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Status of a report",
    tags=["reports"],
    openapi_extra=RATE_LIMITED_DOC,
)
def report_status(request: HttpRequest, report_id: UUID) -> Status[Any]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    report = Report.objects.filter(
        pk=report_id, organisation=token.organisation, channel=Channel.API, erased_at__isnull=True
    ).first()
    if report is None or ApiToken.Scope.READ_STATUS not in token.scopes:
        return Status(404, ErrorOut(detail="not found"))
    return Status(
        200,
        StatusOut(
            id=report.pk,
            reference=report.reference,
            status=report.status,
            urgency=report.urgency_level,
        ),
    )


@api.get(
    "/platforms",
    response=list[PlatformOut],
    summary="Platforms a report may name",
    tags=["reference"],
    auth=None,
)
def platforms(request: HttpRequest) -> list[dict[str, str]]:
    from amparo.core.platforms import platforms as all_platforms

    return [{"slug": p["slug"], "name": p["name"]} for p in all_platforms()]


api.add_router("/exports", "amparo.exports.api.router")  # last: it imports this module
