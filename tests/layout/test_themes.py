"""Every theme's text and highlights reach WCAG AAA; highlights never rely on colour alone."""

from __future__ import annotations

import pytest

from reader.layout.contrast import AAA, contrast_ratio, luminance, parse_hex
from reader.layout.theme import (
    ThemeError,
    all_themes,
    builtin_themes,
    get_theme,
    parse_theme,
)

THEMES = builtin_themes()
COLOR_THEMES = [t for t in THEMES.values() if t.kind == "color"]


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#FFFF00", "#000000") == pytest.approx(19.56, abs=0.01)
    assert luminance("#fff") == pytest.approx(1.0)
    with pytest.raises(ValueError):
        parse_hex("red")


def test_the_required_themes_exist():
    names = set(THEMES)
    assert {"white-on-black", "black-on-white", "yellow-on-black", "ansi", "mono"} <= names
    assert THEMES["white-on-black"].text == "#FFFFFF" and THEMES["white-on-black"].background == "#000000"
    assert THEMES["black-on-white"].text == "#000000" and THEMES["black-on-white"].background == "#FFFFFF"
    assert THEMES["yellow-on-black"].text == "#FFFF00" and THEMES["yellow-on-black"].background == "#000000"
    assert THEMES["ansi"].kind == "ansi"
    assert THEMES["mono"].kind == "mono"


@pytest.mark.parametrize("theme", COLOR_THEMES, ids=lambda t: t.name)
@pytest.mark.parametrize("role", ["text", "heading", "ruby", "sentence", "word", "match"])
def test_text_and_highlights_reach_aaa(theme, role):
    fg, bg = theme.colors(role)
    ratio = contrast_ratio(fg, bg)
    assert ratio >= AAA, f"{theme.name} {role}: {fg} on {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", COLOR_THEMES, ids=lambda t: t.name)
def test_tone_colours_reach_aaa_and_differ(theme):
    assert len(theme.tones) == 5
    for tone in range(1, 6):
        ratio = theme.tone_contrast(tone)
        assert ratio is not None and ratio >= AAA, f"{theme.name} tone {tone}: {ratio:.2f}"
    assert len(set(theme.tones)) == 5


@pytest.mark.parametrize("theme", COLOR_THEMES, ids=lambda t: t.name)
def test_dimmed_text_stays_readable_but_quieter(theme):
    dim = theme.contrast("dim")
    assert dim is not None and 4.5 <= dim < theme.contrast("text")


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=lambda t: t.name)
def test_highlights_never_rely_on_colour_alone(theme):
    sentence, word = theme.roles["sentence"], theme.roles["word"]
    assert sentence.marks_without_colour and word.marks_without_colour
    # The word stands out from its sentence without colour too.
    attrs = lambda s: (s.bold, s.underline, s.reverse)  # noqa: E731
    assert attrs(sentence) != attrs(word)
    assert theme.style("word").underline or theme.style("word").reverse


def test_mono_marks_the_position_with_reverse_and_underline_only():
    mono = THEMES["mono"]
    for role in mono.roles:
        style = mono.style(role)
        assert style.color is None and style.bgcolor is None
    assert mono.style("word").reverse and mono.style("word").underline
    assert mono.style("sentence").underline


def test_ansi_uses_only_the_16_terminal_colours():
    ansi = THEMES["ansi"]
    for role in ansi.roles:
        style = ansi.style(role)
        for color in (style.color, style.bgcolor):
            assert color is None or color.is_default or (color.number is not None and color.number < 16)
    for tone in range(1, 6):
        c = ansi.tone_style(tone).color
        assert c is None or c.is_default or c.number < 16


def test_no_color_forces_mono(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert get_theme("yellow-on-black").name == "mono"
    monkeypatch.delenv("NO_COLOR")
    assert get_theme("yellow-on-black").name == "yellow-on-black"


def test_unknown_theme_falls_back_with_a_message():
    errors: list[str] = []
    theme = get_theme("nope", errors)
    assert theme.name in THEMES and "nope" in errors[0]


def test_user_themes_load_and_broken_ones_are_reported(reader_home):
    themes_dir = reader_home / "config" / "themes"
    themes_dir.mkdir(parents=True)
    (themes_dir / "green.toml").write_text(
        'name = "green"\nbackground = "#000000"\ntext = "#00FF00"\n'
        'sentence = { underline = true }\nword = { reverse = true }\n',
        encoding="utf-8",
    )
    (themes_dir / "bad.toml").write_text('name = "bad"\nbackground = "#000000"\ntext = "nocolour"\n')
    errors: list[str] = []
    themes = all_themes(errors)
    assert "green" in themes
    assert len(errors) == 1 and "bad.toml" in errors[0] and "text" in errors[0]


def test_a_highlight_that_is_colour_only_is_refused():
    with pytest.raises(ThemeError, match="colour alone"):
        parse_theme(
            {"name": "x", "background": "#000000", "text": "#FFFFFF", "sentence": {"bg": "#333333"},
             "word": {"reverse": True}},
            "x.toml",
        )
