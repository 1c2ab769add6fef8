"""Self-described gender, mapped to categories that can be counted.

People describe their gender in their own words, in any language; the words are kept as they
wrote them (encrypted, on the report) and never changed. For figures each description is mapped
to one of five categories by a transparent keyword list, the same for everyone, in the twelve
languages of the form plus English and German:

``woman``, ``man``, ``non_binary`` (non-binary and gender-diverse: genderqueer, agender, trans
without more, two-spirit, waria, khawaja sira...), ``prefer_not_to_say``, ``other_unknown``
(blank, or words the list does not know: counted, never guessed).

Rules, in order: a phrase declining to answer wins; then "trans woman" / "trans man" phrases
(a trans woman is a woman); then non-binary and gender-diverse words; then words for women,
then for men. Text is compared without case, accents or hamza variants, whole words only (so
"woman" never matches "man"). ``docs/accountability.md`` lists the words.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CATEGORIES", "KEYWORDS", "categorise", "normalise"]

CATEGORIES = ("woman", "man", "non_binary", "prefer_not_to_say", "other_unknown")

#: Keywords per category, by language (documentation and tests read this table).
KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "prefer_not_to_say": {
        "en": ("prefer not to say", "rather not say", "prefer not to answer", "prefer not"),
        "de": ("keine angabe", "möchte ich nicht sagen", "lieber nicht sagen"),
        "es": ("prefiero no decir", "prefiero no decirlo", "prefiero no responder"),
        "fr": ("préfère ne pas dire", "préfère ne pas répondre", "je ne souhaite pas le dire"),
        "pt": ("prefiro não dizer", "prefiro não responder", "prefiro não informar"),
        "ar": ("أفضل عدم القول", "أفضل عدم الإجابة", "أفضل عدم الإفصاح", "لا أرغب في الإجابة"),
        "fa": ("ترجیح میدهم نگویم", "ترجیح می دهم نگویم", "نمی خواهم بگویم"),
        "ur": ("بتانا نہیں چاہتی", "بتانا نہیں چاہتا", "نہیں بتانا چاہتی", "نہیں بتانا چاہتا"),
        "ru": ("предпочитаю не говорить", "не хочу говорить", "не скажу"),
        "uk": ("волію не казати", "не хочу казати", "не скажу"),
        "tr": ("söylemek istemiyorum", "belirtmek istemiyorum"),
        "sw": ("sipendi kusema", "napendelea kutosema", "sitaki kusema"),
        "id": ("tidak ingin menyebutkan", "lebih suka tidak menyebutkan", "rahasia"),
        "vi": ("không muốn nói", "không muốn trả lời"),
    },
    "trans_woman": {
        "en": ("trans woman", "transwoman", "transgender woman", "trans female"),
        "de": ("trans frau", "transfrau"),
        "es": ("mujer trans", "mujer transgénero"),
        "fr": ("femme trans", "femme transgenre"),
        "pt": ("mulher trans", "mulher transgênero"),
        "ar": ("امرأة عابرة", "امرأة متحولة"),
        "fa": ("زن ترنس",),
        "ur": ("ٹرانس عورت",),
        "ru": ("транс женщина", "трансженщина"),
        "uk": ("транс жінка", "трансжінка"),
        "tr": ("trans kadın",),
        "sw": ("mwanamke trans",),
        "id": ("transpuan", "perempuan trans"),
        "vi": ("phụ nữ chuyển giới",),
    },
    "trans_man": {
        "en": ("trans man", "transman", "transgender man", "trans male"),
        "de": ("trans mann", "transmann"),
        "es": ("hombre trans", "hombre transgénero"),
        "fr": ("homme trans", "homme transgenre"),
        "pt": ("homem trans", "homem transgênero"),
        "ar": ("رجل عابر", "رجل متحول"),
        "fa": ("مرد ترنس",),
        "ur": ("ٹرانس مرد",),
        "ru": ("транс мужчина", "трансмужчина"),
        "uk": ("транс чоловік", "трансчоловік"),
        "tr": ("trans erkek",),
        "sw": ("mwanamume trans",),
        "id": ("transpria", "laki laki trans"),
        "vi": ("nam chuyển giới",),
    },
    "non_binary": {
        "en": (
            "non binary",
            "nonbinary",
            "enby",
            "genderqueer",
            "gender queer",
            "genderfluid",
            "gender fluid",
            "agender",
            "gender diverse",
            "two spirit",
            "trans",
            "transgender",
            "intersex",
            "queer",
        ),
        "de": ("nichtbinär", "nicht binär", "divers", "genderfluid"),
        "es": ("no binario", "no binaria", "no binarie", "género fluido", "trans"),
        "fr": ("non binaire", "genre fluide", "agenre"),
        "pt": ("não binário", "não binária", "não binárie", "gênero fluido"),
        "ar": ("غير ثنائي", "غير ثنائية", "لا ثنائي", "عابر", "عابرة", "كوير", "متحول"),
        "fa": ("غیر دوتایی", "نان باینری", "ترنس", "کوییر"),
        "ur": ("خواجہ سرا", "ٹرانس", "غیر ثنائی", "خنثی"),
        "ru": ("небинарный", "небинарная", "небинарное", "гендерквир", "агендер"),
        "uk": ("небінарна", "небінарний", "небінарне", "гендерквір"),
        "tr": ("ikili olmayan", "non binary", "cinsiyetsiz"),
        "sw": ("si wa jinsia mbili", "jinsia tofauti"),
        "id": ("non biner", "nonbiner", "waria"),
        "vi": ("phi nhị nguyên", "người chuyển giới", "song tính giới"),
    },
    "woman": {
        "en": ("woman", "female", "f", "girl", "lady", "she", "she her"),
        "de": ("frau", "weiblich", "w"),
        "es": ("mujer", "femenino", "femenina", "chica"),
        "fr": ("femme", "féminin", "féminine", "fille"),
        "pt": ("mulher", "feminino", "feminina", "menina"),
        "ar": ("امرأة", "إمرأة", "مرأة", "انثى", "أنثى", "فتاة", "سيدة", "بنت"),
        "fa": ("زن", "خانم", "دختر", "مونث"),
        "ur": ("عورت", "خاتون", "لڑکی", "خاتون", "مونث"),
        "ru": ("женщина", "женский", "женская", "жен", "девушка"),
        "uk": ("жінка", "жіноча", "жіночий", "дівчина"),
        "tr": ("kadın", "kız", "kadin"),
        "sw": ("mwanamke", "msichana", "kike"),
        "id": ("perempuan", "wanita", "cewek"),
        "vi": ("nữ", "phụ nữ", "con gái"),
    },
    "man": {
        "en": ("man", "male", "m", "boy", "he", "he him"),
        "de": ("mann", "männlich"),
        "es": ("hombre", "masculino", "chico", "varón"),
        "fr": ("homme", "masculin", "garçon"),
        "pt": ("homem", "masculino", "rapaz"),
        "ar": ("رجل", "ذكر", "شاب"),
        "fa": ("مرد", "پسر", "مذکر"),
        "ur": ("مرد", "لڑکا", "مذکر"),
        "ru": ("мужчина", "мужской", "муж", "парень"),
        "uk": ("чоловік", "чоловіча", "чоловічий", "хлопець"),
        "tr": ("erkek",),
        "sw": ("mwanamume", "mwanaume", "mvulana", "kiume"),
        "id": ("laki laki", "pria", "lelaki", "cowok"),
        "vi": ("nam", "đàn ông", "con trai"),
    },
}

_ORDER = ("prefer_not_to_say", "trans_woman", "trans_man", "non_binary", "woman", "man")
_RESULT = {"trans_woman": "woman", "trans_man": "man"}
_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "\u200c": " ", "ـ": ""})


def normalise(text: str) -> str:
    """Lower case, without accents, hamza variants or tatweel, words separated by one space."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text)
    return " ".join(re.findall(r"\w+", text))


_COMPILED = {
    category: re.compile(
        r"(?<!\w)(?:"
        + "|".join(
            sorted(
                {re.escape(normalise(w)) for words in langs.values() for w in words},
                key=len,
                reverse=True,
            )
        )
        + r")(?!\w)"
    )
    for category, langs in KEYWORDS.items()
}


def categorise(text: str | None) -> str:
    """The category of a self-described gender (the words themselves are not changed)."""
    words = normalise(text or "")
    if not words:
        return "other_unknown"
    for category in _ORDER:
        if _COMPILED[category].search(words):
            return _RESULT.get(category, category)
    return "other_unknown"
