"""Language detection on real sentences in the 13 intake languages."""

from __future__ import annotations

import pytest

from amparo.engines.triage import LanguageGuess, detect_language
from amparo.engines.triage import language as language_module

SENTENCES = {
    "en": "They hacked my account last night and are posting lies about our organisation.",
    "es": "Anoche hackearon mi cuenta y están publicando mentiras sobre nuestra organización.",
    "fr": "Ils ont piraté mon compte hier soir et publient des mensonges sur notre association.",
    "pt": "Ontem à noite invadiram minha conta e estão publicando mentiras sobre a nossa organização.",
    "ar": "اخترقوا حسابي الليلة الماضية وينشرون أكاذيب عن منظمتنا ويهددون أعضاءها.",
    "fa": "دیشب حساب کاربری من را هک کردند و درباره سازمان ما دروغ منتشر می‌کنند.",
    "ur": "کل رات انہوں نے میرا اکاؤنٹ ہیک کر لیا اور ہماری تنظیم کے بارے میں جھوٹ پھیلا رہے ہیں۔",
    "ru": "Вчера вечером взломали мой аккаунт и теперь публикуют ложь о нашей организации.",
    "uk": "Учора ввечері зламали мій акаунт і тепер публікують неправду про нашу організацію.",
    "tr": "Dün gece hesabımı hacklediler ve derneğimiz hakkında yalanlar yayınlıyorlar.",
    "vi": "Tối qua họ đã hack tài khoản của tôi và đang đăng những lời dối trá về tổ chức chúng tôi.",
    "id": "Tadi malam mereka meretas akun saya dan sekarang menyebarkan kebohongan tentang organisasi kami.",
    "sw": "Jana usiku walidukua akaunti yangu na sasa wanaeneza uongo kuhusu shirika letu.",
}


@pytest.mark.parametrize(("code", "text"), SENTENCES.items(), ids=list(SENTENCES))
def test_detects_language(code, text):
    guess = detect_language(text)
    assert guess.code == code, guess
    assert 0.5 <= guess.confidence <= 1.0


def test_short_text_is_unsure():
    assert detect_language("hola") == LanguageGuess(None, 0.0)
    assert detect_language("12345 !!! 67890 ???").code is None
    assert detect_language("").code is None


def test_threshold_withholds_weak_guesses():
    guess = detect_language(SENTENCES["es"], min_confidence=1.01)
    assert guess.code is None and 0 < guess.confidence <= 1


def test_odd_input():
    assert detect_language(None).code is None  # type: ignore[arg-type]
    assert isinstance(
        detect_language("\ud800 invalid surrogate and more letters here"), LanguageGuess
    )


def test_identifier_is_a_singleton():
    first = language_module._get_identifier()
    assert language_module._get_identifier() is first


def test_memory_mapped_model_gives_the_same_ranking(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("AMPARO_DATA_DIR", str(tmp_path))
    mapped = language_module._mapped_identifier()
    assert (tmp_path / "cache").is_dir()
    again = language_module._mapped_identifier()  # from the cache this time
    packed = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for text in [
        "Me amenazaron de muerte y publicaron mi dirección",
        "They published my home address and keep threatening me",
        "Опубликовали мой адрес и угрожают",
        "نشروا عنواني وهددوني بالقتل",
        "",
    ]:
        want = packed.rank(text)[:5]
        for identifier in (mapped, again):
            got = identifier.rank(text)[:5]
            assert [code for code, _ in got] == [code for code, _ in want]
            assert [p for _, p in got] == pytest.approx([p for _, p in want], abs=1e-6)
