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
