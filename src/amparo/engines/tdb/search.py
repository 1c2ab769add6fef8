"""Free-text search over the statements' own words: ``decision_facts`` and the grounds.

DuckDB's ``fts`` extension is downloaded on first use, which an offline server cannot do, and
its index would have to be rebuilt over billions of rows after every ingest. The search here
needs neither: it reads the text columns of the Parquet store with regular expressions on a
normalised form of the text, so it works on any store as soon as a dump is ingested, and costs
a scan of the text of the statements in the chosen range (narrow by platform and days first).

Query language (what a researcher types):

* ``hate speech``: both words, anywhere (AND);
* ``"hate speech"``: the phrase, words in that order;
* ``election OR Wahl``: either (``OR`` in capitals, or ``|``); AND binds tighter, so
  ``journalist threat OR doxxing`` means (journalist AND threat) OR doxxing;
* ``-spam``: statements without the word;
* ``elect*``: any word starting with ``elect``.

Matching ignores case and accents (``élection`` = ``ELECTION``). A word also matches its
inflected forms (a light stem: ``journalists`` finds ``journalist``, ``journaliste``,
``Journalistin``) and its translations in the table :data:`VARIANTS` (``election`` finds
``Wahlen``, ``elecciones``, ``wybory``, ``εκλογές`` …). Phrases match exactly (normalised), with
no stems or translations. What it cannot do: rank results, find misspellings, or translate
words outside :data:`VARIANTS`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The columns a search reads, by the name a user picks.
FIELDS: dict[str, tuple[str, ...]] = {
    "all": (
        "decision_facts",
        "incompatible_content_ground",
        "incompatible_content_explanation",
        "illegal_content_legal_ground",
        "illegal_content_explanation",
    ),
    "facts": ("decision_facts",),
    "grounds": (
        "incompatible_content_ground",
        "incompatible_content_explanation",
        "illegal_content_legal_ground",
        "illegal_content_explanation",
    ),
}

MAX_TERMS = 40
MAX_LENGTH = 500
#: Letters a stemmed word may carry after its stem (``journalist`` + ``innen``).
SUFFIX_LETTERS = 6
MIN_STEM = 4

# Letters that do not decompose into a base letter and an accent. A query is folded to the
# base letters; the patterns accept either (folding the text instead would cost a scan of
# every statement's text more than the search itself).
_ONE_TO_ONE = ("łøđðıħŀ", "loddihl")
_ONE_TO_MANY = (("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("þ", "th"), ("ς", "σ"))
_LETTER_CLASS: dict[str, str] = {}
for _a, _b in zip(*_ONE_TO_ONE, strict=True):
    _LETTER_CLASS[_b] = _LETTER_CLASS.get(_b, _b) + _a
_LETTER_CLASS["σ"] = "σς"
_LIGATURES = {b: a for a, b in _ONE_TO_MANY if len(b) == 2}

#: Suffixes stripped (longest first) to find a word's stem, across the EU's main languages.
_SUFFIXES = tuple(
    sorted(
        {
            # English
            "ings", "ing", "ers", "er", "ed", "es", "s",
            # German, Dutch, Scandinavian
            "innen", "ern", "en", "in", "e", "erna", "arna",
            # French, Spanish, Italian, Portuguese, Romanian
            "oes", "ao", "i", "a", "o", "os", "as", "ii", "elor", "ele", "ul",
            # Polish, Czech
            "ami", "ach", "ow", "y", "om",
        },
        key=lambda s: (-len(s), s),
    )
)  # fmt: skip

#: Words of one meaning in several languages (normalised: no accents, lower case). A word of
#: the query that is in a group matches every word of the group, each with its stem.
VARIANTS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        # election(s)
        "election elections wahl wahlen verkiezing verkiezingen eleccion elecciones elezione "
        "elezioni eleicao eleicoes wybory volby izbori alegeri valg vaalit εκλογεσ выборы "
        "вибори",
        # journalist, journalism, the press
        "journalist journalists journalism journaliste journalisme journalistin journalisten "
        "periodista periodismo giornalista giornalismo jornalista jornalismo dziennikarz "
        "dziennikarka dziennikarstwo novinar novinarka ziarist ziarista δημοσιογραφοσ "
        "журналист журналіст",
        # activist, human rights defender
        "activist activists aktivist aktivistin activiste activista attivista aktywista "
        "aktywistka ακτιβιστησ активист активіст",
        # hate
        "hate hass haine odio haat nienawisc μισοσ ненависть",
        # harassment
        "harassment harass harcelement belastigung acoso molestia assedio nekanie intimidatie "
        "hartuitre παρενοχληση домогательство",
        # threat
        "threat threats threaten drohung bedrohung menace menaces amenaza amenazas minaccia "
        "minacce ameaca ameacas grozba grozby bedreiging amenintare απειλη угроза погроза",
        # defamation, libel, slander
        "defamation libel slander verleumdung nachrede diffamation calomnie difamacion "
        "calumnia diffamazione calunnia difamacao calunia znieslawienie pomowienie smaad laster "
        "defaimare δυσφημιση клевета наклеп",
        # insult
        "insult insults beleidigung injure insulte insulto injuria ingiuria obelga "
        "zniewazenie belediging insulta προσβολη оскорбление образа",
        # incitement
        "incitement incite volksverhetzung aufstachelung incitation incitacion incitamento "
        "incitazione istigazione podzeganie nawolywanie aanzetten instigare υποκινηση "
        "подстрекательство підбурювання",
        # violence
        "violence gewalt violencia violenza przemoc geweld nasilje violenta βια насилие насильство",
        # disinformation, misinformation
        "disinformation misinformation desinformation fehlinformation desinformacion "
        "disinformazione desinformacao dezinformacja desinformatie dezinformare "
        "παραπληροφορηση дезинформация дезінформація",
        # terrorism
        "terrorism terrorist terrorismus terrorisme terroriste terrorismo terrorista "
        "terroryzm terrorysta τρομοκρατια терроризм тероризм",
        # women, gender
        "women woman frau frauen femme femmes mujer mujeres donna donne mulher mulheres kobieta "
        "kobiety vrouw vrouwen femeie femei γυναικα γυναικεσ женщина жінка",
        # doxxing, personal data published
        "doxxing doxing dox",
        # impersonation
        "impersonation impersonate identitatsdiebstahl usurpation suplantacion "
        "sostituzione personificacao podszywanie imitatie uzurpare",
        # stalking
        "stalking stalker nachstellung acecho persecutori perseguicao belaging urmarire",
        # protest, demonstration
        "protest protests demonstration manifestation manifestacion manifestazione "
        "manifestacao demonstracja betoging manifestatie διαμαρτυρια протест",
    )
)
_GROUP_OF: dict[str, frozenset[str]] = {}
for _group in VARIANTS:
    for _word in _group:
        _GROUP_OF.setdefault(_word, _group)


class SearchError(ValueError):
    """A query that cannot be searched for: ``code`` names the mistake (for a translated
    message), the text says it in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Term:
    """One word (``prefix``: ended with ``*``) or phrase of a query; ``negated``: ``-word``."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """Alternatives (OR) of groups of terms that must all hold (AND)."""

    groups: tuple[tuple[Term, ...], ...]
    text: str = ""


def normalise_text(text: str) -> str:
    """Lower case without accents: what :func:`normalised_sql` makes of a statement's text."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def normalise(text: str) -> str:
    """A query's words: :func:`normalise_text` with the letters that have no accent to strip
    folded too (``Łódź`` → ``lodz``, ``Straße`` → ``strasse``)."""
    out = normalise_text(text).translate(str.maketrans(*_ONE_TO_ONE))
    for a, b in _ONE_TO_MANY:
        out = out.replace(a, b)
    return out


def normalised_sql(expression: str) -> str:
    """SQL (DuckDB) for the normalised form of a text ``expression``."""
    return f"lower(strip_accents({expression}))"


def _letters(word: str) -> str:
    """A normalised word as a pattern that also accepts the unfolded letters (``lodz``
    matches ``łodz``, ``strasse`` ``straße``)."""

    def one(ch: str) -> str:
        alternatives = _LETTER_CLASS.get(ch)
        return f"[{alternatives}]" if alternatives else re.escape(ch)

    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _LIGATURES:
            out.append(f"(?:{one(pair[0])}{one(pair[1])}|{_LIGATURES[pair]})")
            i += 2
        else:
            out.append(one(word[i]))
            i += 1
    return "".join(out)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\|)|(\S+)')
_WORD = re.compile(r"[\w]+", re.UNICODE)


def parse(text: str) -> Query:
    """Parse what a user typed (see the module docstring); raises :class:`SearchError`."""
    text = (text or "").strip()
    if not text:
        raise SearchError("empty", "Type a word or a phrase to search for.")
    if len(text) > MAX_LENGTH:
        raise SearchError("too_long", f"A search can be at most {MAX_LENGTH} characters long.")
    if text.count('"') % 2:
        raise SearchError("unclosed", 'A phrase is missing its closing quotation mark (").')
    groups: list[list[Term]] = [[]]
    count = 0
    for m in _TOKEN.finditer(text):
        negated_phrase, phrase, bar, word = m.groups()
        if bar or word == "OR":
            if not groups[-1]:
                raise SearchError("lonely_or", "OR needs a word or a phrase on each side.")
            groups.append([])
            continue
        if phrase is not None:
            words = tuple(_WORD.findall(normalise(phrase)))
            if not words:
                raise SearchError("empty_phrase", "A phrase in quotation marks holds no word.")
            term = Term(words, phrase=True, negated=bool(negated_phrase))
        else:
            assert word is not None
            negated = word.startswith("-") and len(word) > 1
            raw = word[1:] if negated else word
            prefix = raw.endswith("*")
            words = tuple(_WORD.findall(normalise(raw.rstrip("*"))))
            if not words:
                continue  # punctuation alone
            if len(words) > 1:  # "e-mail", "art.130": the words in a row
                term = Term(words, phrase=True, negated=negated)
            else:
                term = Term(words, prefix=prefix, negated=negated)
            if prefix and len(words[-1]) < 3:
                raise SearchError(
                    "short_prefix", "A word ending in * needs at least three letters before it."
                )
        groups[-1].append(term)
        count += 1
        if count > MAX_TERMS:
            raise SearchError(
                "too_many", f"A search can hold at most {MAX_TERMS} words and phrases."
            )
    if count == 0:
        raise SearchError("empty", "Type a word or a phrase to search for.")
    if not groups[-1]:
        raise SearchError("lonely_or", "OR needs a word or a phrase on each side.")
    for group in groups:
        if all(t.negated for t in group):
            raise SearchError(
                "only_excluded", "A part of the search holds only excluded words (-word)."
            )
    return Query(tuple(tuple(g) for g in groups), text)


def stem(word: str) -> str:
    """A light stem: the longest known inflection removed when at least :data:`MIN_STEM`
    letters remain (``journalists`` → ``journalist``, ``elecciones`` → ``eleccion``)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def variants(word: str) -> list[str]:
    """``word`` and its translations in :data:`VARIANTS` (normalised), sorted."""
    group = _GROUP_OF.get(word) or _GROUP_OF.get(stem(word)) or frozenset()
    if not group:
        stemmed = stem(word)
        group = next((g for g in VARIANTS if any(stem(w) == stemmed for w in g)), frozenset())
    return sorted({word, *group})


_LEFT = r"(?:^|[^\pL\pN])"
_RIGHT = r"(?:[^\pL\pN]|$)"


def term_pattern(term: Term) -> str:
    """An RE2 regular expression (DuckDB's) for ``term`` over normalised text."""
    if term.phrase:
        body = r"[^\pL\pN]+".join(_letters(w) for w in term.words)
        return f"{_LEFT}{body}{_RIGHT}"
    word = term.words[0]
    if term.prefix:
        return f"{_LEFT}{_letters(word)}"
    stems, exact = set(), set()
    for v in variants(word):
        s = stem(v)
        if len(s) < MIN_STEM:
            exact.add(_letters(v))  # short words match as they are
        else:
            stems.add(_letters(s))
    # One repetition after all the stems: repeating it per stem makes RE2 slow.
    options = [f"(?:{'|'.join(sorted(stems))})\\pL{{0,{SUFFIX_LETTERS}}}"] if stems else []
    options += sorted(exact)
    return f"{_LEFT}(?:{'|'.join(options)}){_RIGHT}"


def text_sql(fields: str = "all") -> str:
    """SQL for the normalised text a search reads: the chosen columns joined by newlines."""
    if fields not in FIELDS:
        raise SearchError("fields", f"Unknown search fields {fields!r}.")
    joined = "concat_ws(chr(10), " + ", ".join(FIELDS[fields]) + ")"
    return normalised_sql(joined)


def where_sql(query: Query, text: str = "__text") -> tuple[str, list[str]]:
    """A WHERE condition over the column ``text`` (the :func:`text_sql` of a row), and its
    parameters: one regular expression per term."""
    params: list[str] = []
    alternatives = []
    for group in query.groups:
        tests = []
        for term in group:
            params.append(term_pattern(term))
            test = f"regexp_matches({text}, ?)"
            tests.append(f"NOT {test}" if term.negated else test)
        alternatives.append("(" + " AND ".join(tests) + ")")
    return "(" + " OR ".join(alternatives) + ")", params


def matches(query: Query, text: str) -> bool:
    """Whether ``text`` matches ``query``, in Python: the same patterns as the SQL, with
    ``\\pL``/``\\pN`` written as Python's Unicode letter and digit classes (for tests)."""
    norm = normalise_text(text)

    def hit(term: Term) -> bool:
        pattern = term_pattern(term).replace(r"[^\pL\pN]", r"[\W_]").replace(r"\pL", r"[^\W\d_]")
        return re.search(pattern, norm) is not None

    return any(all(hit(t) != t.negated for t in group) for group in query.groups)


def describe(query: Query) -> str:
    """The query as it was understood, for the page and the chart titles."""
    parts = []
    for group in query.groups:
        words = []
        for t in group:
            shown = " ".join(t.words)
            shown = f'"{shown}"' if t.phrase else shown + ("*" if t.prefix else "")
            words.append(("-" if t.negated else "") + shown)
        parts.append(" ".join(words))
    return " OR ".join(parts)
