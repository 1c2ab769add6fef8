"""Reading statements of reasons in seven languages into Transparency Database codes."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.engines.remedies import parse_statement

META_EN = """Your post goes against our Community Standards on Bullying and Harassment

Hi Ana, we removed your post because it goes against our Community Standards on Bullying and Harassment.
We took this action after your post was reported by another person. Our technology detected the post automatically, and a member of our review team made this decision.
https://www.facebook.com/ana.rights/posts/pfbid02abcXYZ
This decision applies in the European Union.
If you think we made a mistake, you can appeal. You also have the right to refer this decision to a certified out-of-court dispute settlement body, or to seek redress in court.
"""

STRUCTURED_EN = """Statement of reasons
Decision: Your account has been suspended until 2025-12-31.
Ground: Illegal content
Legal ground: Section 130 of the Criminal Code
Territorial scope: DE, AT
Automated detection: No
Automated decision: Not automated
Content ID: 7312345678901234567
Redress: internal complaint-handling system; out-of-court dispute settlement; judicial redress.
"""

FR = """Bonjour,
Nous avons supprimé votre vidéo car elle enfreint nos règles de la communauté relatives aux discours haineux.
Cette décision a été prise de notre propre initiative. La vidéo a été détectée automatiquement et la décision a été entièrement automatisée.
Votre compte a été suspendu pendant 7 jours.
Référence : TT-FR-99812
Vous pouvez faire appel de cette décision, saisir un organe de règlement extrajudiciaire des litiges ou le coordinateur pour les services numériques.
"""

DE = """Hallo,
wir haben den Zugang zu Ihrem Beitrag in Deutschland gesperrt, da er gegen § 86a StGB verstößt und damit rechtswidrig ist.
Die Maßnahme erfolgte nach einer Meldung. Der Inhalt wurde nicht automatisiert erkannt. Die Entscheidung wurde teilweise automatisiert getroffen.
https://x.com/journalist/status/1790000000000000001
Sie können gegen diese Entscheidung Beschwerde einlegen, sich an eine außergerichtliche Streitbeilegungsstelle wenden oder den Rechtsweg beschreiten.
"""

ES = """Hola:
Hemos eliminado tu comentario en España porque infringe nuestras normas comunitarias. Además, hemos reducido la visibilidad de tu perfil.
Tu cuenta ha sido suspendida hasta el 15 de marzo de 2026.
El contenido fue detectado automáticamente. Decisión automatizada: parcialmente.
Puedes presentar una reclamación o acudir a un órgano de resolución extrajudicial de litigios.
"""

IT = """Il tuo video è stato rimosso perché è illegale ai sensi dell'Articolo 595 del Codice penale.
Abbiamo preso questa decisione a seguito di una segnalazione di un segnalatore attendibile.
La decisione è stata presa da un revisore umano. Il contenuto non è stato rilevato tramite strumenti automatizzati.
https://www.youtube.com/watch?v=dQw4w9WgXcQ
Puoi presentare ricorso o rivolgerti al tribunale.
"""

PL = """Twoje konto zostało trwale zablokowane z powodu naruszenia naszych standardów społeczności.
Decyzja została podjęta w pełni automatycznie. Treść została wykryta automatycznie.
Numer referencyjny: PL-2025-778899
Możesz złożyć odwołanie lub skorzystać z pozasądowego rozstrzygania sporów.
"""

NL = """Je bericht is verwijderd omdat het in strijd is met onze communityrichtlijnen.
Daarnaast is je account opgeschort voor 30 dagen. Deze beslissing is gedeeltelijk geautomatiseerd.
De inhoud is automatisch gedetecteerd. Dit geldt in de Europese Unie.
Kenmerk: NL-4455
Je kunt bezwaar maken of naar de rechter stappen.
"""


def test_a_meta_removal_in_english():
    parsed = parse_statement(META_EN)
    assert parsed.to_tdb() == {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_monetary": None,
        "decision_provision": None,
        "decision_account": None,
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "illegal_content_legal_ground": None,
        "incompatible_content_ground": "Community Standards on Bullying and Harassment",
        "source_type": "SOURCE_ARTICLE_16",
        "automated_detection": "Yes",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "territorial_scope": ["EEA"],
        "end_date": None,
        "application_date": None,
        "platform_uid": "pfbid02abcXYZ",
    }
    assert [item.value for item in parsed.redress] == [
        "INTERNAL_COMPLAINT",
        "OUT_OF_COURT_SETTLEMENT",
        "JUDICIAL_REDRESS",
    ]


def test_every_value_carries_the_sentence_it_came_from():
    parsed = parse_statement(META_EN)
    removed = parsed.decision_visibility[0]
    assert removed.snippet == (
        "Hi Ana, we removed your post because it goes against our Community Standards on "
        "Bullying and Harassment."
    )
    assert META_EN[removed.start : removed.end] == "removed"
    assert parsed.automated_detection.snippet.startswith("We took this action") is False
    assert "detected the post automatically" in parsed.automated_detection.snippet
    assert parsed.puid.snippet in META_EN
    for item in [*parsed.decision_visibility, parsed.decision_ground, parsed.source_type]:
        assert item.snippet in META_EN
        assert META_EN[item.start : item.end] in item.snippet


def test_a_structured_statement_with_labels():
    parsed = parse_statement(STRUCTURED_EN)
    tdb = parsed.to_tdb()
    assert tdb["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert tdb["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert tdb["illegal_content_legal_ground"] == "Section 130 of the Criminal Code"
    assert tdb["territorial_scope"] == ["AT", "DE"]
    assert tdb["automated_detection"] == "No"
    assert tdb["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert tdb["end_date"] == "2025-12-31"
    assert tdb["platform_uid"] == "7312345678901234567"
    assert parsed.end_date.value == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            FR,
            {
                "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
                "decision_account": "DECISION_ACCOUNT_SUSPENDED",
                "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "incompatible_content_ground": "règles de la communauté relatives aux discours haineux",
                "source_type": "SOURCE_VOLUNTARY",
                "automated_detection": "Yes",
                "automated_decision": "AUTOMATED_DECISION_FULLY",
                "platform_uid": "TT-FR-99812",
            },
        ),
        (
            DE,
            {
                "decision_visibility": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
                "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
                "illegal_content_legal_ground": "§ 86a StGB",
                "source_type": "SOURCE_ARTICLE_16",
                "automated_detection": "No",
                "automated_decision": "AUTOMATED_DECISION_PARTIALLY",
                "territorial_scope": ["DE"],
                "platform_uid": "1790000000000000001",
            },
        ),
        (
            ES,
            {
                "decision_visibility": [
                    "DECISION_VISIBILITY_CONTENT_REMOVED",
                    "DECISION_VISIBILITY_CONTENT_DEMOTED",
                ],
                "decision_account": "DECISION_ACCOUNT_SUSPENDED",
                "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "incompatible_content_ground": "normas comunitarias",
                "automated_detection": "Yes",
                "automated_decision": "AUTOMATED_DECISION_PARTIALLY",
                "territorial_scope": ["ES"],
                "end_date": "2026-03-15",
            },
        ),
        (
            IT,
            {
                "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
                "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
                "illegal_content_legal_ground": "Articolo 595 del Codice penale",
                "source_type": "SOURCE_TRUSTED_FLAGGER",
                "automated_detection": "No",
                "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
                "platform_uid": "dQw4w9WgXcQ",
            },
        ),
        (
            PL,
            {
                "decision_account": "DECISION_ACCOUNT_TERMINATED",
                "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "incompatible_content_ground": "standardów społeczności",
                "automated_detection": "Yes",
                "automated_decision": "AUTOMATED_DECISION_FULLY",
                "platform_uid": "PL-2025-778899",
            },
        ),
        (
            NL,
            {
                "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
                "decision_account": "DECISION_ACCOUNT_SUSPENDED",
                "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "incompatible_content_ground": "communityrichtlijnen",
                "automated_detection": "Yes",
                "automated_decision": "AUTOMATED_DECISION_PARTIALLY",
                "territorial_scope": ["EEA"],
                "platform_uid": "NL-4455",
            },
        ),
    ],
    ids=["fr", "de", "es", "it", "pl", "nl"],
)
def test_statements_in_six_more_languages(text, expected):
    found = {key: value for key, value in parse_statement(text).to_tdb().items() if value}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (FR, ["INTERNAL_COMPLAINT", "OUT_OF_COURT_SETTLEMENT", "DSC_COMPLAINT"]),
        (DE, ["INTERNAL_COMPLAINT", "OUT_OF_COURT_SETTLEMENT", "JUDICIAL_REDRESS"]),
        (ES, ["INTERNAL_COMPLAINT", "OUT_OF_COURT_SETTLEMENT"]),
        (IT, ["INTERNAL_COMPLAINT", "JUDICIAL_REDRESS"]),
        (PL, ["INTERNAL_COMPLAINT", "OUT_OF_COURT_SETTLEMENT"]),
        (NL, ["INTERNAL_COMPLAINT", "JUDICIAL_REDRESS"]),
    ],
    ids=["fr", "de", "es", "it", "pl", "nl"],
)
def test_redress_options_mentioned(text, codes):
    # "extrajudicial" and "pozasądowy" (out of court) are not a court.
    assert [item.value for item in parse_statement(text).redress] == codes


def test_durations_and_permanence():
    assert parse_statement(FR).duration.value == "P7D"
    assert parse_statement(NL).duration.value == "P30D"
    assert (
        parse_statement("Your account has been suspended for 24 hours.").duration.value == "PT24H"
    )
    assert parse_statement("Ihr Konto wurde für 2 Wochen gesperrt.").duration.value == "P2W"
    assert parse_statement(PL).indefinite.value is True
    # The appeal window is not the measure's duration.
    assert parse_statement("You can appeal for 6 months.").duration is None


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Ihr Konto wurde bis zum 31.12.2025 gesperrt.", date(2025, 12, 31)),
        ("Twoje konto zostało zawieszone do 15 marca 2026.", date(2026, 3, 15)),
        ("Je account is geblokkeerd tot 1 april 2026.", date(2026, 4, 1)),
        ("Il tuo account è stato sospeso fino al 3 maggio 2026.", date(2026, 5, 3)),
        ("Your account was suspended until March 5, 2026.", date(2026, 3, 5)),
        ("Votre compte est suspendu jusqu'au 1er mars 2026.", date(2026, 3, 1)),
    ],
)
def test_end_dates_in_each_language(text, end):
    parsed = parse_statement(text)
    assert parsed.end_date.value == end
    assert parsed.decision_account.value == "DECISION_ACCOUNT_SUSPENDED"


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Geltungsbereich: Österreich, Deutschland", ("AT", "DE")),
        ("Ámbito territorial: ES, PT", ("ES", "PT")),
        ("Territorial scope: EL", ("GR",)),  # the EU's code for Greece; the TDB writes GR
        ("Votre vidéo n'est plus disponible en France et en Belgique.", ("BE", "FR")),
        ("Zakres terytorialny: PL", ("PL",)),
        ("We withheld your post worldwide.", ("EEA",)),
    ],
)
def test_territorial_scope(text, scope):
    assert parse_statement(text).territorial_scope.value == scope


def test_negations_are_not_read_as_measures():
    parsed = parse_statement("We did not remove your post. Your account has not been suspended.")
    assert parsed.decision_visibility == ()
    assert parsed.decision_account is None
    assert (
        parse_statement("The content was not detected by automated means.").to_tdb()[
            "automated_detection"
        ]
        == "No"
    )


def test_monetisation_and_service_provision():
    monetary = parse_statement(
        "Your channel is no longer eligible for monetisation: we have suspended monetisation "
        "on your channel because it violates our Terms of Service."
    )
    assert monetary.decision_monetary.value == "DECISION_MONETARY_SUSPENSION"
    assert monetary.decision_account is None
    provision = parse_statement(
        "We have permanently terminated the provision of our service to you."
    )
    assert provision.decision_provision.value == "DECISION_PROVISION_TOTAL_TERMINATION"
    partial = parse_statement("Wir haben die Bereitstellung des Dienstes teilweise eingeschränkt.")
    assert partial.decision_provision.value == "DECISION_PROVISION_PARTIAL_SUSPENSION"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We added a warning screen to your photo.", "DECISION_VISIBILITY_CONTENT_LABELLED"),
        ("Your video has been age-restricted.", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"),
        (
            "Comments on your post have been turned off.",
            "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
        ),
        (
            "Die Reichweite Ihres Beitrags wurde eingeschränkt.",
            "DECISION_VISIBILITY_CONTENT_DEMOTED",
        ),
        ("Twój wpis został usunięty.", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    ],
)
def test_other_visibility_measures(text, code):
    assert [item.value for item in parse_statement(text).decision_visibility] == [code]


def test_silence_and_contradiction_give_none_not_a_guess():
    nothing = parse_statement("Thanks for contacting us. We will look into it.")
    assert nothing.decision_types == [] and nothing.decision_ground is None
    assert nothing.automated_decision is None and nothing.puid is None
    both = parse_statement(
        "We restricted your post. It may be illegal in some countries, and it may also go "
        "against our Community Standards. Automated tools were used."
    )
    assert both.decision_ground is None
    assert both.automated_detection is None and both.automated_decision is None
    assert (
        parse_statement("Automated decision: Fully. Automated decision was partial.").to_tdb()[
            "automated_decision"
        ]
        == "AUTOMATED_DECISION_FULLY"
    )  # a label wins over prose


def test_a_content_id_label_beats_a_url_and_a_reference():
    text = (
        "Reference: CASE-1\nhttps://www.tiktok.com/@someone/video/7234567890123456789\n"
        "Content ID: abc-123\n"
    )
    assert parse_statement(text).puid.value == "abc-123"
    assert parse_statement(text.replace("Content ID: abc-123\n", "")).puid.value == (
        "7234567890123456789"
    )
    assert parse_statement("Reference: CASE-1").puid.value == "CASE-1"


def test_decision_types_lists_every_measure():
    assert parse_statement(ES).decision_types == [
        "DECISION_VISIBILITY_CONTENT_REMOVED",
        "DECISION_VISIBILITY_CONTENT_DEMOTED",
        "DECISION_ACCOUNT_SUSPENDED",
    ]
