"""Art 16 notices from the escalate page: the organisation as notifier (its legal name and role
address), the four elements of Art 16(2) in substance, legal-ground suggestions, a review of
exactly what leaves, and the channels the organisation's statuses open."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from amparo.accounts import identity
from amparo.engines.register import INCIDENT_TYPES
from amparo.escalations import register, services
from amparo.escalations.models import Escalation, RegisterOverrides
from amparo.intake.choices import IncidentType
from tests.escalations.test_escalations import CANARY, REPORTER_FIELDS, case_with

CONTENT = "https://www.facebook.com/photo/?fbid=123456789"
NOTICE = {
    "language": "de",
    "explanation": "Der Beitrag droht der Journalistin mit dem Tod, falls sie weiter berichtet.",
    "legal_ground": "§ 241 StGB (Bedrohung)",
    "requested_action": "remove",
    "content_urls": CONTENT,
}


def organisation_in_berlin(people, **changes):
    values = {
        "legal_name": "Defenders Helpline e.V.",
        "registration_country": "DE",
        "notice_email": "dsa@defenders.example",
        **changes,
    }
    organisation = identity.update_identity(people.org, values, actor=people.alice)
    people.org.refresh_from_db()
    return organisation


def mexican_hrd(people, **extra):
    narrative = (
        f"They wrote they will kill me. I am {REPORTER_FIELDS['reporter_name']}, "
        f"call me on {REPORTER_FIELDS['contact_value']}."
    )
    return case_with(
        people, country="MX", incident_type="threats_of_violence", narrative=narrative, **extra
    )


def url(case):
    return f"/o/defenders/cases/{case.pk}/escalate/"


def test_the_incident_types_of_the_register_are_those_of_intake():
    assert set(IncidentType.values) == INCIDENT_TYPES


def test_an_hrd_outside_the_eu_gets_a_notice_through_the_organisation_in_the_eu(people):
    case = mexican_hrd(people)
    assert "facebook.dsa_notice" not in {o.channel.code for o in register.offers_for_case(case)}
    organisation_in_berlin(people)
    case.organisation.refresh_from_db()
    offers = {o.channel.code: o.roles for o in register.offers_for_case(case)}
    assert offers["facebook.dsa_notice"] == ("notifier",)
    assert "dsc.de" in offers  # Art 53: the coordinator where the organisation is established
    assert "facebook.dsa_complaint" in offers  # a notifier's Art 20 complaint
    assert "facebook.disabled_account_form" in offers  # the person's own routes stay
    # The person's own channels are unchanged: no DSA channel for the person in Mexico.
    assert not [c for c in register.channels_for_case(case) if c.eligibility.eu_users_only]


def test_without_a_role_address_the_notice_is_refused_and_the_settings_page_named(
    people, signed_in
):
    organisation_in_berlin(people, notice_email="")
    case = mexican_hrd(people)
    page = signed_in(people.alice).get(url(case)).content.decode()
    assert 'id="no-notifier"' in page and "/o/defenders/settings/" in page
    carlos = signed_in(people.carlos).get(url(case)).content.decode()
    assert "Ask a coordinator or an administrator" in carlos
    with pytest.raises(ValidationError, match=r"Art 16\(2\)\(c\).*settings page"):
        services.create(case, "facebook.dsa_notice", actor=people.carlos, notice=NOTICE)
    response = signed_in(people.carlos).post(
        url(case), {"channel": "facebook.dsa_notice", "action": "review", **NOTICE}
    )
    assert "settings page" in response.content.decode()
    assert Escalation.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "element"),
    [
        ({"explanation": ""}, r"Art 16\(2\)\(a\): explain"),
        ({"legal_ground": ""}, r"Art 16\(2\)\(a\): name the legal ground"),
        ({"content_urls": "facebook.com/somewhere"}, r"Art 16\(2\)\(b\)"),
        ({"requested_action": ""}, "what you ask the platform to do"),
    ],
)
def test_every_element_of_art16_2_is_required_before_the_escalation_exists(
    people, changes, element
):
    organisation_in_berlin(people)
    case = mexican_hrd(people)
    with pytest.raises(ValidationError, match=element):
        services.create(
            case, "facebook.dsa_notice", actor=people.carlos, notice={**NOTICE, **changes}
        )
    with pytest.raises(ValidationError, match=r"Art 16\(2\)\(a\)"):
        services.create(case, "facebook.dsa_notice", actor=people.carlos)  # nothing typed
    assert Escalation.objects.count() == 0


def test_the_notice_carries_the_four_elements_in_its_language_and_no_narrative(people):
    organisation_in_berlin(people)
    case = mexican_hrd(people)
    escalation = services.create(case, "facebook.dsa_notice", actor=people.carlos, notice=NOTICE)
    package = escalation.package
    assert package["explanation"] == NOTICE["explanation"]  # the caseworker's, not the report's
    assert "kill me" not in str(package)
    assert package["legal_ground"] == "§ 241 StGB (Bedrohung)"
    assert package["content_urls"] == [CONTENT]
    assert package["notifier_name"] == "Defenders Helpline e.V."
    assert package["notifier_email"] == "dsa@defenders.example"  # never the sending address
    assert "localhost" not in str(package)
    assert package["good_faith_statement"].startswith("Die meldende Einrichtung, Defenders")
    assert package["requested_action"] == "Entfernung der Informationen"
    assert package["country"] == "DE"  # the law invoked, not the person's country
    assert CANARY not in str(package)


def test_the_page_suggests_grounds_inserts_a_scrubbed_summary_and_creates_only_what_was_reviewed(
    people, signed_in
):
    organisation_in_berlin(people)
    case = mexican_hrd(people)
    client = signed_in(people.carlos)
    page = client.get(url(case) + "?channel=facebook.dsa_notice").content.decode()
    assert 'id="notifier"' in page and "dsa@defenders.example" in page
    assert "§ 241 StGB (Bedrohung)" in page  # suggested for threats, from German law
    assert "Art. 6(1) with Art. 5(1)(a) Regulation (EU) 2016/679 (GDPR)" not in page  # doxxing only
    assert "Create the escalation" not in page  # nothing leaves unreviewed

    form = {"channel": "facebook.dsa_notice", "language": "de", "content_urls": CONTENT}
    summary = client.post(url(case), {**form, "action": "summary"}).content.decode()
    inserted = re.search(r'<textarea name="explanation"[^>]*>(.*?)</textarea>', summary, re.S)
    assert "They wrote they will kill me" in inserted.group(1)  # to rewrite, scrubbed:
    assert CANARY not in summary and "9911" not in inserted.group(1)

    typed = {
        **form,
        "explanation": NOTICE["explanation"],
        "grounds": ["de.stgb.241"],
        "legal_ground": "Die Drohung richtet sich gegen ihr Leben.",
        "requested_action": "remove",
    }
    review = client.post(url(case), {**typed, "action": "review"}).content.decode()
    assert 'id="package-preview"' in review
    assert "§ 241 StGB (Bedrohung)\nDie Drohung richtet sich gegen ihr Leben." in review
    assert "Die meldende Einrichtung, Defenders Helpline e.V." in review
    token = re.search(r'name="reviewed" value="([0-9a-f]{64})"', review).group(1)

    changed = client.post(
        url(case),
        {**typed, "explanation": "Something else.", "action": "create", "reviewed": token},
    )
    assert "review it again" in changed.content.decode() and Escalation.objects.count() == 0
    created = client.post(url(case), {**typed, "action": "create", "reviewed": token})
    escalation = Escalation.objects.get()
    assert created["Location"] == f"/o/defenders/escalations/{escalation.pk}/"
    assert escalation.channel_code == "facebook.dsa_notice"
    assert escalation.package["legal_ground"].startswith("§ 241 StGB (Bedrohung)")


def test_statuses_open_the_trusted_flagger_partner_and_own_channels(people):
    case = case_with(people, country="DE")
    plain = {o.channel.code for o in register.offers_for_case(case)}
    assert not {"dsa.trusted_flagger", "meta.trusted_partner", "org.meta-desk"} & plain
    organisation_in_berlin(
        people,
        trusted_flagger_awarded_by="DE",
        trusted_flagger_since="2025-06-01",
        partner_programmes=["meta.trusted-partner"],
    )
    RegisterOverrides.objects.create(
        organisation=people.org,
        document={
            "add": [
                {
                    "code": "org.meta-desk",
                    "kind": "trusted_partner",
                    "name": "Our Meta partner intake",
                    "platforms": ["facebook"],
                    "eligibility": {
                        "trusted_partners_only": True,
                        "affected_users": False,
                        "notifiers": True,
                        "note": "Our caseworkers",
                    },
                    "required_fields": ["content_urls", "explanation"],
                    "languages": ["es"],
                    "expected_response_hours": 24,
                    "response_time_basis": "practice",
                    "reached_by": "portal: our partner account",
                    "legal_basis": "Meta Trusted Partner programme",
                }
            ]
        },
    )
    case.organisation.refresh_from_db()
    offers = {o.channel.code: o for o in register.offers_for_case(case)}
    assert {"dsa.trusted_flagger", "meta.trusted_partner", "org.meta-desk"} <= set(offers)
    assert offers["dsa.trusted_flagger"].channel.is_art16_notice
    assert next(iter(offers)) in {"dsa.trusted_flagger", "meta.trusted_partner", "org.meta-desk"}


def test_required_fields_the_register_names_can_be_filled(people, signed_in):
    case = case_with(people, country="DE")
    client = signed_in(people.carlos)
    page = client.get(url(case) + "?channel=facebook.dsa_complaint").content.decode()
    assert "decision_reference" in page.split('id="package-preview"')[1]  # still missing
    assert 'name="decision_reference"' in page
    review = client.post(
        url(case),
        {"channel": "facebook.dsa_complaint", "action": "review", "decision_reference": "SOR-77"},
    ).content.decode()
    preview = review.split('id="package-preview"')[1].split("</pre>")[0]
    assert "SOR-77" in preview
    token = re.search(r'name="reviewed" value="([0-9a-f]{64})"', review).group(1)
    client.post(
        url(case),
        {
            "channel": "facebook.dsa_complaint",
            "action": "create",
            "decision_reference": "SOR-77",
            "reviewed": token,
        },
    )
    assert Escalation.objects.get().package["decision_reference"] == "SOR-77"


def test_a_channel_not_open_to_the_case_and_outsiders_are_refused(people, signed_in):
    case = case_with(people, country="MX")
    page = signed_in(people.carlos).get(url(case) + "?channel=dsc.fr").content.decode()
    assert "This channel is not open to this case." in page and 'name="action"' not in page
    assert signed_in(people.otto).get(url(case)).status_code == 404
    assert signed_in(people.vera).get(url(case)).status_code == 404


def test_a_channel_previewed_on_opening_is_created_from_that_preview(people, signed_in):
    case = case_with(people, country="DE", platform="telegram")
    client = signed_in(people.carlos)
    code = next(
        o.channel.code for o in register.offers_for_case(case) if o.channel.reached_by_email
    )
    page = client.get(url(case) + f"?channel={code}").content.decode()
    assert 'id="package-preview"' in page  # nothing to type: the preview is the review
    token = re.search(r'name="reviewed" value="([0-9a-f]{64})"', page).group(1)
    fields = dict(re.findall(r'<textarea name="(\w+)"[^>]*>\n?(.*?)</textarea>', page, re.S))
    response = client.post(
        url(case), {"channel": code, "action": "create", "reviewed": token, **fields}
    )
    escalation = Escalation.objects.get()
    assert response["Location"] == f"/o/defenders/escalations/{escalation.pk}/"
    assert escalation.channel_code == code
