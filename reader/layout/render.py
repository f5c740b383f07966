"""Visual lines to styled terminal rows: highlights, focus dimming, ruby and spacing.

A *row* is a list of rich :class:`~rich.segment.Segment` exactly ``width``
cells wide (padded with the theme's background), ready for Textual's
``Strip(row)`` — this module itself never imports Textual.

What is highlighted comes in a :class:`Marks`: the sentence being read, the
word being spoken (or under the caret), search matches, the focus span (in
focus mode everything outside it is dimmed) and, for pinyin "sentence" mode,
the span whose syllables are shown.  Roles are looked up in this order:
word, match, sentence, dim (outside focus), heading, text.  The blank cells
between two characters of the same highlighted span carry the highlight too,
so an underlined sentence reads as one stroke, not a dotted line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style

from reader.layout.theme import Theme
from reader.layout.wrap import LayoutOptions, VisualLine

Span = tuple[int, int]
Row = list[Segment]


@dataclass(frozen=True)
class Marks:
    """What the view marks right now; all spans are absolute ``[start, end)`` offsets."""

    sentence: Span | None = None
    word: Span | None = None
    focus: Span | None = None  # dim everything outside (focus mode); None: focus off
    matches: tuple[Span, ...] = ()
    ruby_span: Span | None = None  # pinyin "sentence" mode: only these syllables show


def _inside(span: Span | None, offset: int) -> bool:
    return span is not None and span[0] <= offset < span[1]


def role_at(offset: int, marks: Marks, heading: bool = False) -> str:
    """The theme role that draws the character at ``offset``."""
    if _inside(marks.word, offset):
        return "word"
    for m in marks.matches:
        if m[0] <= offset < m[1]:
            return "match"
    if _inside(marks.sentence, offset):
        return "sentence"
    if marks.focus is not None and not _inside(marks.focus, offset):
        return "dim"
    return "heading" if heading else "text"


def _push(out: Row, text: str, style: Style) -> None:
    """Append, merging with the previous segment when the style is the same."""
    if out and out[-1].style is style:
        out[-1] = Segment(out[-1].text + text, style)
    else:
        out.append(Segment(text, style))


def render_line(
    line: VisualLine,
    opts: LayoutOptions,
    theme: Theme,
    marks: Marks = Marks(),
    *,
    width: int | None = None,
    left: int = 0,
    heading: bool = False,
) -> list[Row]:
    """The screen rows of one visual line: ruby row (if pinyin is on), body, spacing rows.

    ``width`` is the full row width (defaults to the measure plus ``left``);
    ``left`` is the margin before the measure, e.g. to centre it.
    """
    total = width if width is not None else left + opts.width
    base = theme.style("base")
    styles = {r: theme.style(r) for r in ("text", "heading", "dim", "sentence", "word", "match")}
    rows: list[Row] = []
    if opts.ruby:
        rows.append(_ruby_row(line, opts, theme, marks, total, left, base))
    body: Row = []
    if left:
        _push(body, " " * left, base)
    col = 0
    prev_role = None
    for cell in line.cells:
        role = role_at(cell.offset, marks, heading)
        if cell.col > col:
            joined = role == prev_role and role in ("word", "match", "sentence")
            gap_style = styles[role] if joined else base
            _push(body, " " * (cell.col - col), gap_style)
        _push(body, cell.text, styles[role])
        col = cell.col + cell.width
        prev_role = role
    if left + col < total:
        _push(body, " " * (total - left - col), base)
    rows.append(body)
    for _ in range(opts.line_spacing):
        rows.append([Segment(" " * total, base)])
    return rows


def _ruby_row(
    line: VisualLine, opts: LayoutOptions, theme: Theme, marks: Marks, total: int, left: int, base: Style
) -> Row:
    row: Row = []
    if left:
        _push(row, " " * left, base)
    col = 0
    colored = opts.pinyin_style == "colors" and bool(theme.tones)
    show_span = marks.ruby_span if opts.pinyin == "sentence" else None
    for r in line.ruby:
        if opts.pinyin == "sentence" and not _inside(show_span, r.offset):
            continue
        if r.col > col:
            _push(row, " " * (r.col - col), base)
        if marks.focus is not None and not _inside(marks.focus, r.offset):
            style = theme.style("dim")
        elif colored:
            style = theme.tone_style(r.tone)
        else:
            style = theme.style("ruby")
        if _inside(marks.word, r.offset):
            style = style + Style(bold=True)
        _push(row, r.text, style)
        col = r.col + r.width
    if left + col < total:
        _push(row, " " * (total - left - col), base)
    return row


def blank_row(theme: Theme, width: int) -> Row:
    return [Segment(" " * width, theme.style("base"))]


def row_text(row: Row) -> str:
    """The plain text of a row (tests, screen-reader mode, plain-text dumps)."""
    return "".join(seg.text for seg in row)
