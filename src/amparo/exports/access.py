"""Who may export what: a dataset is open to a member whose role grants its capability, in
their own organisation, and to an API token of that organisation with the dataset's scope
whose creator still holds the capability. Anything else is a 404 (an unknown dataset too), so
an outsider cannot learn which datasets exist for whom."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from amparo.accounts.access import memberships_for, require_capability
from amparo.accounts.models import Membership
from amparo.accounts.roles import can
from amparo.exports import registry
from amparo.exports.registry import Dataset

SCOPE_PREFIX = "exports:"


def scope_for(dataset: Dataset | str) -> str:
    """The API token scope that lets a token export ``dataset`` (``exports:<name>``)."""
    return SCOPE_PREFIX + (dataset if isinstance(dataset, str) else dataset.name)


def _membership(user: Any, org_slug: str) -> Membership:
    for membership in memberships_for(user):
        if membership.organisation.slug == org_slug:
            return membership
    raise Http404


def datasets_for(user: Any, org_slug: str) -> tuple[Membership, list[Dataset]]:
    """The user's membership of the organisation and the datasets their role may export;
    404 when they are not a member or may export none."""
    membership = _membership(user, org_slug)
    allowed = [d for d in registry.all_datasets() if can(membership.role, d.capability)]
    if not allowed:
        raise Http404
    return membership, allowed


def dataset_for(user: Any, org_slug: str, name: str) -> tuple[Membership, Dataset]:
    """One dataset the user may export from the organisation, else 404."""
    membership = _membership(user, org_slug)
    dataset = registry.get(name)
    if dataset is None or not can(membership.role, dataset.capability):
        raise Http404
    return membership, dataset


def may_export_anything(membership: Membership | None) -> bool:
    """For the navigation: whether the exports page would open for this membership."""
    if membership is None:
        return False
    return any(can(membership.role, d.capability) for d in registry.all_datasets())


def _token_may(token: Any, dataset: Dataset) -> bool:
    if scope_for(dataset) not in (token.scopes or []):
        return False
    try:
        # The person who created the token must still hold the capability (read now, not
        # cached): demoting or removing them closes what their tokens could export.
        require_capability(token.created_by, token.organisation_id, dataset.capability)
    except PermissionDenied:
        return False
    return True


def datasets_for_token(token: Any) -> list[Dataset]:
    return [d for d in registry.all_datasets() if _token_may(token, d)]


def dataset_for_token(token: Any, name: str) -> Dataset | None:
    """The dataset if the token may export it, else None (the API answers 404)."""
    dataset = registry.get(name)
    if dataset is None or not _token_may(token, dataset):
        return None
    return dataset
