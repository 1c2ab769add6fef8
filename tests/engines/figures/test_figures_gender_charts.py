"""Self-described gender mapped to categories in many languages; accessible, CSP-safe charts in
SVG, PNG and CSV; differentially private counts."""

from __future__ import annotations

import re

import pytest

from amparo.engines.figures.charts import Band, Chart, Series, render_csv, render_svg
from amparo.engines.figures.gender import KEYWORDS, categorise
from amparo.engines.figures.png import render_png


@pytest.mark.parametrize(
    ("words", "category"),
    [
        ("Woman", "woman"),
        ("female", "woman"),
        ("mujer", "woman"),
        ("Femme", "woman"),
        ("mulher", "woman"),
        ("أنثى", "woman"),
        ("انثى", "woman"),
        ("زن", "woman"),
        ("عورت", "woman"),
        ("женщина", "woman"),
        ("жінка", "woman"),
        ("kadın", "woman"),
        ("mwanamke", "woman"),
        ("perempuan", "woman"),
        ("nữ", "woman"),
        ("Frau", "woman"),
        ("man", "man"),
        ("hombre", "man"),
        ("رجل", "man"),
        ("Мужчина", "man"),
        ("erkek", "man"),
        ("laki-laki", "man"),
        ("mujer trans", "woman"),
        ("trans man", "man"),
        ("non-binary", "non_binary"),
        ("no binario", "non_binary"),
        ("غير ثنائي", "non_binary"),
        ("خواجہ سرا", "non_binary"),
        ("waria", "non_binary"),
        ("genderqueer", "non_binary"),
        ("prefer not to say", "prefer_not_to_say"),
        ("prefiero no decir", "prefer_not_to_say"),
        ("keine Angabe", "prefer_not_to_say"),
        ("أفضل عدم الإجابة", "prefer_not_to_say"),
        ("", "other_unknown"),
        ("   ", "other_unknown"),
        ("potato", "other_unknown"),
    ],
)
def test_gender_in_many_languages(words, category):
    assert categorise(words) == category


def test_whole_words_only():
    assert categorise("woman") == "woman"  # "man" is inside "woman" but is not a word there
    assert categorise("humanist") == "other_unknown"


def test_the_keyword_list_covers_the_twelve_languages_and_english_and_german():
    for category in ("woman", "man", "non_binary", "prefer_not_to_say"):
        assert set(KEYWORDS[category]) >= {
            "en",
            "de",
            "es",
            "fr",
            "pt",
            "ar",
            "fa",
            "ur",
            "ru",
            "uk",
            "tr",
            "sw",
            "id",
            "vi",
        }


def chart(**kw):
    base = dict(
        key="by_platform",
        title="Incidents by platform",
        summary="Facebook comes first with 6 of 8 incidents.",
        label_header="Platform",
        labels=["Facebook", "X"],
        series=[Series("Incidents", [6.0, 2.0])],
    )
    base.update(kw)
    return Chart(**base)


def test_svg_is_a_named_image_without_inline_style():
    svg = render_svg(chart())
    assert 'role="img"' in svg and 'aria-labelledby="t-by_platform d-by_platform"' in svg
    assert '<title id="t-by_platform">Incidents by platform</title>' in svg
    assert '<desc id="d-by_platform">Facebook comes first' in svg
    assert "style=" not in svg and "<script" not in svg


def test_right_to_left_charts_are_mirrored():
    ltr, rtl = render_svg(chart()), render_svg(chart(rtl=True))
    bar = re.compile(r'<rect x="([\d.]+)" y="14" width="([\d.]+)"')
    (lx, lw), (rx, rw) = bar.search(ltr).groups(), bar.search(rtl).groups()
    assert lw == rw and float(lx) == 230 and float(rx) + float(rw) == pytest.approx(760 - 230)
    assert 'direction="rtl"' in rtl


def test_line_chart_shades_a_risk_period():
    svg = render_svg(
        chart(
            kind="line",
            labels=["2026-01", "2026-02", "2026-03"],
            series=[Series("Incidents", [1.0, 9.0, 2.0])],
            bands=[Band("2026-02", "2026-02", "Election Mexico")],
        )
    )
    assert "<title>Election Mexico</title>" in svg and "<polyline" in svg


def test_png_and_csv():
    assert render_png(chart(rtl=True, labels=["فيسبوك", "X"])).startswith(b"\x89PNG")
    assert render_csv(chart()) == "Platform,Incidents\nFacebook,6.0\nX,2.0\n"


def test_differentially_private_counts_use_the_stated_scale():
    from amparo.engines.figures.privacy import epsilon_of, noisy_counts, scale_for

    assert scale_for(1.0, 2) == 2.0 and epsilon_of(2.0) == pytest.approx(0.5)
    noisy = noisy_counts({(str(i),): 50 for i in range(200)}, scale=2.0)
    values = list(noisy.values())
    assert min(values) >= 0 and values != [50] * 200
    assert abs(sum(values) / len(values) - 50) < 1.5
    with pytest.raises(ValueError):
        scale_for(0, 1)
