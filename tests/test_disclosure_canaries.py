"""Canaries through the real services: a value planted in every identity field of the reports,
and typed by the reporter and the caseworker into every free text, appears in nothing that
leaves — escalation package, referral, remedy document — unless the reporter's consent allows
it; the content's ids and links always do (amparo.intake.disclosure)."""

from __future__ import annotations

import json
import re
import secrets
import string
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.cases.referrals import refer
from amparo.cases.services import open_case
from amparo.escalations import register
from amparo.escalations import services as escalations
from amparo.intake.disclosure import fold
from amparo.intake.forms import ReportForm
from amparo.intake.models import Report
from amparo.intake.services import submit_report
from amparo.remedies import services as remedies
from tests.intake.conftest import valid_report

CONTENT_ID = "3219876543210"
POST_ID = "1789234567890123456"
SOR_REF = "SOR-2024-000123456789"
CONTENT_URL = f"https://www.facebook.com/noticias.libres/posts/{CONTENT_ID}"
KEEP = (CONTENT_ID, POST_ID, SOR_REF, CONTENT_URL)


def _word() -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


def _group() -> str:
    while True:
        digits = "".join(secrets.choice("23456789") for _ in range(4))
        if not any(digits in kept for kept in KEEP):
            return digits


@dataclass
class Canaries:
    """One random word per identity field, so a leak names the field it came from."""

    given: str
    family: str
    other: str
    groups: tuple[str, str]
    mailbox: str
    handle: str
    page: str
    gender: str
    safety: str

    @classmethod
    def new(cls) -> Canaries:
        return cls(*(_word() for _ in range(3)), (_group(), _group()), *(_word() for _ in range(5)))  # type: ignore[arg-type]

    @property
    def name(self) -> str:  # with accents, as the reporter typed it
        return f"Élo{self.given} Núñez{self.family}"

    @property
    def phone(self) -> str:
        return f"+52 55 {self.groups[0]} {self.groups[1]}"

    @property
    def national(self) -> str:
        return f"55{self.groups[0]}{self.groups[1]}"

    @property
    def email(self) -> str:
        return f"{self.mailbox}.box@example.org"

    def typed(self) -> str:
        """What a reporter or a caseworker writes: every identity value in another form."""
        g0, g1 = self.groups
        return (
            f"Elo{self.given} (NUNEZ{self.family.upper()}) called from 55-{g0}-{g1} and "
            f"{self.national}, also +52 (55) {g0}.{g1}; write to {self.mailbox}.box or "
            f"{self.email}; her page @acct_{self.handle} and "
            f"https://www.facebook.com/page.{self.page}; Or{self.other} helped. "
            f"Content ID: {CONTENT_ID}, post {POST_ID}, see {CONTENT_URL} "
            f"(statement of reasons reference: {SOR_REF})."
        )

    def identity(self) -> dict[str, str]:
        """Every canary that identifies a reporter, by what it is."""
        return {
            "name": self.given,
            "family name": self.family,
            "second reporter": self.other,
            "e-mail": self.mailbox,
            "affected handle": self.handle,
            "affected page": self.page,
        }

    def never(self) -> dict[str, str]:
        """Never sent as a field, and not typed anywhere."""
        return {"self-description": self.gender}


def _report(org: Any, c: Canaries, consent: str, second: bool) -> Report:
    data = valid_report(
        platform="facebook",
        country="DE",
        consent_share_identity=consent,
        narrative=c.typed(),
        platform_notice=f"Dear Élo{c.given}, your post {POST_ID} was removed. "
        f"Statement of reasons reference: {SOR_REF}.",
        links=CONTENT_URL,
        affected=f"https://www.facebook.com/page.{c.page}" if second else f"@acct_{c.handle}",
        reporter_name=f"Or{c.other} Ybarra" if second else c.name,
        contact_method="email" if second else "signal",
        contact_value=c.email if second else c.phone,
        contact_safety=f"only after 6 pm {c.safety}",
        gender=f"gender {c.gender}",
    )
    form = ReportForm(data)
    assert form.is_valid(), form.errors
    return submit_report(
        org, form.report_fields(), channel="web_form", language="en", with_followup=False
    ).report


def _case(people: Any, c: Canaries, consent: str) -> Any:
    reports = [_report(people.org, c, consent, second) for second in (False, True)]
    return open_case(people.org, reports=reports, title="canary case", actor=people.carlos)


def _assert_clean(text: str, c: Canaries, *, identity_allowed: bool, where: str) -> None:
    """Nothing of the reporter in ``text`` (all that left) unless the identity may leave; the
    self-description never."""
    folded = fold(text)
    for kind, canary in c.never().items():
        assert canary not in folded, f"{kind} leaked in {where}"
    if identity_allowed:
        return
    _assert_no_contact(text, c, where)
    assert c.safety not in folded, f"contact safety leaked in {where}"
    for kind, canary in c.identity().items():
        assert canary not in folded, f"{kind} leaked in {where}"


def _assert_no_contact(text: str, c: Canaries, where: str) -> None:
    """A free text never carries a contact, whatever the consent (contacts leave only in their
    own field)."""
    assert c.national not in re.sub(r"\D", "", text), f"phone leaked in {where}"
    assert all(g not in text for g in c.groups), f"part of the phone leaked in {where}"
    assert c.mailbox not in fold(text), f"e-mail leaked in {where}"


def _assert_free_text(text: str, c: Canaries, *, identity_allowed: bool, where: str) -> None:
    _assert_no_contact(text, c, where)
    _assert_clean(text, c, identity_allowed=identity_allowed, where=where)


def _assert_kept(text: str, where: str) -> None:
    for kept in KEEP:
        assert kept in text, f"{kept} lost in {where}"


def _free_text(package: dict[str, Any]) -> str:
    identity = {"affected_user_identity", "affected_user_contact", "account_handle", "mandate"}
    return json.dumps({k: v for k, v in package.items() if k not in identity}, ensure_ascii=False)


SCENARIOS = [  # consent, the caseworker confirmed they asked, identity may leave
    ("no", False, False),
    ("ask", False, False),
    ("ask", True, True),
    ("yes", False, True),
]


@pytest.mark.parametrize(("consent", "asked", "allowed"), SCENARIOS)
def test_canaries_leave_only_as_consent_allows(people, consent, asked, allowed):
    c = Canaries.new()
    case = _case(people, c, consent)
    typed = c.typed()  # the caseworker types every identity value too

    # The Art 16 notice fields the caseworker types on the escalate page.
    notice = {
        "explanation": typed,
        "legal_ground": typed,
        "requested_action": typed,
        "decision_reference": f"{SOR_REF} (ask {c.phone})",
    }

    # Escalation packages: every channel's preview; one package created and stored.
    channels = register.channels_for_case(case)
    assert channels
    for chan in channels:
        _chan, package = escalations.preview(
            case, chan.code, disclose_identity=True, notice=notice, asked_and_confirmed=asked
        )
        everything = json.dumps(package.fields, ensure_ascii=False)
        _assert_clean(everything, c, identity_allowed=allowed, where=f"preview {chan.code}")
        _assert_free_text(_free_text(package.fields), c, identity_allowed=allowed, where=chan.code)
        if "explanation" in package.fields:
            _assert_kept(package.fields["explanation"], f"explanation to {chan.code}")
        if "content_urls" in package.fields:
            assert package.fields["content_urls"] == [CONTENT_URL]
    identity_channel = next(
        c for c in channels if "affected_user_identity" in {f.value for f in c.may_carry}
    )
    if consent == "ask" and not asked:
        with pytest.raises(ValidationError, match="asked"):
            escalations.create(
                case,
                identity_channel.code,
                actor=people.carlos,
                disclose_identity=True,
                notice=notice,
            )
    escalation = escalations.create(
        case,
        identity_channel.code,
        actor=people.carlos,
        disclose_identity=allowed,
        notice=notice,
        asked_and_confirmed=asked,
    )
    sent = json.dumps(escalation.package, ensure_ascii=False)
    _assert_clean(sent, c, identity_allowed=allowed, where="escalation")
    _assert_free_text(_free_text(escalation.package), c, identity_allowed=allowed, where="sent")
    _assert_kept(escalation.package["explanation"], "escalation")
    assert escalation.carries_personal_data is allowed
    if allowed:  # with consent, the identity goes in its own fields
        assert escalation.package["affected_user_identity"] == [c.name, f"Or{c.other} Ybarra"]
        assert escalation.package["affected_user_contact"] == [
            f"signal: {c.phone}",
            f"email: {c.email}",
        ]

    # A referral to a partner: everything the partner's new report holds.
    referral = refer(
        case, people.other_org, actor=people.carlos, reporter_agreed=True, asked_and_confirmed=asked
    )
    incoming = Report.objects.get(pk=referral.report_id)
    assert referral.includes_identity is allowed
    shared = {
        "narrative": incoming.narrative,
        "platform_notice": incoming.platform_notice,
        "accounts": incoming.accounts,
        "reporter": incoming.reporter,
        "self_description": incoming.self_description,
    }
    _assert_clean(
        json.dumps(shared, ensure_ascii=False), c, identity_allowed=allowed, where="referral"
    )
    for field in ("narrative", "platform_notice"):
        _assert_free_text(shared[field], c, identity_allowed=allowed, where=f"referral {field}")
    _assert_kept(incoming.narrative, "referral narrative")
    assert incoming.accounts["links"] == [CONTENT_URL]
    if allowed:
        assert incoming.reporter["contact_value"] == c.phone
        assert sorted(incoming.accounts["affected"]) == sorted(
            [f"@acct_{c.handle}", f"https://www.facebook.com/page.{c.page}"]
        )
    else:
        assert incoming.reporter == {} and incoming.accounts["affected"] == []

    # A remedy document, the caseworker's own words in every field, for a person who
    # mandated the organisation (DSA Art 86(1); recorded, as the collective app requires).
    from tests.collective.helpers import mandate_for_case

    mandate_for_case(case, coordinator=people.alice, caseworker=people.carlos)
    decision = remedies.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=True,
        actor=people.carlos,
    )
    if consent == "ask" and not asked:
        with pytest.raises(ValidationError):
            remedies.prepare_step(
                decision,
                "art20_complaint",
                language="en",
                facts=typed,
                arguments=typed,
                requested=typed,
                include_identity=True,
                actor=people.carlos,
            )
    for facts in (typed, ""):  # typed by the caseworker, or taken from the reports
        step = remedies.prepare_step(
            decision,
            "art20_complaint",
            language="en",
            facts=facts,
            arguments=typed,
            requested=typed,
            include_identity=allowed,
            asked_and_confirmed=asked,
            actor=people.carlos,
        )
        text = step.document_text
        _assert_free_text(text, c, identity_allowed=allowed, where="remedy document")
        _assert_kept(text, "remedy document")
        assert step.includes_identity is allowed
        # The name is printed once, as the represented person, and only with consent.
        assert (c.name in text) is allowed
        if not allowed:
            assert "[name withheld]" in text
