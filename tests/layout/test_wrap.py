"""The Chinese line-breaking rules (禁则), words, spacing and offsets, on real articles."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from reader.layout import LayoutOptions, VisualLine, layout_block
from reader.layout.wrap import CLOSING, OPENING, _units, layout_article_block
from reader.library.article import Article
from reader.text.segment import tokenize
from reader.text.units import Document

WIDTHS = [8, 13, 20, 31, 40, 57, 80]


def block_words(article: Article, block) -> list[tuple[int, int]]:
    text = article.text[block.start : block.end]
    return [(block.start + a, block.start + b) for w, a, b in tokenize(text) if w.strip()]


def check_lines(text: str, start: int, end: int, lines: list[VisualLine], opts: LayoutOptions, words):
    # The spans tile the block exactly.
    assert lines[0].start == start and lines[-1].end == end
    for a, b in itertools.pairwise(lines):
        assert a.end == b.start
    # Every visible character is drawn once, in order, with its own offset.
    drawn = [c for line in lines for c in line.cells]
    visible = [i for i in range(start, end) if not text[i].isspace()]
    assert [c.offset for c in drawn if not c.text.isspace()] == visible
    assert all(text[c.offset] == c.text for c in drawn)
    for i, line in enumerate(lines):
        # Never wider than the measure.
        assert line.width <= opts.width, (line.text, line.width)
        # Cells never overlap; letter spacing leaves a blank between wide characters.
        for c1, c2 in zip(line.cells, line.cells[1:], strict=False):
            assert c2.col >= c1.col + c1.width
            if opts.letter_spacing and c1.width == 2 and c2.width == 2 and c2.text not in CLOSING and c1.text not in OPENING:
                assert c2.col >= c1.col + 3
        glyphs = [c for c in line.cells if not c.text.isspace()]
        if not glyphs:
            continue
        # 禁则: no closing punctuation first, no opening punctuation last.
        if i > 0:
            assert glyphs[0].text not in CLOSING, f"line starts with {glyphs[0].text!r}: {line.text!r}"
        if i < len(lines) - 1:
            assert glyphs[-1].text not in OPENING, f"line ends with {glyphs[-1].text!r}: {line.text!r}"
    # A word that fits on a line is never split.  The unit that must stay whole
    # is the word with the punctuation 禁则 glues to it, e.g. 2022》，
    breaks = {line.start for line in lines[1:]}
    units = _units(text[start:end], start, words)
    for ws, we in words:
        if not any(ws < b < we for b in breaks):
            continue
        a, b = next((start + a, start + b) for a, b, _ in units if start + a <= ws < start + b)
        alone = layout_block(text, a, max(b, we), replace(opts, width=10_000, indent=0))[0].width
        assert alone > opts.width - opts.indent, f"word {text[ws:we]!r} split at width {opts.width}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("spacing", [False, True])
def test_rules_hold_on_the_bundled_articles(articles, width, spacing):
    opts = LayoutOptions(width=width, letter_spacing=spacing, indent=4 if width > 10 else 0)
    checked = 0
    for article in articles:
        for block in article.blocks:
            words = block_words(article, block)
            lines = layout_article_block(article.text, block, opts, words)
            check_lines(article.text, block.start, block.end, lines, opts, words)
            checked += len(lines)
    assert checked > 20


def test_lines_are_filled_greedily(articles):
    """No line could have taken the next unit: the wrap does not waste the measure."""
    article = articles[0]
    opts = LayoutOptions(width=20)
    for block in article.blocks:
        lines = layout_block(article.text, block.start, block.end, opts, block_words(article, block))
        for line in lines[:-1]:
            assert line.width >= opts.width - 12, (line.text, line.width)


def test_closing_punctuation_pulls_the_character_before_it():
    text = "一二三四五六七八九，十"
    lines = layout_block(text, 0, len(text), LayoutOptions(width=18))
    assert [line.text for line in lines] == ["一二三四五六七八", "九，十"]


def test_opening_punctuation_goes_with_what_follows():
    text = "一二三四五六七“八九”"
    lines = layout_block(text, 0, len(text), LayoutOptions(width=15))
    assert lines[0].text == "一二三四五六七"
    assert lines[1].text.startswith("“八")


def test_ellipsis_and_dash_runs_are_never_split():
    text = "一二三四五六七八九十……好"
    for width in range(6, 24):
        lines = layout_block(text, 0, len(text), LayoutOptions(width=width))
        for line in lines:
            assert not line.text.startswith("…") or line.text.startswith("……")
            assert not line.text.endswith("…") or line.text.endswith("……")


def test_words_stay_together_when_they_fit():
    text = "今天阿里巴巴公益基金会发布报告"
    words = [(a, b) for _, a, b in tokenize(text)]
    lines = layout_block(text, 0, len(text), LayoutOptions(width=10), words)
    for line in lines:
        for ws, we in words:
            if line.start < ws < line.end < we and we - ws <= 5:
                pytest.fail(f"{text[ws:we]} split")
    assert "阿里巴巴" in [line.text for line in lines]


def test_latin_words_and_numbers_are_not_split():
    text = "阿里巴巴 Accessibility report 2022 显示 1234567 位"
    lines = layout_block(text, 0, len(text), LayoutOptions(width=16))
    texts = [line.text.strip() for line in lines]
    assert any("Accessibility" in t for t in texts)
    assert any("2022" in t for t in texts)
    assert any("1234567" in t for t in texts)


def test_a_word_longer_than_the_line_is_split_by_characters():
    text = "Supercalifragilistic"
    lines = layout_block(text, 0, len(text), LayoutOptions(width=8))
    assert [line.text for line in lines] == ["Supercal", "ifragili", "stic"]


def test_spaces_hang_at_the_break_and_are_not_drawn():
    text = "abc def ghi"
    lines = layout_block(text, 0, len(text), LayoutOptions(width=7))
    assert [line.text for line in lines] == ["abc def", "ghi"]
    assert lines[0].end == 8 and lines[1].start == 8
    assert lines[0].col_of(7) == 7  # the hanging space keeps the caret on its line


def test_indent_and_col_of():
    text = "一二三四五六七八九十"
    lines = layout_block(text, 100 - 100, len(text), LayoutOptions(width=10, indent=4))
    assert lines[0].cells[0].col == 4
    assert lines[0].text == "一二三"
    assert lines[1].cells[0].col == 0
    assert lines[1].col_of(4) == 2
    assert lines[0].col_of(4) is None


def test_offsets_are_absolute_in_the_article():
    article = Article.from_parts([("heading", 1, "标题"), ("paragraph", 0, "第一段文字，比较长的一段。")])
    block = article.blocks[1]
    lines = layout_article_block(article.text, block, LayoutOptions(width=8, indent=4))
    assert lines[0].start == block.start
    assert all(article.text[c.offset] == c.text for line in lines for c in line.cells)
    heading = layout_article_block(article.text, article.blocks[0], LayoutOptions(width=8, indent=4))
    assert heading[0].cells[0].col == 0  # headings are not indented


def test_words_from_the_document_can_be_passed_directly(articles):
    article = articles[0]
    doc = Document.from_article(article)
    block = next(b for b in article.blocks if b.kind == "paragraph")
    words = []
    for i, s in enumerate(doc.sentences()):
        if block.start <= s.start < block.end:
            words.extend(doc.words_in_sentence(i))
    opts = LayoutOptions(width=24)
    lines = layout_block(article.text, block.start, block.end, opts, words)
    check_lines(article.text, block.start, block.end, lines, opts, words)


def test_empty_block_gives_one_empty_line():
    lines = layout_block("", 0, 0, LayoutOptions())
    assert len(lines) == 1 and lines[0].cells == ()


def test_closing_punctuation_after_a_space_still_sticks():
    text = "Alibaba ，一二三四"
    for width in range(4, 16):
        lines = layout_block(text, 0, len(text), LayoutOptions(width=width))
        for line in lines[1:]:
            glyphs = [c for c in line.cells if not c.text.isspace()]
            assert glyphs and glyphs[0].text != "，", (width, [ln.text for ln in lines])
