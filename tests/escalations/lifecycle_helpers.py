"""Cases and escalations for the lifecycle tests, made through the real services."""

from __future__ import annotations

from typing import Any

from amparo.escalations import register, services, transports
from tests.escalations.test_escalations import case_with


def manual_channel(case: Any, *, personal: bool = False) -> Any:
    """A channel reached by filling in a form by hand (optionally one that takes identity)."""
    for chan in register.channels_for_case(case):
        carries = {f.value for f in chan.may_carry}
        if transports.choose(chan) != "manual":
            continue
        if personal and "affected_user_identity" not in carries:
            continue
        return chan
    raise AssertionError("no manual channel for this case")


def email_channel(case: Any) -> Any:
    return next(c for c in register.channels_for_case(case) if transports.choose(c) == "email")


def manual_escalation(people: Any, *, case: Any = None, **case_kwargs: Any) -> Any:
    case = case or case_with(people, **case_kwargs)
    return services.create(case, manual_channel(case).code, actor=people.carlos)


def email_escalation(people: Any, *, case: Any = None) -> Any:
    case = case or case_with(people, platform="telegram")
    return services.create(case, email_channel(case).code, actor=people.carlos)


def personal_escalation(people: Any, *, case: Any = None) -> Any:
    """A package that names the reporter (consent "yes"): it waits for a second person."""
    case = case or case_with(people, consent="yes")
    chan = manual_channel(case, personal=True)
    return services.create(case, chan.code, actor=people.carlos, disclose_identity=True)


def sent(people: Any, escalation: Any, reference: str = "REF-1") -> Any:
    services.send(escalation, actor=people.carlos, external_reference=reference)
    return escalation
