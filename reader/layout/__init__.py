"""The presentation engine of the reading view, in pure Python (no Textual).

``reader.layout`` decides where every character of an article goes on a
terminal screen for a low-vision reader: the text measure, letter, line and
paragraph spacing, the Chinese line-breaking rules, pinyin ruby above the
characters, themes and their contrast, focus dimming and large print.  The
Textual reading view only turns its rows into strips.

Contract (stable; see :mod:`reader.layout.wrap` for the details):

``LayoutOptions(width, letter_spacing, indent, line_spacing, paragraph_spacing, pinyin, pinyin_style)``
    frozen and hashable, so a view can cache layouts per ``(block, opts)``.
``layout_block(text, start, end, opts, words=None, readings=None) -> list[VisualLine]``
    wraps one block ``text[start:end]``; ``words`` are absolute jieba spans.
``VisualLine(start, end, cells, width, ruby)`` with ``col_of(offset)``;
``Cell(offset, col, width, text)``; ``RubyCell(offset, col, width, text, tone)``.

The rest of the package:

* :mod:`reader.layout.theme` — themes as data (``reader/ui/themes/*.toml`` and the
  user's ``config_dir()/themes``), ``get_theme(name)`` (``NO_COLOR`` → mono),
  ``Theme.style(role)`` as rich styles; :mod:`reader.layout.contrast` — WCAG ratios.
* :mod:`reader.layout.render` — ``render_line(line, opts, theme, Marks(...))``: the
  screen rows of a visual line (ruby row, body row) as rich segments, with the
  sentence, word, matches and focus dimming marked.
* :mod:`reader.layout.page` — ``ArticleLayout``: a whole article laid out lazily,
  anchored scrolling, ``follow`` (the line being read at a fixed height),
  ``screen_position`` (where the terminal cursor goes), ``focus_span``.
* :mod:`reader.layout.bigtext` — ``BigText.create(size)``: large print from a CJK
  font in half-block characters, or None and ``missing_font_notice()``.
"""

from reader.layout.wrap import (
    Cell,
    LayoutOptions,
    RubyCell,
    VisualLine,
    char_width,
    layout_article_block,
    layout_block,
)

__all__ = [
    "Cell",
    "LayoutOptions",
    "RubyCell",
    "VisualLine",
    "char_width",
    "layout_article_block",
    "layout_block",
]
