"""Phrases that statements of reasons use, joined across languages (data for :mod:`.sor`).

The words live in one dict per language, grouped by family: ``_sor_patterns_germanic`` (en de
nl), ``_sor_patterns_romance`` (fr es it pt), ``_sor_patterns_slavic`` (pl ru) and
``_sor_patterns_ar_tr`` (ar tr). Every language names every concept in :data:`CONCEPTS` (an
empty string where it has no such phrase); here each concept becomes one alternation over all
languages, because a statement may mix them (an English template with a French rule name).
To add a language, write its dict and add it to :data:`LANGUAGE_WORDS`.

Concepts:

* nouns: ``CONTENT``, ``ACCOUNT``;
* visibility measures: ``REMOVED``, ``DISABLED``, ``DEMOTED``, ``AGE_RESTRICTED``,
  ``INTERACTION_RESTRICTED``, ``LABELLED``;
* account measures: ``TERMINATED`` (the word says the account is gone), ``SUSPENDED`` (the word
  says suspension), ``RESTRICTED`` (banned, blocked: permanence unsaid), ``PERMANENT``,
  ``TEMPORARY``, ``INDEFINITE``; ``CONDITIONAL`` marks a warning ("if you ..., your account
  will be permanently disabled"), not a measure;
* money and service: ``MONETARY``, ``MONETARY_ACTION``, ``PROVISION``, ``SUSPEND_WORD``,
  ``TERMINATE_WORD``, ``PARTIAL_WORD``;
* grounds: ``ILLEGAL``; ``VIOLATES`` (goes against, enfreint, verstößt); ``NOT_FOLLOW`` (a
  violation said with a negation: "doesn't follow", "ne respecte pas"); ``RULES`` (the names of
  the platforms' rule books: Community Standards, X Rules, Règlement de la communauté);
  ``RULE_TOPIC`` (the word that joins a rule book to its topic: "on", "sur", "zu");
  ``POLICY`` ("our harassment policy"); ``GENERIC_RULES`` ("our rules"); ``POSSESSIVE``;
  ``LEGAL_LABEL``, ``CONTRACT_LABEL``;
* automation: ``AUTO``, ``DETECTED``, ``AUTO_MEANS`` ("automated means"), ``AUTO_ADVERB``
  ("automatically"), ``DECISION_WORD``, ``DETECTION_TERM``, ``DECISION_TERM``, ``YES``,
  ``NO``, ``FULLY``, ``PARTIALLY``, ``HUMAN`` (a person decided or reviewed), ``NEGATION``
  (before a phrase), ``POST_NEGATION`` (after it: "were not used", "kullanılmadı"),
  ``GENERIC`` ("learn more about how we use technology": not about this decision);
* sources: ``TRUSTED_FLAGGER``, ``NOTICE``, ``OWN_INITIATIVE``, ``AUTHORITY_ORDER``;
* scope: ``EEA_WIDE``, ``WORLDWIDE``, ``SCOPE_CONTEXT``, ``SCOPE_LABEL``, ``IN``;
* time: ``UNTIL``, ``UNTIL_AFTER``, ``FOR``, ``FOR_AFTER``, ``HOURS``, ``DAYS``, ``WEEKS``,
  ``MONTHS``, ``DATE_LABEL`` (the decision's date), ``CONTENT_DATE`` ("posted on");
* redress: ``APPEAL``, ``OUT_OF_COURT``, ``COURT``, ``DSC``; ids: ``PUID_LABEL``.
"""

from __future__ import annotations

from ._sor_patterns_ar_tr import AR, TR
from ._sor_patterns_germanic import DE, EN, NL
from ._sor_patterns_romance import ES, FR, IT, PT
from ._sor_patterns_slavic import PL, RU

LANGUAGE_WORDS: dict[str, dict[str, str]] = {
    "en": EN,
    "fr": FR,
    "de": DE,
    "es": ES,
    "it": IT,
    "pl": PL,
    "nl": NL,
    "ar": AR,
    "ru": RU,
    "tr": TR,
    "pt": PT,
}
CONCEPTS: tuple[str, ...] = tuple(EN)


def any_of(concept: str) -> str:
    """One non-capturing alternation of the concept's phrases in every language."""
    parts = [words[concept] for words in LANGUAGE_WORDS.values() if words[concept]]
    return "(?:" + "|".join(parts) + ")"


def word(concept: str) -> str:
    """The concept as whole words."""
    return rf"\b{any_of(concept)}\b"


CONTENT = any_of("CONTENT")
ACCOUNT = any_of("ACCOUNT")

VISIBILITY = {
    "DECISION_VISIBILITY_CONTENT_REMOVED": word("REMOVED"),
    "DECISION_VISIBILITY_CONTENT_DISABLED": word("DISABLED"),
    "DECISION_VISIBILITY_CONTENT_DEMOTED": word("DEMOTED"),
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED": word("AGE_RESTRICTED"),
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED": word("INTERACTION_RESTRICTED"),
    "DECISION_VISIBILITY_CONTENT_LABELLED": word("LABELLED"),
}

ACCOUNT_TERMINATED = any_of("TERMINATED")
ACCOUNT_SUSPENDED = any_of("SUSPENDED")
ACCOUNT_RESTRICTED = any_of("RESTRICTED")
PERMANENT = word("PERMANENT")
TEMPORARY = word("TEMPORARY")
INDEFINITE = word("INDEFINITE")
CONDITIONAL = word("CONDITIONAL")

MONETARY = any_of("MONETARY")
MONETARY_ACTION = any_of("MONETARY_ACTION")
PROVISION = any_of("PROVISION")
SUSPEND_WORD = word("SUSPEND_WORD")
TERMINATE_WORD = word("TERMINATE_WORD")
PARTIAL_WORD = any_of("PARTIAL_WORD")

ILLEGAL = word("ILLEGAL")
VIOLATES = word("VIOLATES")
NOT_FOLLOW = word("NOT_FOLLOW")
RULES = word("RULES")
RULE_TOPIC = any_of("RULE_TOPIC")
POLICY = word("POLICY")
GENERIC_RULES = word("GENERIC_RULES")
POSSESSIVE = any_of("POSSESSIVE")
LEGAL_GROUND_LABEL = any_of("LEGAL_LABEL")
CONTRACT_GROUND_LABEL = any_of("CONTRACT_LABEL")
#: A cited provision: "§ 86a StGB", "Articolo 595 del Codice penale", "art. 212 Kodeksu karnego".
STATUTE = (
    r"(?:§+\s*\d+[a-z]?(?:\s*(?:Abs\.\s*\d+|\(\d+\)))?\s+[A-ZÄÖÜ][\wÄÖÜäöüß]{1,12}|"
    r"\b(?:Article|Art\.|Artikel|Artículo|Articolo|Artykuł|Artigo|Madde|Статья|Ст\.|Art)\s*"
    r"\d+[\w()]*\s+(?:§\s*\d+\s+)?"
    r"(?:(?:of|de|du|des|del|della|dello|van|do|da)\s+(?:the\s+|la\s+|le\s+|het\s+|o\s+)?)?"
    r"[A-ZÄÖÜА-Я][\w\u00C0-\u017F.'-]*(?:\s+[\w\u00C0-\u017F.'-]+){0,5})"
)

AUTO = any_of("AUTO")
DETECTED = any_of("DETECTED")
AUTO_MEANS = any_of("AUTO_MEANS")
AUTO_ADVERB = any_of("AUTO_ADVERB")
DECISION_WORD = word("DECISION_WORD")
_TOKENS = r"(?:\S+\s+){0,6}?"
#: Detection by automated means, in either order ("our technology detected", "detected by our
#: automated systems", "استخدمنا التكنولوجيا لاكتشاف").
DETECTION_YES = (
    rf"{DETECTED}\s+{_TOKENS}{AUTO}|{AUTO}\s+{_TOKENS}{DETECTED}|"
    rf"{any_of('DETECTION_TERM')}"
)
_YES_NO = rf"(?P<yes>{any_of('YES')})|(?P<no>{any_of('NO')})"
DETECTION_LABEL = rf"{any_of('DETECTION_TERM')}\s*[:：\-–]\s*(?:{_YES_NO})\b"
DECISION_LABEL = rf"{any_of('DECISION_TERM')}\s*[:：\-–]\s*([^\n.;]{{1,60}})"
YES = word("YES")
NO = word("NO")
DECISION_FULLY = any_of("FULLY")
DECISION_PARTIALLY = any_of("PARTIALLY")
DECISION_NOT = any_of("HUMAN")
#: "the decision was made automatically", "a pris cette décision automatiquement".
DECISION_AUTOMATIC = rf"{DECISION_WORD}\W+(?:\S+\s+){{0,5}}?{AUTO_ADVERB}"
NEGATION = word("NEGATION")
POST_NEGATION = word("POST_NEGATION")
GENERIC = word("GENERIC")

SOURCES = {
    "SOURCE_TRUSTED_FLAGGER": any_of("TRUSTED_FLAGGER"),
    "SOURCE_ARTICLE_16": any_of("NOTICE"),
    "SOURCE_VOLUNTARY": any_of("OWN_INITIATIVE"),
    "SOURCE_TYPE_OTHER_NOTIFICATION": any_of("AUTHORITY_ORDER"),
}

EEA_WIDE = word("EEA_WIDE")
WORLDWIDE = word("WORLDWIDE")
SCOPE_CONTEXT = any_of("SCOPE_CONTEXT")
SCOPE_LABEL = rf"{any_of('SCOPE_LABEL')}\s*[:\-–]\s*([^\n]{{1,200}})"
IN = rf"\b{any_of('IN')}\s+(?:the\s+|l'|la\s+|le\s+|die\s+|der\s+|de\s+|het\s+|el\s+|a\s+|o\s+)?"

UNTIL = any_of("UNTIL")
UNTIL_AFTER = any_of("UNTIL_AFTER")
UNITS = {
    "PT{}H": any_of("HOURS"),
    "P{}D": any_of("DAYS"),
    "P{}W": any_of("WEEKS"),
    "P{}M": any_of("MONTHS"),
}
_UNIT = "(?:" + "|".join(UNITS.values()) + ")"
#: "for 7 days", "pendant 7 jours", "لمدة 7 أيام"; Turkish "7 gün süreyle" (number first).
DURATION = (
    rf"\b{any_of('FOR')}\s+(\d{{1,4}})\s+({_UNIT})\b|"
    rf"\b(\d{{1,4}})\s+({_UNIT})\s+{any_of('FOR_AFTER')}\b"
)
DATE_LABEL = any_of("DATE_LABEL")
CONTENT_DATE = word("CONTENT_DATE")

REDRESS = {
    "INTERNAL_COMPLAINT": rf"\b{any_of('APPEAL')}",
    "OUT_OF_COURT_SETTLEMENT": any_of("OUT_OF_COURT"),
    "JUDICIAL_REDRESS": any_of("COURT"),
    "DSC_COMPLAINT": any_of("DSC"),
}

PUID_LABEL = (
    rf"{any_of('PUID_LABEL')}"
    r"\s*(?:[:#]|no\.?|nr\.?|n°)\s*([A-Za-z0-9][A-Za-z0-9_:./-]{2,80})"
)
PUID_URLS = (
    r"(?:twitter|x)\.com/[^/\s]+/status/(\d+)",
    r"facebook\.com/(?:[^\s?]+/)?(?:posts|videos|photos|permalink)/(?:[^\s?/]+/)?([\w.]+)",
    r"facebook\.com/story\.php\?(?:[^\s]*&)?story_fbid=(\w+)",
    r"instagram\.com/(?:p|reel|tv)/([\w-]+)",
    r"threads\.(?:net|com)/@[^/\s]+/post/([\w-]+)",
    r"youtube\.com/watch\?(?:[^\s]*&)?v=([\w-]{6,})",
    r"youtu\.be/([\w-]{6,})",
    r"youtube\.com/shorts/([\w-]{6,})",
    r"tiktok\.com/@[^/\s]+/(?:video|photo)/(\d+)",
    r"linkedin\.com/(?:feed/update|posts)/([\w:%-]+)",
    r"reddit\.com/r/\w+/comments/(\w+)",
    r"t\.me/[\w]+/(\d+)",
)
