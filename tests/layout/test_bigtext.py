"""Large print from a real CJK font."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.layout.bigtext import (
    MAX_SIZE,
    MIN_SIZE,
    BigText,
    clamp_size,
    find_cjk_font,
    missing_font_notice,
)

FONT = find_cjk_font()


def test_a_cjk_font_is_installed_by_setup():
    # scripts/setup.sh installs fonts-wqy-zenhei; without it large print shows a notice.
    assert FONT is not None and FONT.is_file()


@pytest.mark.parametrize("size", range(MIN_SIZE, MAX_SIZE + 1))
def test_glyph_rows_are_filled_and_scale_with_size(size):
    big = BigText.create(size)
    assert big is not None
    rows = big.glyph("国")
    assert len(rows) == size  # N times as tall as a text row
    assert all(len(r) == 2 * size for r in rows)  # N times as wide as a Han character
    assert set("".join(rows)) <= set(" ▀▄█")
    assert sum(1 for r in rows if r.strip()) >= size - 1  # ink on (nearly) every row
    ink = sum(ch != " " for r in rows for ch in r)
    assert ink >= size * size // 2
    latin = big.glyph("A")
    assert len(latin) == size and all(len(r) == size for r in latin)


def test_different_characters_look_different():
    big = BigText.create(8)
    assert big is not None
    shapes = {big.glyph(ch) for ch in "一二三十国残助人大天"}
    assert len(shapes) == 10
    assert big.glyph("一") != big.glyph("十")
    # 一 is one horizontal stroke: ink in few rows; 十 has a vertical stroke through them all.
    assert sum(1 for r in big.glyph("一") if r.strip()) <= 2
    assert sum(1 for r in big.glyph("十") if r.strip()) >= 6


def test_render_wraps_to_the_width_and_keeps_rules():
    big = BigText.create(4)
    assert big is not None
    lines = big.render("阿里巴巴发布年度助残行动报告。", 40)
    assert len(lines) > 1
    for rows in lines:
        assert len(rows) == 4
        assert all(len(r) <= 40 for r in rows)
    # 。 never starts a big line either: the last line is wider than the full stop alone.
    assert len(lines[-1][0].rstrip()) > 2 * 4


def test_bigger_sizes_take_more_room():
    small, large = BigText.create(2), BigText.create(8)
    assert small and large
    a, b = small.render_line("助残"), large.render_line("助残")
    assert len(a) == 2 and len(b) == 8
    assert len(b[0]) == 4 * len(a[0])


def test_sizes_are_clamped():
    assert clamp_size(1) == MIN_SIZE and clamp_size(99) == MAX_SIZE
    big = BigText.create(20)
    assert big is not None and big.size == MAX_SIZE


def test_no_font_gives_none_and_a_one_line_notice(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("READER_CJK_FONT", str(tmp_path / "missing.ttc"))
    assert find_cjk_font() is None
    assert BigText.create(4) is None
    for lang in ("zh", "en"):
        notice = missing_font_notice(lang)
        assert "\n" not in notice and "fonts-wqy-zenhei" in notice
