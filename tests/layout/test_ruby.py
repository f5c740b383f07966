"""Pinyin above the characters: every syllable starts in its character's column, none overlaps the next."""

from __future__ import annotations

import pytest

from reader.layout import LayoutOptions, VisualLine, layout_block
from reader.layout.wrap import CLOSING, OPENING, default_readings

MIXED = [
    "2022年，阿里巴巴发布了《助残报告》：iPhone 15 和 AI 让 40 多个业务板块的残疾人创业。",
    "重庆银行行长说：“长大以后，我要当 CEO！”他笑了。",
    "庄床窗双装创闯撞状壮霜爽！Zhuang zhuang 123456789 壮壮壮壮壮壮。",
    "第3章 Python 3.11 与 jieba 0.42.1 分词——速度比较……",
]


def check_ruby(text: str, lines: list[VisualLine], opts: LayoutOptions) -> int:
    seen = 0
    for line in lines:
        assert line.width <= opts.width
        cols = {c.offset: c for c in line.cells}
        for r in line.ruby:
            cell = cols[r.offset]
            assert r.col == cell.col, "a syllable must start in its character's column"
            assert r.col + r.width <= opts.width
            seen += 1
        for r1, r2 in zip(line.ruby, line.ruby[1:], strict=False):
            assert r1.col + r1.width < r2.col, f"{r1.text} touches {r2.text}"
        # A syllable never reaches over the next character's column.
        cells = list(line.cells)
        for r in line.ruby:
            nxt = next((c for c in cells if c.offset > r.offset), None)
            if nxt is not None:
                assert r.col + r.width <= nxt.col, f"{r.text} covers {nxt.text}"
    return seen


@pytest.mark.parametrize("style", ["marks", "numbers", "colors"])
@pytest.mark.parametrize("width", [12, 20, 33, 60])
@pytest.mark.parametrize("text", MIXED)
def test_syllables_align_with_their_characters(text, width, style):
    opts = LayoutOptions(width=width, pinyin="all", pinyin_style=style)
    lines = layout_block(text, 0, len(text), opts)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert check_ruby(text, lines, opts) == han  # every Han character has its syllable


@pytest.mark.parametrize("text", MIXED)
def test_letter_spacing_with_ruby(text):
    opts = LayoutOptions(width=30, pinyin="all", letter_spacing=True)
    lines = layout_block(text, 0, len(text), opts)
    check_ruby(text, lines, opts)
    for line in lines:
        for c1, c2 in zip(line.cells, line.cells[1:], strict=False):
            if c1.width == 2 and c2.width == 2 and c2.text not in CLOSING and c1.text not in OPENING:
                assert c2.col >= c1.col + 3


def test_styles_and_tones():
    text = "中国人好吗"
    marks = default_readings(text, "marks")
    numbers = default_readings(text, "numbers")
    assert [r[0] for r in numbers if r] == ["zhong1", "guo2", "ren2", "hao3", "ma5"]
    assert [r[0] for r in marks if r][:3] == ["zhōng", "guó", "rén"]
    assert [r[1] for r in marks if r] == [1, 2, 2, 3, 5]
    colors = default_readings(text, "colors")
    assert [r[0] for r in colors] == [r[0] for r in marks]  # colour is never the only cue


def test_ruby_reserves_width_so_lines_are_longer_in_rows():
    text = "阿里巴巴和阿里巴巴公益基金会共同发布行动报告"
    plain = layout_block(text, 0, len(text), LayoutOptions(width=24))
    ruby = layout_block(text, 0, len(text), LayoutOptions(width=24, pinyin="all"))
    assert len(ruby) > len(plain)
    assert all(line.ruby for line in ruby)


def test_sentence_mode_lays_out_like_all():
    """The layout never reflows as the voice moves; only the shown syllables change."""
    text = "今天天气很好。我们去公园吧！"
    a = layout_block(text, 0, len(text), LayoutOptions(width=20, pinyin="all"))
    s = layout_block(text, 0, len(text), LayoutOptions(width=20, pinyin="sentence"))
    assert a == s


def test_given_readings_are_used_as_is():
    text = "银行A"
    lines = layout_block(
        text, 0, 3, LayoutOptions(width=20, pinyin="all"), readings=[("yín", 2), ("háng", 2), None]
    )
    assert [(r.text, r.col) for r in lines[0].ruby] == [("yín", 0), ("háng", 4)]
    assert [c.col for c in lines[0].cells] == [0, 4, 8]
    with pytest.raises(ValueError):
        layout_block(text, 0, 3, LayoutOptions(pinyin="all"), readings=[None])


def test_ruby_shows_the_tones_the_voice_says():
    """一 and 不 change tone before a fourth tone when spoken; the ruby shows the same."""
    from reader.text.pinyin import spoken_readings

    text = "一段话，不是"
    shown = [r[0] if r else None for r in default_readings(text, "marks")]
    assert shown[0] == "yí" and shown[4] == "bú"
    assert [r[0] if r else None for r in default_readings(text, "numbers")] == [
        s for s in spoken_readings(text)
    ]
