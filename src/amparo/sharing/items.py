"""Shared items: proposing, reviewing, withdrawing, and receiving them from another server.

What each kind carries (``SharedItem.fields``), and nothing else:

* ``incident``: platform, incident type, country, ISO week, the at-risk group the caseworker
  chose; the account of what happened only when every report's reporter agreed to collective
  work (``consent_collective`` "yes") *and* the caseworker chose to share it, and then scrubbed
  of the reporters' names, contacts and own accounts by ``intake.disclosure`` whatever their
  identity consent. A case with a report whose reporter refused statistics is not shared.
* ``indicator``: platform, attacker accounts and URLs (in clear, or only as keyed hashes under
  the group's key), text fingerprints, the campaign's pattern, and optionally posts and
  enforcement actions for the group coordinator's campaign detection.
* ``collective_action``: a reference, a title and a description of an action looking for
  members.
* ``risk_period``: country, kind, first and last day, a short note.

An item is proposed by someone who works on cases and leaves its organisation only when a
coordinator or administrator other than the proposer approves it. Withdrawing removes it from
every recipient (the row stays, marked withdrawn, for the audit trail and for other servers).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.core import rls
from amparo.intake import disclosure
from amparo.intake.choices import Identity
from amparo.sharing import keys
from amparo.sharing.access import active_group_ids, visible_partner_ids
from amparo.sharing.models import Digest, Distribution, Kind, SharedItem, SharingGroup
from amparo.sharing.services import item_digests

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

MAX_VALUES = 500


def _check_distribution(
    organisation: Any,
    distribution: str,
    group: SharingGroup | None,
    partners: Iterable[Organisation],
) -> list[Organisation]:
    if distribution not in Distribution.values:
        raise ValidationError(_("Choose who may see it."))
    partners = list(partners)
    if distribution == Distribution.GROUP and (
        group is None or not active_group_ids(organisation).filter(group_id=group.pk).exists()
    ):
        raise ValidationError(_("Choose a sharing group your organisation is a member of."))
    if distribution == Distribution.PARTNERS:
        allowed = visible_partner_ids(organisation)
        if not partners or any(p.pk not in allowed for p in partners):
            raise ValidationError(_("Choose one or more partner organisations."))
    return partners


@transaction.atomic
def propose(
    organisation: Organisation,
    kind: str,
    fields: dict[str, Any],
    *,
    distribution: str,
    actor: Actor,
    group: SharingGroup | None = None,
    partners: Iterable[Organisation] = (),
    source: tuple[str, str] = ("", ""),
    private: dict[str, Any] | None = None,
) -> SharedItem:
    """Propose an item for review (the ``propose_*`` functions build ``fields``)."""
    require_capability(actor, organisation.pk, Capability.WRITE_CASES)
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of item."))
    chosen = _check_distribution(organisation, distribution, group, partners)
    now = timezone.now()
    item = SharedItem(
        organisation=organisation,
        kind=kind,
        distribution=distribution,
        group=group if distribution == Distribution.GROUP else None,
        fields=fields,
        source_type=source[0],
        source_id=source[1],
        proposed_by=actor,
        created_at=now,
        modified_at=now,
    )
    item.private = private
    item.save(force_insert=True)
    if distribution == Distribution.PARTNERS:
        item.partners.set(chosen)
    record(
        "sharing.item_proposed",
        actor=actor,
        obj=item,
        organisation=organisation,
        new={"kind": kind, "distribution": distribution},
    )
    return item


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def incident_fields(case: Any, *, at_risk_group: str, include_narrative: bool) -> dict[str, Any]:
    """The anonymised incident of ``case`` (see the module docstring)."""
    reports = [link.report for link in case.report_links.select_related("report")]
    if not reports or any(r.consent_statistics != "yes" for r in reports):
        raise ValidationError(
            _("A reporter of this case did not agree to be counted; it cannot be shared.")
        )
    if at_risk_group and at_risk_group not in Identity.values:
        raise ValidationError(_("Choose an at-risk group from the list."))
    day = reports[0].occurred_on or timezone.localdate(case.opened_at)
    fields: dict[str, Any] = {
        "platform": case.platform,
        "incident_type": case.incident_type,
        "country": case.country,
        "week": iso_week(day),
        "at_risk_group": at_risk_group,
    }
    if include_narrative:
        if any(r.consent_collective != "yes" for r in reports):
            raise ValidationError(
                _(
                    "A reporter did not agree to their case being used with others; share the "
                    "incident without the account of what happened."
                )
            )
        # Never the identity, whatever its consent: the rule without it, on every text.
        rule = disclosure.for_reports(reports).without_identity()
        fields["narrative"] = rule.clean("\n\n".join(r.narrative or "" for r in reports))[:4000]
    return fields


def propose_incident(
    case: Any,
    *,
    distribution: str,
    actor: Actor,
    at_risk_group: str = "",
    include_narrative: bool = False,
    group: SharingGroup | None = None,
    partners: Iterable[Organisation] = (),
) -> SharedItem:
    fields = incident_fields(case, at_risk_group=at_risk_group, include_narrative=include_narrative)
    return propose(
        case.organisation,
        Kind.INCIDENT,
        fields,
        distribution=distribution,
        actor=actor,
        group=group,
        partners=partners,
        source=("case", str(case.pk)),
    )


def _clean_list(values: Iterable[Any], limit: int = MAX_VALUES) -> list[str]:
    out: dict[str, None] = {}
    for value in values:
        text = str(value).strip()[:300]
        if text:
            out[text] = None
    if len(out) > limit:
        raise ValidationError(_("At most %(n)d values at once.") % {"n": limit})
    return list(out)


def propose_indicators(
    organisation: Organisation,
    *,
    platform: str,
    accounts: Iterable[str],
    urls: Iterable[str] = (),
    fingerprints: Iterable[str] = (),
    pattern: str = "",
    posts: list[dict[str, Any]] | None = None,
    actions: list[dict[str, Any]] | None = None,
    hashed_only: bool = False,
    distribution: str,
    actor: Actor,
    group: SharingGroup | None = None,
    partners: Iterable[Organisation] = (),
    source: tuple[str, str] = ("", ""),
) -> SharedItem:
    """Campaign indicators. ``hashed_only``: the accounts and URLs are not shown to the group,
    only matched as keyed hashes (a sharing group only)."""
    clean_accounts = _clean_list(accounts)
    clean_urls = _clean_list(urls)
    if not clean_accounts and not clean_urls:
        raise ValidationError(_("Give at least one attacker account or URL."))
    if hashed_only and distribution != Distribution.GROUP:
        raise ValidationError(_("Indicators shared only as hashes go to a sharing group."))
    fields: dict[str, Any] = {
        "platform": platform,
        "fingerprints": _clean_list(fingerprints),
        "pattern": pattern.strip()[:500],
        "posts": list(posts or [])[:5000],
        "actions": list(actions or [])[:5000],
    }
    private = None
    if hashed_only:
        private = {"accounts": clean_accounts, "urls": clean_urls}
        fields |= {
            "hashed": True,
            "accounts_count": len(clean_accounts),
            "urls_count": len(clean_urls),
        }
    else:
        fields |= {"accounts": clean_accounts, "urls": clean_urls}
    return propose(
        organisation,
        Kind.INDICATOR,
        fields,
        distribution=distribution,
        actor=actor,
        group=group,
        partners=partners,
        source=source,
        private=private,
    )


def propose_from_campaign(
    campaign: Any, *, distribution: str, actor: Actor, **kwargs: Any
) -> SharedItem:
    """Indicators of a detected campaign: its accounts, pattern (kind and signals) and the
    posts it found (account, time, text), for the group's own campaign detection."""
    detail = campaign.detail or {}
    posts = [
        {k: p.get(k) for k in ("id", "account", "timestamp", "text", "url") if p.get(k) is not None}
        for p in detail.get("items", [])
        if isinstance(p, dict) and p.get("account")
    ]
    return propose_indicators(
        campaign.organisation,
        platform=str(kwargs.pop("platform", "") or ""),
        accounts=detail.get("accounts", []),
        pattern=" ".join([campaign.kind, *map(str, campaign.signals)]),
        posts=posts,
        distribution=distribution,
        actor=actor,
        source=("campaign", str(campaign.pk)),
        **kwargs,
    )


def propose_collective_action(
    organisation: Organisation,
    *,
    reference: str,
    title: str,
    description: str,
    distribution: str,
    actor: Actor,
    group: SharingGroup | None = None,
    partners: Iterable[Organisation] = (),
) -> SharedItem:
    """A collective action looking for members: a reference (as the collective actions app
    names it), a title and a description. No dependency on that app."""
    if not title.strip():
        raise ValidationError(_("Give the action a title."))
    fields = {
        "reference": reference.strip()[:64],
        "title": title.strip()[:200],
        "description": description.strip()[:2000],
    }
    return propose(
        organisation,
        Kind.COLLECTIVE_ACTION,
        fields,
        distribution=distribution,
        actor=actor,
        group=group,
        partners=partners,
        source=("collective", reference.strip()[:64]),
    )


def propose_risk_period(
    period: Any,
    *,
    distribution: str,
    actor: Actor,
    group: SharingGroup | None = None,
    partners: Iterable[Organisation] = (),
) -> SharedItem:
    if period.organisation_id is None:
        raise PermissionDenied
    fields = {
        "country": period.country,
        "kind": period.kind,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "note": period.note,
    }
    return propose(
        period.organisation,
        Kind.RISK_PERIOD,
        fields,
        distribution=distribution,
        actor=actor,
        group=group,
        partners=partners,
        source=("risk_period", str(period.pk)),
    )


@transaction.atomic
def review(item: SharedItem, *, approve: bool, actor: Actor) -> SharedItem:
    """A coordinator or administrator of the item's organisation, not its proposer, approves
    it (it leaves the organisation) or not."""
    if item.organisation_id is None:
        raise PermissionDenied
    require_capability(actor, item.organisation_id, Capability.COORDINATE)
    if item.proposed_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("Someone other than the person who proposed it must review it."))
    status = SharedItem.Status.SHARED if approve else SharedItem.Status.REJECTED
    now = timezone.now()
    if not SharedItem.objects.filter(pk=item.pk, status=SharedItem.Status.PROPOSED).update(
        status=status, reviewed_by=actor, reviewed_at=now, modified_at=now
    ):
        raise ValidationError(_("This item was already reviewed."))
    item.refresh_from_db()
    if approve:
        _write_digests(item)
    record(
        "sharing.item_reviewed",
        actor=actor,
        obj=item,
        organisation=item.organisation_id,
        new={"status": status},
    )
    return item


def _write_digests(item: SharedItem) -> None:
    if item.kind != Kind.INDICATOR or item.group is None:
        return
    with rls.bypass():
        Digest.objects.filter(item=item).delete()
        Digest.objects.bulk_create(item_digests(item, item.group, keys.group_key(item.group)))


@transaction.atomic
def withdraw(item: SharedItem, *, actor: Actor) -> SharedItem:
    """Unshare: every recipient stops seeing the item at once, its hashes stop matching."""
    if item.organisation_id is None:
        raise PermissionDenied
    require_capability(actor, item.organisation_id, Capability.WRITE_CASES)
    now = timezone.now()
    if not SharedItem.objects.filter(pk=item.pk, withdrawn_at__isnull=True).update(
        status=SharedItem.Status.WITHDRAWN, withdrawn_by=actor, withdrawn_at=now, modified_at=now
    ):
        raise ValidationError(_("This item was already withdrawn."))
    item.refresh_from_db()
    with rls.bypass():
        Digest.objects.filter(item=item).delete()
    record("sharing.item_withdrawn", actor=actor, obj=item, organisation=item.organisation_id)
    return item


# -- received from another server ----------------------------------------------------------
#
# The hook point for federation (``engines.federation``, built separately): after verifying a
# partner server's signed message, it calls these with the item's ``to_exchange_dict()`` form.

_REMOTE_FIELDS = {
    Kind.INCIDENT: {"platform", "incident_type", "country", "week", "at_risk_group", "narrative"},
    Kind.INDICATOR: {
        "platform",
        "accounts",
        "urls",
        "fingerprints",
        "pattern",
        "posts",
        "actions",
        "hashed",
        "accounts_count",
        "urls_count",
    },
    Kind.COLLECTIVE_ACTION: {"reference", "title", "description"},
    Kind.RISK_PERIOD: {"country", "kind", "starts_on", "ends_on", "note"},
}


def _moment(value: Any) -> Any:
    moment = parse_datetime(str(value or ""))
    if moment is None:
        raise ValidationError(_("The item has no valid time."))
    if timezone.is_naive(moment):
        raise ValidationError(_("The item's times must carry a time zone."))
    return moment


@transaction.atomic
def receive_remote_item(group: SharingGroup, data: dict[str, Any], *, origin: str) -> SharedItem:
    """Create or update an item received from the server ``origin`` for ``group``. ``data``
    is what ``SharedItem.to_exchange_dict`` gives on the other side: ``kind``, ``id``,
    ``created``, ``modified`` (ISO 8601 with a time zone), ``distribution`` and ``fields``.
    Unknown fields are dropped; an older ``modified`` than the stored one changes nothing (a
    replayed message cannot roll an item back); a withdrawn item is never revived.

    The item is shown to the group's members like a local one, with the group as its origin
    ("a partner server"); it needs no review here (it was reviewed where it was made)."""
    origin = origin.strip()
    if not origin:
        raise ValidationError(_("A remote item needs its origin."))
    kind = str(data.get("kind") or "")
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of item."))
    remote_id = str(data.get("id") or "").strip()[:100]
    if not remote_id:
        raise ValidationError(_("The item has no id."))
    created, modified = _moment(data.get("created")), _moment(data.get("modified"))
    given = data.get("fields") or {}
    if not isinstance(given, dict):
        raise ValidationError(_("The item's fields must be an object."))
    fields = {k: v for k, v in given.items() if k in _REMOTE_FIELDS[Kind(kind)]}
    distribution = str(data.get("distribution") or Distribution.GROUP)
    if distribution not in (Distribution.GROUP, Distribution.NETWORK, Distribution.PUBLIC):
        distribution = Distribution.GROUP
    item = SharedItem.objects.select_for_update().filter(origin=origin, remote_id=remote_id).first()
    if item is not None:
        if item.withdrawn_at is not None or item.modified_at >= modified:
            return item
        item.kind, item.fields, item.modified_at = kind, fields, modified
        item.distribution, item.group = distribution, group
        item.save(update_fields=["kind", "fields", "modified_at", "distribution", "group"])
        action = "sharing.remote_item_updated"
    else:
        item = SharedItem.objects.create(
            organisation=None,
            origin=origin[:200],
            remote_id=remote_id,
            kind=kind,
            distribution=distribution,
            group=group,
            fields=fields,
            status=SharedItem.Status.SHARED,
            created_at=created,
            modified_at=modified,
        )
        action = "sharing.remote_item_received"
    record(action, obj=item, organisation=group.owner_id, new={"origin": origin[:200]})
    return item


@transaction.atomic
def withdraw_remote_item(group: SharingGroup, item_id: str, *, origin: str) -> bool:
    """The server ``origin`` unshared its item ``item_id``: hidden from every member here at
    once. Returns whether an item was withdrawn (False: unknown or already withdrawn)."""
    now = timezone.now()
    item = SharedItem.objects.filter(
        origin=origin.strip(), remote_id=str(item_id), group=group, withdrawn_at__isnull=True
    ).first()
    if item is None:
        return False
    SharedItem.objects.filter(pk=item.pk).update(
        status=SharedItem.Status.WITHDRAWN, withdrawn_at=now, modified_at=now
    )
    with rls.bypass():
        Digest.objects.filter(item=item).delete()
    record(
        "sharing.remote_item_withdrawn",
        obj=item,
        organisation=group.owner_id,
        new={"origin": origin[:200]},
    )
    return True
