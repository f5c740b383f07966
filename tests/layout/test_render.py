"""Rows on screen: highlights, focus, ruby modes, spacing, scrolling anchors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment

from reader.layout import LayoutOptions, layout_block
from reader.layout.page import Anchor, ArticleLayout, RowRef, focus_span
from reader.layout.render import Marks, render_line, row_text
from reader.layout.theme import builtin_themes
from reader.library.article import Article
from reader.text.units import Document

THEMES = builtin_themes()
TEXT = "今天天气很好。我们去公园吧！"


def styles_of(row, text):
    """The style used to draw each character of ``text`` in ``row``."""
    out = {}
    for seg in row:
        for ch in seg.text:
            if ch in text:
                out[ch] = seg.style
    return out


def test_rows_are_exactly_the_width():
    lines = layout_block(TEXT, 0, len(TEXT), LayoutOptions(width=10, pinyin="all", line_spacing=1))
    for line in lines:
        rows = render_line(line, LayoutOptions(width=10, pinyin="all", line_spacing=1), THEMES["ansi"], width=30, left=5)
        assert len(rows) == 3
        for row in rows:
            assert Segment.get_line_length(row) == 30


@pytest.mark.parametrize("name", list(THEMES))
def test_word_and_sentence_highlights_use_their_roles(name):
    theme = THEMES[name]
    opts = LayoutOptions(width=40)
    line = layout_block(TEXT, 0, len(TEXT), opts)[0]
    marks = Marks(sentence=(0, 7), word=(2, 4))
    row = render_line(line, opts, theme, marks)[0]
    st = styles_of(row, TEXT)
    assert st["天"] == theme.style("word")  # 天气 at 2-4 (the first 天 is in 今天)
    assert st["今"] == theme.style("sentence")
    assert st["我"] == theme.style("text")
    # never colour alone: the word and sentence differ in attributes, not just colour
    w, s, t = st["天"], st["今"], st["我"]
    assert (w.bold, w.underline, w.reverse) != (t.bold, t.underline, t.reverse)
    assert (s.bold, s.underline, s.reverse) != (t.bold, t.underline, t.reverse)


def test_sentence_underline_runs_through_letter_spacing_gaps():
    theme = THEMES["mono"]
    opts = LayoutOptions(width=40, letter_spacing=True)
    line = layout_block(TEXT, 0, len(TEXT), opts)[0]
    row = render_line(line, opts, theme, Marks(sentence=(0, 7)))[0]
    first = row[0]
    assert first.text.startswith("今 天 天") and first.style.underline


def test_focus_dims_everything_else():
    theme = THEMES["white-on-black"]
    opts = LayoutOptions(width=40)
    line = layout_block(TEXT, 0, len(TEXT), opts)[0]
    row = render_line(line, opts, theme, Marks(sentence=(7, 14), focus=(7, 14)))[0]
    st = styles_of(row, TEXT)
    assert st["今"] == theme.style("dim")
    assert st["我"] == theme.style("sentence")


def test_pinyin_sentence_mode_shows_only_the_current_sentence():
    theme = THEMES["ansi"]
    opts = LayoutOptions(width=60, pinyin="sentence")
    line = layout_block(TEXT, 0, len(TEXT), opts)[0]
    ruby = row_text(render_line(line, opts, theme, Marks(ruby_span=(7, 14)))[0])
    assert "wǒ" in ruby and "jīn" not in ruby
    opts_all = LayoutOptions(width=60, pinyin="all")
    ruby_all = row_text(render_line(line, opts_all, theme, Marks())[0])
    assert "jīn" in ruby_all and "wǒ" in ruby_all


@pytest.mark.parametrize("name", ["white-on-black", "black-on-white", "yellow-on-black", "ansi"])
def test_tone_colours_style(name):
    theme = THEMES[name]
    opts = LayoutOptions(width=60, pinyin="all", pinyin_style="colors")
    line = layout_block("妈麻马骂吗", 0, 5, opts)[0]
    ruby = render_line(line, opts, theme)[0]
    colours = [seg.style.color for seg in ruby if seg.text.strip()]
    assert len(colours) == 5 and len(set(colours)) == 5  # each tone its own colour
    assert "mā" in row_text(ruby) and "mà" in row_text(ruby)  # and its tone mark


def test_tone_colours_in_mono_keep_the_marks():
    theme = THEMES["mono"]
    opts = LayoutOptions(width=60, pinyin="all", pinyin_style="colors")
    line = layout_block("妈麻马骂", 0, 4, opts)[0]
    text = row_text(render_line(line, opts, theme)[0])
    assert {"mā", "má", "mǎ", "mà"} <= set(text.split())


@pytest.fixture(scope="module")
def article() -> Article:
    path = sorted((Path(__file__).resolve().parents[2] / "articles").glob("*.md"))
    return Article.load(path[0]) if path else Article.from_parts([("paragraph", 0, TEXT * 40)])


def test_window_and_anchors(article):
    opts = LayoutOptions(width=30, pinyin="all", line_spacing=1, paragraph_spacing=2)
    layout = ArticleLayout(article.text, article.blocks, opts)
    refs = layout.window(Anchor(0, 0), 12)
    assert [r.kind for r in refs[:3]] == ["ruby", "body", "space"]
    n = len(layout.lines(0))
    assert refs[3 * n].kind == "para" and refs[3 * n + 1].kind == "para"
    assert refs[3 * n + 2] == RowRef(1, 0, "ruby")
    total = sum(layout.block_height(i) for i in range(len(layout)))
    end = layout.move(Anchor(0, 0), total + 50)
    assert end.block == len(layout) - 1
    assert layout.move(end, -(total + 50)) == Anchor(0, 0)
    mid = article.blocks[len(article.blocks) // 2].start + 3
    top = layout.follow(mid, 20, 1 / 3)
    pos = layout.screen_position(mid, top, 20, 60)
    assert pos is not None and pos[1] == int(19 / 3)
    # the column of the character on screen is its column in the layout plus the centring margin
    _, _, col = layout.locate(mid)
    assert pos[0] == (60 - 30) // 2 + col


def test_ensure_visible_scrolls_only_when_needed(article):
    opts = LayoutOptions(width=30)
    layout = ArticleLayout(article.text, article.blocks, opts)
    top = Anchor(0, 0)
    near = article.blocks[1].start
    assert layout.ensure_visible(near, top, 20) == top
    far = article.blocks[-1].end - 1
    moved = layout.ensure_visible(far, top, 20)
    assert moved != top
    y = layout.screen_position(far, moved, 20, 30)
    assert y is not None and 0 <= y[1] < 20


def test_render_gives_height_rows_and_marks(article):
    opts = LayoutOptions(width=30)
    layout = ArticleLayout(article.text, article.blocks, opts)
    doc = Document.from_article(article)
    s = doc.sentences()[2]
    rows = layout.render(layout.follow(s.start, 10), 10, 50, THEMES["mono"], Marks(sentence=(s.start, s.end), focus=focus_span(doc, s.start)))
    assert len(rows) == 10
    underlined = "".join(seg.text for r in rows for seg in r if seg.style and seg.style.underline)
    assert article.text[s.start : s.end].replace(" ", "")[:5] in underlined.replace(" ", "")


def test_focus_span_sentence_and_paragraph(article):
    doc = Document.from_article(article)
    s = doc.sentences()[3]
    assert focus_span(doc, s.start + 1) == (s.start, s.end)
    p = doc.unit_at("paragraph", s.start)
    assert focus_span(doc, s.start, "paragraph") == (p.start, p.end)


def test_layout_is_lazy_for_a_big_book(article):
    parts = article.parts() * 400
    book = Article.from_parts(parts)
    assert len(book.text) > 300_000
    layout = ArticleLayout(book.text, book.blocks, LayoutOptions(width=40))
    mid = book.blocks[len(book.blocks) // 2].start
    rows = layout.render(layout.follow(mid, 30), 30, 80, THEMES["ansi"])
    assert len(rows) == 30
    assert len(layout._cache) < 20  # only what is near the screen was laid out
