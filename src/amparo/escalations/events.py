"""What every change to an escalation shares: who may make it, the guarded write that makes it,
and its two records (a row on the case's timeline and one audit event, codes only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.cases.services import record_event
from amparo.escalations import states
from amparo.escalations.models import Escalation

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def writer(case: Any, actor: Actor, capability: str = Capability.WRITE_CASES) -> None:
    require_capability(actor, case.organisation_id, capability)


def event(
    escalation: Escalation, kind: str, *, actor: Actor, old: Any = None, new: Any = None
) -> None:
    record_event(escalation.case, f"escalation_{kind}", actor=actor, old=old, new=new)
    record(
        f"escalation.{kind}",
        actor=actor,
        obj=escalation,
        organisation=escalation.organisation_id,
        old=old,
        new=new,
    )


def advance(escalation: Escalation, action: str, *, to: str | None = None, **changes: Any) -> None:
    """Take ``action`` on ``escalation`` as it was read: checked against the state machine,
    then written with one UPDATE conditional on the status and version read, which also takes
    the row's lock until the caller's transaction ends. When another change landed since the
    read, nothing is written and the action is refused. ``changes`` are plain columns."""
    target = to or escalation.status
    states.check(escalation.status, action, to)
    done = Escalation.objects.filter(
        pk=escalation.pk, status=escalation.status, version=escalation.version
    ).update(status=target, version=F("version") + 1, **changes)
    if not done:
        raise ValidationError(
            _("This escalation was changed a moment ago by someone else; open it again.")
        )
    escalation.status = target
    escalation.version += 1
    for name, value in changes.items():
        setattr(escalation, name, value)
