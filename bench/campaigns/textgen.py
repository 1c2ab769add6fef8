"""Text for the benchmark's synthetic posts: words, sentences, and the ways campaigns vary
their text to look organic (character edits, paraphrases, homoglyphs, transliteration).

Words are random strings of each script with Zipf frequencies, so the text is not a
language, but it has what matters to a detector: a few very common words, a long tail,
clauses separated by the language's comma, and scripts with and without spaces.
"""

from __future__ import annotations

import numpy as np

ALPHABETS = {
    "en": ("abcdefghijklmnopqrstuvwxyz", " "),
    "es": ("abcdefghijklmnopqrstuvwxyzáéíóúñ", " "),
    "tr": ("abcdefghijklmnoprstuvyzçğışöü", " "),
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщыьэюя", " "),
    "el": ("αβγδεζηθικλμνξοπρστυφχψω", " "),
    "ar": ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", " "),
    "hi": ("कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह", " "),
    "zh": ("".join(chr(c) for c in range(0x4E00, 0x4E00 + 1500)), ""),
}
LANGS = list(ALPHABETS)
LANG_WEIGHTS = np.array([0.3, 0.18, 0.07, 0.12, 0.06, 0.12, 0.08, 0.07])
#: Languages of planted groups (six: three scripts that evaders mix, and three others).
PLANTED_LANGS = ("en", "es", "ru", "el", "ar", "hi")
CROSS_SCRIPT_LANGS = ("en", "es", "ru", "el")
COMMA = {"ar": "،", "zh": "，"}
EMOJI = ["🔥", "👇", "‼️", "😡", "🙏", "✊", "📢", "💯", "🇺🇳", "❗"]

# Look-alike letters an evader swaps in (Latin -> Cyrillic or Greek, and back).
LATIN_TO_CYRILLIC = dict(zip("aceopxyiABCEHKMOPTX", "асеорхуіАВСЕНКМОРТХ", strict=True))
LATIN_TO_GREEK = dict(zip("aiovyABEHIKMNOPTXYZ", "αιονγΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", strict=True))
CYRILLIC_TO_LATIN = {v: k for k, v in LATIN_TO_CYRILLIC.items()}
GREEK_TO_LATIN = {v: k for k, v in LATIN_TO_GREEK.items()}
# Informal romanisation as people type it, with the variants they use.
TRANSLIT_RU = {
    "а": ["a"], "б": ["b"], "в": ["v"], "г": ["g"], "д": ["d"], "е": ["e"], "ё": ["e", "yo"],
    "ж": ["zh"], "з": ["z"], "и": ["i"], "й": ["y", "i", "j"], "к": ["k"], "л": ["l"],
    "м": ["m"], "н": ["n"], "о": ["o"], "п": ["p"], "р": ["r"], "с": ["s"], "т": ["t"],
    "у": ["u"], "ф": ["f"], "х": ["kh", "h"], "ц": ["ts", "c"], "ч": ["ch"], "ш": ["sh"],
    "щ": ["shch", "sch"], "ы": ["y"], "ь": ["", "'"], "э": ["e"], "ю": ["yu", "iu"],
    "я": ["ya", "ia"],
}  # fmt: skip
TRANSLIT_EL = {
    "α": ["a"], "β": ["v", "b"], "γ": ["g"], "δ": ["d"], "ε": ["e"], "ζ": ["z"],
    "η": ["i", "h"], "θ": ["th", "8"], "ι": ["i"], "κ": ["k"], "λ": ["l"], "μ": ["m"],
    "ν": ["n"], "ξ": ["x", "ks"], "ο": ["o"], "π": ["p"], "ρ": ["r"], "σ": ["s"],
    "τ": ["t"], "υ": ["y", "u"], "φ": ["f"], "χ": ["ch", "x"], "ψ": ["ps"], "ω": ["o", "w"],
}  # fmt: skip


class Vocab:
    """Random words per language with Zipf frequencies."""

    def __init__(self, rng: np.random.Generator, size: int = 4000) -> None:
        self.words: dict[str, list[str]] = {}
        ranks = np.arange(1, size + 1)
        p = 1.0 / ranks**1.05
        self.p = p / p.sum()
        for lang, (alphabet, _sep) in ALPHABETS.items():
            letters = np.array(list(alphabet))
            if lang == "zh":
                lens = rng.integers(1, 3, size)
            else:
                lens = np.clip(rng.poisson(5, size), 2, 12)
            self.words[lang] = ["".join(letters[rng.integers(0, len(letters), n)]) for n in lens]

    def word(self, rng: np.random.Generator, lang: str, common: bool = False) -> str:
        words = self.words[lang]
        if common:
            return words[int(rng.choice(len(words), p=self.p))]
        return words[int(rng.integers(0, len(words)))]

    def sentences(
        self, rng: np.random.Generator, lang: str, count: int, lo: int, hi: int
    ) -> list[str]:
        sep = ALPHABETS[lang][1]
        words = self.words[lang]
        lens = rng.integers(lo, hi + 1, count)
        idx = rng.choice(len(words), size=int(lens.sum()), p=self.p)
        out, pos = [], 0
        for n in lens:
            out.append(sep.join(words[i] for i in idx[pos : pos + n]))
            pos += n
        return out

    def clauses(self, rng: np.random.Generator, lang: str) -> list[list[str]]:
        """A template: two or three clauses of five to eight words."""
        out = []
        for _ in range(int(rng.integers(2, 4))):
            n = int(rng.integers(5, 9))
            out.append([self.word(rng, lang, common=rng.random() < 0.6) for _ in range(n)])
        return out


def join_clauses(clauses: list[list[str]], lang: str) -> str:
    sep = ALPHABETS[lang][1]
    comma = COMMA.get(lang, ",")
    return (comma + sep).join(sep.join(c) for c in clauses)


def edit(rng: np.random.Generator, text: str, lang: str, strength: int = 2) -> str:
    """A light human edit: a few character changes, maybe an emoji or upper case."""
    chars = list(text)
    alphabet = ALPHABETS[lang][0]
    for _ in range(int(rng.integers(0, strength + 1))):
        if len(chars) < 8:
            break
        i = int(rng.integers(0, len(chars)))
        op = rng.integers(0, 3)
        c = alphabet[int(rng.integers(0, len(alphabet)))]
        if op == 0:
            chars[i] = c
        elif op == 1:
            chars.insert(i, c)
        else:
            del chars[i]
    out = "".join(chars)
    r = rng.random()
    if r < 0.3:
        out = out + " " + EMOJI[int(rng.integers(0, len(EMOJI)))]
    elif r < 0.45:
        out = EMOJI[int(rng.integers(0, len(EMOJI)))] + " " + out
    elif r < 0.6:
        out = out.upper() if lang in ("en", "es", "tr", "ru", "el") else out
    return out


def paraphrase(
    rng: np.random.Generator, vocab: Vocab, clauses: list[list[str]], lang: str, tags: list[str]
) -> str:
    """Three to five word edits (a word swapped for another, added or dropped), the
    clauses reordered half of the time, hashtags and emoji added."""
    cl = [list(c) for c in clauses]
    for _ in range(int(rng.integers(3, 6))):
        c = cl[int(rng.integers(0, len(cl)))]
        op = rng.random()
        i = int(rng.integers(0, len(c)))
        if op < 0.5:
            c[i] = vocab.word(rng, lang, common=rng.random() < 0.5)
        elif op < 0.75 or len(c) < 4:
            c.insert(i, vocab.word(rng, lang, common=True))
        else:
            del c[i]
    if rng.random() < 0.5:
        cl = [cl[i] for i in rng.permutation(len(cl))]
    text = join_clauses(cl, lang)
    extra = []
    if rng.random() < 0.7:
        extra += ["#" + t for t in rng.choice(tags, size=int(rng.integers(1, 3)), replace=False)]
    if rng.random() < 0.6:
        extra.append(EMOJI[int(rng.integers(0, len(EMOJI)))])
    rng.shuffle(extra)
    return (text + " " + " ".join(extra)).strip() if extra else text


def homoglyphs(rng: np.random.Generator, text: str, lang: str) -> str:
    """Swap 30-70 % of the letters that have a look-alike in another script."""
    if lang == "ru":
        table = CYRILLIC_TO_LATIN
    elif lang == "el":
        table = GREEK_TO_LATIN
    else:
        table = LATIN_TO_CYRILLIC if rng.random() < 0.6 else LATIN_TO_GREEK
    share = rng.uniform(0.3, 0.7)
    return "".join(table[c] if c in table and rng.random() < share else c for c in text)


def transliterate(rng: np.random.Generator, text: str, lang: str) -> str:
    """Russian or Greek typed in Latin letters, each writer with their own variants."""
    table = TRANSLIT_RU if lang == "ru" else TRANSLIT_EL
    pick = {c: v[int(rng.integers(0, len(v)))] for c, v in table.items()}
    return "".join(pick.get(c, pick.get(c.lower(), c)) for c in text.lower())


def cross_script(rng: np.random.Generator, text: str, lang: str) -> str:
    """A copy that evades exact and script-bound matching: homoglyphs, or (Russian and
    Greek) transliteration half of the time; plus a light edit."""
    if lang in ("ru", "el") and rng.random() < 0.5:
        out = transliterate(rng, text, lang)
    else:
        out = homoglyphs(rng, text, lang)
    return edit(rng, out, "en" if out.isascii() else lang, 1)
