"""Columns and value sets of the DSA Transparency Database statements of reasons.

The published CSV has 38 columns (``full``) or 34 (``light``). Categories and keywords changed
on 2025-07-01 (v1 → v2); a reader must accept both sets and values that neither knows yet, so
nothing here is used to reject a row: the sets only label values as known or unknown.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

FULL_COLUMNS: tuple[str, ...] = (
    "uuid",
    "decision_visibility",
    "decision_visibility_other",
    "end_date_visibility_restriction",
    "decision_monetary",
    "decision_monetary_other",
    "end_date_monetary_restriction",
    "decision_provision",
    "end_date_service_restriction",
    "decision_account",
    "end_date_account_restriction",
    "account_type",
    "decision_ground",
    "decision_ground_reference_url",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "incompatible_content_illegal",
    "category",
    "category_addition",
    "category_specification",
    "category_specification_other",
    "content_type",
    "content_type_other",
    "content_language",
    "content_date",
    "content_id_ean",
    "territorial_scope",
    "application_date",
    "decision_facts",
    "source_type",
    "source_identity",
    "automated_detection",
    "automated_decision",
    "platform_name",
    "platform_uid",
    "created_at",
)

#: Columns that ``light`` dumps leave out.
FULL_ONLY_COLUMNS: frozenset[str] = frozenset(
    {
        "illegal_content_explanation",
        "incompatible_content_explanation",
        "territorial_scope",
        "decision_facts",
    }
)
LIGHT_COLUMNS: tuple[str, ...] = tuple(c for c in FULL_COLUMNS if c not in FULL_ONLY_COLUMNS)

#: Columns holding a JSON array of strings; stored as ``list<string>``.
LIST_COLUMNS: tuple[str, ...] = (
    "decision_visibility",
    "category_addition",
    "category_specification",
    "content_type",
    "territorial_scope",
)
DATE_COLUMNS: tuple[str, ...] = (
    "end_date_visibility_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_account_restriction",
    "content_date",
    "application_date",
)
#: Columns every statement-of-reasons header has held since the database opened (2023-09):
#: a CSV part without one of them is not a dump part and fails its dump.
REQUIRED_COLUMNS: tuple[str, ...] = ("uuid", "decision_ground", "category", "platform_name",
                                     "created_at")  # fmt: skip

#: The published CSV shapes, newest first: (name, columns). ``content_id_ean`` (the EAN-13 of a
#: product) came in early 2025 (files published before about March 2025 have 37 columns);
#: ``light`` files drop :data:`FULL_ONLY_COLUMNS`. A header that matches none of them but has
#: :data:`REQUIRED_COLUMNS` is read too ("other"): its missing columns are null, its extra
#: columns are ignored, and both are reported.
CSV_SCHEMAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("2025-full", FULL_COLUMNS),
    ("2025-light", LIGHT_COLUMNS),
    ("2023-full", tuple(c for c in FULL_COLUMNS if c != "content_id_ean")),
    ("2023-light", tuple(c for c in LIGHT_COLUMNS if c != "content_id_ean")),
)


def csv_schema(header: list[str]) -> tuple[str, list[str]]:
    """Name the published shape of a CSV header: ``(name, known columns it lacks)``.

    The lacking columns of a named shape are the ones that shape never had; for ``"other"``
    they are every column of the full 38 that the header lacks.
    """
    cols = tuple(header)
    for name, columns in CSV_SCHEMAS:
        if cols == columns:
            return name, [c for c in FULL_COLUMNS if c not in columns]
    present = set(cols)
    return "other", [c for c in FULL_COLUMNS if c not in present]


#: "Yes"/"No" columns; stored as booleans.
YES_NO_COLUMNS: tuple[str, ...] = ("incompatible_content_illegal", "automated_detection")

#: Provenance columns that the store adds to every row.
SOURCE_COLUMN = "source_file"


def _arrow_type(column: str) -> pa.DataType:
    if column in LIST_COLUMNS:
        return pa.list_(pa.string())
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in YES_NO_COLUMNS:
        return pa.bool_()
    if column == "created_at":
        return pa.timestamp("ms")  # what Parquet keeps (it has no seconds unit)
    return pa.string()


#: Schema of the Parquet files of the store (partition columns ``day`` and ``platform`` live in
#: the directory names, not in the files).
STORE_SCHEMA: pa.Schema = pa.schema(
    [pa.field(c, _arrow_type(c)) for c in FULL_COLUMNS] + [pa.field(SOURCE_COLUMN, pa.string())]
)

# --- value sets -------------------------------------------------------------------------------

DECISION_VISIBILITY = frozenset(
    f"DECISION_VISIBILITY_{v}"
    for v in (
        "CONTENT_REMOVED",
        "CONTENT_DISABLED",
        "CONTENT_DEMOTED",
        "CONTENT_AGE_RESTRICTED",
        "CONTENT_INTERACTION_RESTRICTED",
        "CONTENT_LABELLED",
        "OTHER",
    )
)
DECISION_MONETARY = frozenset(
    f"DECISION_MONETARY_{v}" for v in ("SUSPENSION", "TERMINATION", "OTHER")
)
DECISION_PROVISION = frozenset(
    f"DECISION_PROVISION_{v}"
    for v in ("PARTIAL_SUSPENSION", "TOTAL_SUSPENSION", "PARTIAL_TERMINATION", "TOTAL_TERMINATION")
)
DECISION_ACCOUNT = frozenset({"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"})
ACCOUNT_TYPE = frozenset({"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"})
DECISION_GROUND = frozenset(
    {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
)
CONTENT_TYPE = frozenset(
    f"CONTENT_TYPE_{v}"
    for v in ("APP", "AUDIO", "IMAGE", "PRODUCT", "SYNTHETIC_MEDIA", "TEXT", "VIDEO", "OTHER")
)
SOURCE_TYPE = frozenset(
    {
        "SOURCE_ARTICLE_16",
        "SOURCE_TRUSTED_FLAGGER",
        "SOURCE_VOLUNTARY",
        "SOURCE_TYPE_OTHER_NOTIFICATION",
    }
)
AUTOMATED_DECISION = frozenset(
    {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}
)
YES_NO = frozenset({"Yes", "No"})

#: The day from which platforms report with the v2 categories and keywords.
V2_SINCE = dt.date(2025, 7, 1)

CATEGORIES_V1: frozenset[str] = frozenset(
    f"STATEMENT_CATEGORY_{v}"
    for v in (
        "ANIMAL_WELFARE",
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "NON_CONSENSUAL_BEHAVIOUR",
        "PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
        "PROTECTION_OF_MINORS",
        "RISK_FOR_PUBLIC_SECURITY",
        "SCAMS_AND_FRAUD",
        "SELF_HARM",
        "SCOPE_OF_PLATFORM_SERVICE",
        "UNSAFE_AND_ILLEGAL_PRODUCTS",
        "VIOLENCE",
    )
)
CATEGORIES_V2: frozenset[str] = frozenset(
    f"STATEMENT_CATEGORY_{v}"
    for v in (
        "ANIMAL_WELFARE",
        "CONSUMER_INFORMATION",
        "CYBER_VIOLENCE",
        "CYBER_VIOLENCE_AGAINST_WOMEN",
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "NOT_SPECIFIED_NOTICE",
        "OTHER_VIOLATION_TC",
        "PROTECTION_OF_MINORS",
        "RISK_FOR_PUBLIC_SECURITY",
        "SCAMS_AND_FRAUD",
        "SELF_HARM",
        "UNSAFE_AND_PROHIBITED_PRODUCTS",
        "VIOLENCE",
    )
)

_KEYWORDS_COMMON = (
    "ANIMAL_HARM",
    "UNLAWFUL_SALE_ANIMALS",
    "BIOMETRIC_DATA_BREACH",
    "MISSING_PROCESSING_GROUND",
    "RIGHT_TO_BE_FORGOTTEN",
    "DATA_FALSIFICATION",
    "DEFAMATION",
    "DISCRIMINATION",
    "HATE_SPEECH",
    "COPYRIGHT_INFRINGEMENT",
    "DESIGN_INFRINGEMENT",
    "GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
    "PATENT_INFRINGEMENT",
    "TRADE_SECRET_INFRINGEMENT",
    "TRADEMARK_INFRINGEMENT",
    "ONLINE_BULLYING_INTIMIDATION",
    "STALKING",
    "ADULT_SEXUAL_MATERIAL",
    "AGE_SPECIFIC_RESTRICTIONS_MINORS",
    "CHILD_SEXUAL_ABUSE_MATERIAL",
    "CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE",
    "GROOMING_SEXUAL_ENTICEMENT_MINORS",
    "UNSAFE_CHALLENGES",
    "ILLEGAL_ORGANIZATIONS",
    "RISK_ENVIRONMENTAL_DAMAGE",
    "RISK_PUBLIC_HEALTH",
    "TERRORIST_CONTENT",
    "INAUTHENTIC_ACCOUNTS",
    "INAUTHENTIC_LISTINGS",
    "INAUTHENTIC_USER_REVIEWS",
    "IMPERSONATION_ACCOUNT_HIJACKING",
    "PHISHING",
    "PYRAMID_SCHEMES",
    "CONTENT_PROMOTING_EATING_DISORDERS",
    "SELF_MUTILATION",
    "SUICIDE",
    "AGE_SPECIFIC_RESTRICTIONS",
    "GEOGRAPHICAL_REQUIREMENTS",
    "GOODS_SERVICES_NOT_PERMITTED",
    "LANGUAGE_REQUIREMENTS",
    "NUDITY",
    "COORDINATED_HARM",
    "HUMAN_EXPLOITATION",
    "HUMAN_TRAFFICKING",
    "INCITEMENT_VIOLENCE_HATRED",
    "OTHER",
)
KEYWORDS_V1: frozenset[str] = frozenset(
    f"KEYWORD_{v}"
    for v in (
        *_KEYWORDS_COMMON,
        "DISINFORMATION",
        "MISINFORMATION",
        "FOREIGN_INFORMATION_MANIPULATION",
        "NON_CONSENSUAL_IMAGE_SHARING",
        "NON_CONSENSUAL_ITEMS_DEEPFAKE",
        "IMAGE_BASED_SEXUAL_ABUSE",
        "INSUFFICIENT_INFORMATION_TRADERS",
        "REGULATED_GOODS_SERVICES",
        "DANGEROUS_TOYS",
        "GENDER_BASED_VIOLENCE",
    )
)
KEYWORDS_V2: frozenset[str] = frozenset(
    f"KEYWORD_{v}"
    for v in (
        *_KEYWORDS_COMMON,
        "HIDDEN_ADVERTISEMENT",
        "INSUFFICIENT_INFORMATION_ON_TRADERS",
        "MISLEADING_INFO_CONSUMER_RIGHTS",
        "MISLEADING_INFO_GOODS_SERVICES",
        "NONCOMPLIANCE_PRICING",
        "CYBER_BULLYING_INTIMIDATION",
        "CYBER_HARASSMENT",
        "CYBER_INCITEMENT",
        "CYBER_STALKING",
        "NON_CONSENSUAL_IMAGE_SHARING",
        "NON_CONSENSUAL_MATERIAL_DEEPFAKE",
        "BULLYING_AGAINST_GIRLS",
        "CYBER_HARASSMENT_AGAINST_WOMEN",
        "CYBER_STALKING_AGAINST_WOMEN",
        "FEMALE_GENDERED_DISINFORMATION",
        "INCITEMENT_AGAINST_WOMEN",
        "NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
        "NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN",
        "MISINFORMATION_DISINFORMATION",
        "VIOLATION_EU_LAW",
        "VIOLATION_NATIONAL_LAW",
        "PROHIBITED_PRODUCTS",
        "UNSAFE_PRODUCTS",
        "TRAFFICKING_WOMEN_GIRLS",
    )
)

#: EEA member states as the database spells them (Greece is GR, not EL).
EEA_COUNTRIES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip

#: Known values per enumerated column: used to label values, never to reject them.
KNOWN_VALUES: dict[str, frozenset[str]] = {
    "decision_visibility": DECISION_VISIBILITY,
    "decision_monetary": DECISION_MONETARY,
    "decision_provision": DECISION_PROVISION,
    "decision_account": DECISION_ACCOUNT,
    "account_type": ACCOUNT_TYPE,
    "decision_ground": DECISION_GROUND,
    "category": CATEGORIES_V1 | CATEGORIES_V2,
    "category_addition": CATEGORIES_V1 | CATEGORIES_V2,
    "category_specification": KEYWORDS_V1 | KEYWORDS_V2,
    "content_type": CONTENT_TYPE,
    "source_type": SOURCE_TYPE,
    "automated_decision": AUTOMATED_DECISION,
    "territorial_scope": frozenset(EEA_COUNTRIES),
}


def category_version(category: str) -> str:
    """Return ``"v1"``, ``"v2"``, ``"both"`` or ``"unknown"`` for a category value."""
    in1, in2 = category in CATEGORIES_V1, category in CATEGORIES_V2
    if in1 and in2:
        return "both"
    if in1:
        return "v1"
    if in2:
        return "v2"
    return "unknown"
