"""Art 86 mandates in a dossier: every filing inside its member's mandate, in dates and scope,
and a name only where the member allowed it. Building refuses such a dossier; verifying one made
by something else fails with a line that says which member and which filing."""

from __future__ import annotations

import json

import pytest
from tests.engines.dossier.conftest import SIGNED_AT
from tests.engines.dossier.test_dossier_verify import entries, forge

from amparo.engines.dossier import DossierError, build, compute_figures, verify


def refused_and_rejected(dossier, evidence, key, built) -> list[str]:
    """The problems ``build`` raises for ``dossier``, after checking that ``verify`` reports
    the same ones for a dossier ZIP signed without those checks."""
    with pytest.raises(DossierError) as refused:
        build(dossier, evidence, signing_key=key, key_id="k1", signed_at=SIGNED_AT)
    files = entries(built)
    stored = json.loads(files["dossier.json"])
    dossier = {**dossier, "evidence": stored["evidence"]}
    dossier.setdefault("figures", compute_figures(dossier["members"]))
    result = verify(forge(dossier, files, key), public_keys={"k1": key.public_key()})
    assert not result.ok
    assert result.problems == [f"dossier.json: {line}" for line in refused.value.problems]
    return refused.value.problems


def test_a_filing_before_the_mandate_was_given_fails(dossier, evidence, key, built):
    dossier["members"][1]["filings"][0]["filed_at"] = "2026-03-21T14:59:59Z"
    assert refused_and_rejected(dossier, evidence, key, built) == [
        "member 'Member 02': filing art20_priority_complaint of 2026-03-21T14:59:59Z is before "
        "the mandate was given (2026-03-21T15:00:00Z)"
    ]


def test_a_filing_after_the_mandate_was_revoked_fails(dossier, evidence, key, built):
    dossier["members"][2]["filings"][0]["filed_at"] = "2026-03-25T10:00:00Z"
    assert refused_and_rejected(dossier, evidence, key, built) == [
        "member 'Member 03': filing art20_priority_complaint of 2026-03-25T10:00:00Z is after "
        "the mandate was revoked (2026-03-25T10:00:00Z)"
    ]


def test_a_filing_outside_the_mandates_scope_fails(dossier, evidence, key, built):
    dossier["members"][1]["filings"][0]["kind"] = "art53_complaint"
    problems = refused_and_rejected(dossier, evidence, key, built)
    assert problems == [
        "member 'Member 02': filing art53_complaint of 2026-03-22T09:05:00Z is outside the "
        "mandate's scope (it covers: art20_priority_complaint)"
    ]


def test_a_member_without_a_mandate_or_platform_fails(dossier, evidence, key, built):
    dossier["members"][1]["mandate"] = None
    dossier["members"][2]["mandate"]["scope"]["platforms"] = ["tiktok"]
    problems = refused_and_rejected(dossier, evidence, key, built)
    assert "member 'Member 02': has no mandate (Art 86(1) DSA: only mandated members)" in problems
    assert "member 'Member 03': the mandate does not cover the platform 'meta'" in problems


def test_a_name_the_member_did_not_allow_fails(dossier, evidence, key, built):
    dossier["members"][1]["name"] = "Алексей"  # mandate with disclose_name false
    dossier["members"][2]["name"] = "Олена"  # revoked mandate
    dossier["members"][2]["mandate"]["disclose_name"] = True
    problems = refused_and_rejected(dossier, evidence, key, built)
    assert problems == [
        "member 'Member 02': the name is included but the mandate does not allow disclosure",
        "member 'Member 03': the name is included but the mandate does not allow disclosure",
    ]


def test_figures_that_do_not_match_the_members_fail(dossier, evidence, key, built):
    dossier["figures"] = compute_figures(dossier["members"])
    dossier["figures"]["restored"] = 3
    assert refused_and_rejected(dossier, evidence, key, built) == [
        "$.figures.restored: says 3, the members give 1"
    ]


def test_building_names_every_schema_problem(dossier, evidence, key):
    dossier["generated_at"] = "2026-05-04 09:00"
    dossier["members"][0]["mandate"]["channel"] = "email"
    dossier["members"][0]["outcome"]["restored_at"] = "2026-02-30T09:00:00Z"
    dossier["organisation"]["eligibility"]["statutes_evidence_id"] = "nowhere"
    with pytest.raises(DossierError) as refused:
        build(dossier, evidence, signing_key=key, key_id="k1", signed_at=SIGNED_AT)
    assert refused.value.problems == [
        "$.generated_at: '2026-05-04 09:00' is not in the expected form",
        "$.members[0].mandate.channel: 'email' is not one of follow_up_page, signed_form, "
        "oral_consent",
    ]
    dossier["generated_at"] = "2026-05-04T09:00:00Z"
    dossier["members"][0]["mandate"]["channel"] = "signed_form"
    with pytest.raises(DossierError) as refused:
        build(dossier, evidence, signing_key=key, key_id="k1", signed_at=SIGNED_AT)
    assert refused.value.problems == [
        "$.members[0].outcome.restored_at: '2026-02-30T09:00:00Z' is not a real date and time",
        "$.organisation.eligibility.statutes_evidence_id: evidence 'nowhere' is not in the "
        "dossier's evidence list",
    ]


def test_evidence_listed_without_its_file_is_refused(dossier, evidence, key):
    dossier["evidence"] = [{"id": "missing-scan", "description": "a scan"}]
    with pytest.raises(DossierError, match="'missing-scan' is listed but its file was not"):
        build(dossier, evidence, signing_key=key, key_id="k1", signed_at=SIGNED_AT)


def test_a_naive_signature_time_is_refused(dossier, evidence, key):
    with pytest.raises(ValueError, match="naive datetime"):
        build(
            dossier,
            evidence,
            signing_key=key,
            key_id="k1",
            signed_at=SIGNED_AT.replace(tzinfo=None),
        )
