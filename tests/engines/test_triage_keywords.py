"""Multilingual keyword patterns: each language's threats fire, its ordinary texts do not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.engines.triage import keywords
from amparo.engines.triage.keywords import scan

THREAT_CODES = {"death_threat", "sexual_violence_threat", "violence_threat", "knows_location"}
LANGUAGES = ["en", "es", "fr", "pt", "ar", "fa", "ur", "ru", "uk", "tr", "vi", "id", "sw"]

# (language, a threatening report, an ordinary report about an account problem)
SAMPLES = [
    (
        "en",
        "They keep sending me messages saying they will kill me.",
        "Instagram removed my post about our skills workshop and my reach has dropped.",
    ),
    (
        "es",
        "Me escribieron que me van a matar y que saben dónde vivo.",
        "Facebook eliminó mi publicación sobre el taller de periodismo y casi nadie ve mi página.",
    ),
    (
        "fr",
        "Ils m'ont envoyé des menaces de mort et disent qu'ils vont me tuer.",
        "Ma publication sur la manifestation a été supprimée et mon compte n'apparaît plus.",
    ),
    (
        "pt",
        "Recebi mensagens dizendo que vão me matar e que sabem onde eu moro.",
        "O Instagram removeu minha publicação sobre a oficina e o alcance da página caiu muito.",
    ),
    (
        "ar",
        "أرسلوا لي رسائل يهددونني فيها بالقتل",
        "قامت فيسبوك بحذف منشوري عن الانتخابات وانخفض وصول صفحتي",
    ),
    (
        "fa",
        "به من پیام دادند که می‌کشیمت و تهدید به مرگ کردند",
        "اینستاگرام پست من درباره انتخابات را حذف کرد و بازدید صفحه‌ام کم شده است",
    ),
    (
        "ur",
        "مجھے جان سے مارنے کی دھمکیاں مل رہی ہیں",
        "فیس بک نے انتخابات کے بارے میں میری پوسٹ ہٹا دی اور میرے صفحے کی رسائی کم ہو گئی ہے",
    ),
    (
        "ru",
        "Мне пишут, что меня убьют, и угрожают расправой.",
        "Мой пост о выборах удалили, а охват страницы резко упал.",
    ),
    (
        "uk",
        "Мені пишуть, що мене вб’ють, і погрожують розправою.",
        "Мій допис про вибори видалили, і охоплення сторінки різко впало.",
    ),
    (
        "tr",
        "Bana seni öldüreceğiz diye mesaj attılar.",
        "Hesabım sebepsiz yere askıya alındı ve paylaşımlarım artık görünmüyor.",
    ),
    (
        "vi",
        "Họ nhắn tin đe dọa sẽ giết tôi.",
        "Bài viết của tôi trên Facebook bị gỡ và trang của tôi bị giảm tương tác.",
    ),
    (
        "id",
        "Mereka mengirim pesan bahwa mereka akan membunuh saya.",
        "Unggahan saya tentang lingkungan dihapus oleh Instagram dan jangkauan akun saya turun.",
    ),
    (
        "sw",
        "Wananitumia ujumbe kwamba wataniua.",
        "Akaunti yangu ya Facebook imefungwa bila sababu na machapisho yangu yameondolewa.",
    ),
]


def test_every_language_has_data_and_samples():
    assert set(keywords.languages()) >= set(LANGUAGES)
    assert {lang for lang, _, _ in SAMPLES} == set(LANGUAGES)


@pytest.mark.parametrize("block", keywords.BLOCKS, ids=lambda b: b["language"])
def test_blocks_are_valid(block):
    assert keywords.validate(block) == []


@pytest.mark.parametrize(("lang", "threat", "benign"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_threat_fires_in_its_language(lang, threat, benign):
    hits = scan(threat)
    assert any(h.language == lang and h.code in THREAT_CODES for h in hits), hits
    assert all(h.matched and h.matched in threat for h in hits)


@pytest.mark.parametrize(("lang", "threat", "benign"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_ordinary_report_fires_nothing(lang, threat, benign):
    assert scan(benign) == []


# (language, text, the reason code it must trigger)
MORE = [
    ("en", "We know where you live", "knows_location"),
    ("en", "She is 15 years old", "minor_mentioned"),
    ("en", "The police came to my house last night and I was detained", "arrest_or_detention"),
    ("en", "Someone is logged into my account and changed my password", "active_takeover"),
    ("en", "They threaten to share my nudes", "intimate_images"),
    ("en", "They said they would rape me", "sexual_violence_threat"),
    ("es", "Una niña de 14 años aparece en las fotos", "minor_mentioned"),
    ("es", "La policía vino a mi casa y me arrestaron", "arrest_or_detention"),
    ("es", "Publicaron la dirección de mi casa", "address_mentioned"),
    ("fr", "On sait où tu habites", "knows_location"),
    ("fr", "Il a été placé en garde à vue", "arrest_or_detention"),
    ("pt", "Ameaçaram estuprar minha filha", "sexual_violence_threat"),
    ("pt", "Minha filha tem 12 anos", "minor_mentioned"),
    ("ar", "اعتقلوا أخي بعد المنشور", "arrest_or_detention"),
    ("ar", "نعرف وين ساكن", "knows_location"),
    ("ar", "هددوا باغتصابها", "sexual_violence_threat"),
    ("fa", "برادرم را بازداشت کردند", "arrest_or_detention"),
    ("fa", "دختر ۱۵ ساله", "minor_mentioned"),
    ("ur", "پولیس آئی اور اسے گرفتار کر لیا", "arrest_or_detention"),
    ("ur", "میری بیٹی کی تصاویر", "minor_mentioned"),
    ("ru", "Мы знаем, где ты живешь", "knows_location"),
    ("ru", "Его задержали после поста", "arrest_or_detention"),
    ("ru", "Угрожают изнасилованием", "sexual_violence_threat"),
    ("uk", "Його затримали після допису", "arrest_or_detention"),
    ("uk", "Ми знаємо де ти живеш", "knows_location"),
    ("tr", "Gözaltına alındı", "arrest_or_detention"),
    ("tr", "Kızım 14 yaşında", "minor_mentioned"),
    ("tr", "Tecavüz tehdidi aldım", "sexual_violence_threat"),
    ("vi", "Anh ấy bị bắt sau bài đăng", "arrest_or_detention"),
    ("vi", "Em gái tôi 15 tuổi", "minor_mentioned"),
    ("id", "Aktivis itu ditangkap polisi", "arrest_or_detention"),
    ("id", "Mereka menyebarkan alamat rumah saya", "address_mentioned"),
    ("sw", "Mwanaharakati alikamatwa jana", "arrest_or_detention"),
    ("sw", "Tunajua unapoishi", "knows_location"),
]


@pytest.mark.parametrize(("lang", "text", "code"), MORE)
def test_more_reasons(lang, text, code):
    hits = scan(text)
    assert any(h.code == code and h.language == lang for h in hits), hits


@pytest.mark.parametrize(
    "text",
    [
        "My skill set is great and this is a killer app.",
        "He is a skilled journalist; the killers of the story were the editors.",
        "It is a minor issue with the app.",
        "La violación de derechos humanos fue documentada.",  # violation, not rape
        "Saya kirim tangkapan layar sebagai bukti.",  # screenshot, not arrest
        "Была задержка с ответом платформы.",  # a delay, not a detention
        "این یک ترور شخصیت است",  # character assassination
        "سلام بچه‌ها، پست من حذف شد",  # "hi folks"
        "Il y a 5 ans que j'utilise ce compte.",  # five years ago
        "Hace 5 años que tengo esta cuenta.",
        "Publicaron mi dirección de correo electrónico.",
        "Desde hace dos días mi cuenta no aparece en las búsquedas.",
        "Nitakupigia simu kesho kuhusu akaunti.",  # I'll phone you tomorrow
    ],
)
def test_no_false_positives(text):
    assert scan(text) == []


def test_matched_phrase_is_shown_as_written():
    (hit,) = [h for h in scan("می‌کشیمت") if h.language == "fa"]
    assert hit.matched == "می‌کشیمت"
    (hit,) = [h for h in scan("دھمکی دی") if h.code == "violence_threat"]
    assert hit.matched == "دھمکی"


def test_preferred_language_comes_first():
    hits = scan("vamos te matar", prefer="pt")
    assert hits[0].language == "pt"


def test_odd_input():
    assert scan("") == []
    assert scan(None) == []  # type: ignore[arg-type]
    assert isinstance(scan("kill " * 20_000), list)


# --- the scan searches each language once, then code by code only where something matched ---


def _scan_code_by_code(text, prefer=None):
    """The straightforward scan: every code pattern of every language searched on its own.
    ``scan`` must give exactly this, in the same order, with the same phrases."""
    from amparo.engines.triage._text import fold_with_source

    if not isinstance(text, str) or not text:
        return []
    source, folded, where = fold_with_source(text[: keywords.MAX_SCAN_CHARS])
    table = keywords.compiled()
    hits = []
    for lang in sorted(table, key=lambda lang: lang != prefer):
        for code, pattern in table[lang].items():
            match = pattern.search(folded)
            if match and match.end() > match.start():
                shown = source[where[match.start()] : where[match.end() - 1] + 1]
                hits.append(keywords.Hit(code=code, language=lang, matched=shown.strip()))
    return hits


def _varied_texts():
    texts = [t for _, threat, benign in SAMPLES for t in (threat, benign)]
    texts += [text for _, text, _ in MORE]
    texts += [
        # overlapping reasons: "death threats" also holds "threats", "rape" in "gang rape"
        "I received death threats and they said they would gang rape me.",
        "Recibí amenazas de muerte; me van a matar. Threats in English too: kill.",
        # several scripts and languages in one report, in upper case, with punctuation
        "THEY WILL KILL ME!!! Мне угрожают. تهديد بالقتل. Beni öldürecekler.",
        # folds that delete characters (tatweel, harakat, half-space) before a match
        "هــددوا بِالقَتْلِ وَالاغتصاب",
        "می‌کشیمت و آدرس خانه‌ام را منتشر کردند",
        "Họ đe dọa giết tôi và biết nhà tôi ở đâu.",
        "",
        "kill",
        "skill killer rapeseed",
    ]
    # each sample followed by every other one: matches early, late and on both sides
    samples = [threat for _, threat, _ in SAMPLES]
    texts += [a + " … " + b for a in samples for b in samples[:5]]
    return texts


@pytest.mark.parametrize("prefer", [None, "en", "ar", "ru", "sw", "xx"])
def test_the_scan_gives_what_a_code_by_code_search_gives(prefer):
    for text in _varied_texts():
        assert scan(text, prefer=prefer) == _scan_code_by_code(text, prefer=prefer), text


_WORDS = sorted(
    {w for _, threat, benign in SAMPLES for w in (threat + " " + benign).split()}
    | {w for _, text, _ in MORE for w in text.split()}
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_WORDS),
            st.text(alphabet="abkilmrt éöİıـًٌ‌’'-.,0123456789", max_size=6),
        ),
        max_size=25,
    ),
    st.sampled_from([None, "en", "es", "ar", "fa", "ru", "tr"]),
)
def test_the_scan_matches_a_code_by_code_search_on_any_text(words, prefer):
    text = " ".join(words)
    assert scan(text, prefer=prefer) == _scan_code_by_code(text, prefer=prefer)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_with_source_lines_up_folded_and_source_characters(text):
    from amparo.engines.triage._text import _TABLE, fold, fold_with_source

    nfkc, folded, where = fold_with_source(text)
    assert folded == fold(text) and len(where) == len(folded)
    assert where == sorted(set(where))
    for i, ch in enumerate(folded):
        assert nfkc[where[i]].translate(_TABLE) == ch
