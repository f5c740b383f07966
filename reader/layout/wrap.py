"""Line breaking for Chinese text in a terminal: 禁则, jieba words, spacing and ruby.

:func:`layout_block` turns one block of an article (a heading or paragraph,
given as a span of ``Article.text``) into :class:`VisualLine` rows.  Every
placed character keeps its absolute offset, so the reading view can go from
an offset (the voice, the caret, a search hit) to a row and column and back
without ever re-deriving the text from what is on screen.

The layout does not depend on the reading position: the same block with the
same options always gives the same lines, so the view may cache them per block
and only re-layout when the options or the width change.  (That is also why
pinyin "sentence" mode reserves the ruby width for every character and only
*shows* the syllables of the current sentence: the text never reflows under
the reader's eyes as the voice moves on.)

Rules, in order of strength:

1. A line never exceeds ``opts.width`` cells (unless a single character is
   wider than the measure).
2. 禁则: a line never starts with closing punctuation (，。、；：？！”』）》…) and
   never ends with opening punctuation (“『（《…); these stick to their
   neighbour.  Runs of …… and —— are never split.
3. A word that jieba keeps together (``words``) is not split when it fits on
   an empty line; Latin words and numbers likewise.  A longer one is broken
   between characters, still honouring rule 2 where possible.
4. Spaces at a break hang at the end of the line: they belong to the line's
   span but are not drawn and do not count towards its width.

Columns: ``Cell.col`` counts from the start of the text measure, so the first
line of an indented block starts at ``opts.indent``; the view adds its own
left margin.  With letter spacing there is one blank cell between two wide
characters; with ruby each character gets a slot as wide as its glyph or its
syllable, whichever is wider, plus one blank cell when two syllables would
otherwise touch — so every syllable starts in its character's column and none
reaches the next one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rich.cells import get_character_cell_size

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")

PinyinMode = Literal["off", "all", "sentence"]
PinyinStyle = Literal["marks", "numbers", "colors"]

#: Never at the start of a line (clreq / JIS X 4051 line-start prohibited).
CLOSING = frozenset(
    "，。、；：？！”’」』）》〉】〕〗〙〛｝］｠％‰℃°・ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "！），．：；？］｝～"
    ",.;:?!)]}%"  # ASCII quotes open as often as they close: not listed
)
#: Never at the end of a line.
OPENING = frozenset("“‘「『（《〈【〔〖〘〚｛［｟（［｛＄￥$£¥([{")
#: Runs of these are one inseparable unit (…… and ——).
INSEPARABLE = frozenset("…‥—⋯")


@dataclass(frozen=True)
class LayoutOptions:
    """How the user wants text laid out; hashable, so it can key a cache."""

    width: int = 40  # text measure in terminal cells
    letter_spacing: bool = False  # one blank cell between wide (CJK) characters
    indent: int = 0  # first-line indent in cells (paragraphs only; see layout_article_block)
    line_spacing: int = 0  # blank rows between wrapped lines
    paragraph_spacing: int = 1  # blank rows between blocks
    pinyin: PinyinMode = "off"
    pinyin_style: PinyinStyle = "marks"

    @property
    def ruby(self) -> bool:
        """Whether a ruby row is reserved above every line."""
        return self.pinyin != "off"

    @property
    def rows_per_line(self) -> int:
        """Screen rows one visual line takes, its spacing included."""
        return (2 if self.ruby else 1) + self.line_spacing


@dataclass(frozen=True, slots=True)
class Cell:
    """One source character placed on screen."""

    offset: int  # absolute offset in the article text
    col: int  # first terminal column, from the start of the measure
    width: int  # cells the glyph occupies (CJK 2, ASCII 1)
    text: str


@dataclass(frozen=True, slots=True)
class RubyCell:
    """One pinyin syllable, drawn in the row above its character."""

    offset: int  # the character it annotates
    col: int  # always the column of that character
    width: int  # cells the syllable occupies
    text: str  # formatted syllable (marks, or numbers)
    tone: int  # 1-4, 5 for the neutral tone, 0 if unknown


@dataclass(frozen=True)
class VisualLine:
    """One wrapped row of a block; ``[start, end)`` is the source span it covers."""

    start: int
    end: int
    cells: tuple[Cell, ...]
    width: int  # columns used, from 0 (indent included)
    ruby: tuple[RubyCell, ...] = ()
    _offsets: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def col_of(self, offset: int) -> int | None:
        """The column of the character at ``offset``; None if it is not drawn on this line.

        A hanging space at the end of the line answers with the column just
        after the last glyph, so a caret there stays on its line.
        """
        if not (self.start <= offset < self.end):
            return None
        offs = self._offsets or tuple(c.offset for c in self.cells)
        i = bisect.bisect_left(offs, offset)
        if i < len(offs) and offs[i] == offset:
            return self.cells[i].col
        return self.width

    def cell_at_col(self, col: int) -> Cell | None:
        """The character drawn at screen column ``col`` (for mouse clicks and cursors)."""
        for cell in self.cells:
            if cell.col <= col < cell.col + cell.width:
                return cell
        return None

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.cells)


# ---------------------------------------------------------------------- helpers

_width_cache: dict[str, int] = {}


def char_width(ch: str) -> int:
    """Terminal cells of one character, exactly as rich/Textual will draw it."""
    w = _width_cache.get(ch)
    if w is None:
        w = get_character_cell_size(ch)
        _width_cache[ch] = w
    return w


def _spaced(s: str, widths: list[int], i: int) -> bool:
    """Letter spacing between characters i and i+1: both wide, and no space is added
    before closing or after opening punctuation (full-width marks carry their own)."""
    return widths[i] == 2 and widths[i + 1] == 2 and s[i + 1] not in CLOSING and s[i] not in OPENING


def _latin(ch: str) -> bool:
    return (ch.isascii() and (ch.isalnum() or ch in "_")) or (
        ord(ch) < 0x2E80 and ch.isalpha()
    )


Readings = Sequence[tuple[str, int] | None]
"""Per character of a block: (formatted syllable, tone) or None."""

ReadingsProvider = Callable[[str, "PinyinStyle"], "Readings"]


def default_readings(text: str, style: PinyinStyle) -> list[tuple[str, int] | None]:
    """Readings for ``text`` from the pinyin engine the voice uses.

    ``reader.text.pinyin.char_readings`` is preferred (it applies the project's
    polyphone rules and lexicon, so the eyes see what the ears hear); until it
    is importable, pypinyin is used directly.
    """
    try:
        from reader.text import pinyin as engine

        syllables = engine.char_readings(text, sandhi=True)
        fmt = getattr(engine, "format_syllable", None)
        if len(syllables) != len(text):
            raise ValueError("one reading per character expected")
    except Exception:  # engine missing or broken: still show pinyin, from pypinyin
        syllables = _pypinyin_readings(text)
        fmt = None
    out: list[tuple[str, int] | None] = []
    for syl in syllables:
        if not syl:
            out.append(None)
            continue
        tone = int(syl[-1]) if syl[-1].isdigit() else 5
        numbered = syl if syl[-1].isdigit() else syl + "5"
        out.append((format_syllable(numbered, style, fmt), tone))
    return out


def _pypinyin_readings(text: str) -> list[str | None]:
    from pypinyin import Style, lazy_pinyin

    out: list[str | None] = [None] * len(text)
    for m in _HAN_RUN.finditer(text):
        syls = lazy_pinyin(m.group(), style=Style.TONE3, neutral_tone_with_five=True)
        if len(syls) == m.end() - m.start():
            out[m.start() : m.end()] = syls
    return out


def format_syllable(
    numbered: str, style: PinyinStyle, engine_format: Callable[[str, str], str] | None = None
) -> str:
    """A tone-numbered syllable (``zhong1``) in the user's style.

    ``colors`` shows tone marks too: the colour is an extra cue, never the only one.
    """
    if style == "numbers":
        return numbered.replace("v", "ü")
    key = (numbered, engine_format is not None)
    hit = _marks_cache.get(key)
    if hit is not None:
        return hit
    out = None
    if engine_format is not None:
        try:
            out = engine_format(numbered, "marks")
        except Exception:  # the engine's own formatter is optional; fall back to ours
            out = None
    if out is None:
        from pypinyin.contrib.tone_convert import to_tone

        out = to_tone(numbered.replace("ü", "v"))
    if len(_marks_cache) < 4096:  # about 1,300 syllables x 5 tones exist
        _marks_cache[key] = out
    return out


_marks_cache: dict[tuple[str, bool], str] = {}


# ---------------------------------------------------------------------- layout


def layout_block(
    text: str,
    start: int,
    end: int,
    opts: LayoutOptions,
    words: Sequence[tuple[int, int]] | None = None,
    readings: Readings | None = None,
) -> list[VisualLine]:
    """Wrap ``text[start:end]`` (one block, no newlines) into visual lines.

    ``words`` are absolute ``(start, end)`` spans of jieba words (e.g. from
    ``Document.words_in_sentence``); without them every CJK character may
    break.  ``readings`` overrides the pinyin of each character of the block
    (tests, or a caller that already has them); with ``opts.pinyin`` on and no
    ``readings`` they are computed with :func:`default_readings`.
    """
    s = text[start:end]
    n = len(s)
    if n == 0:
        return [VisualLine(start, end, (), opts.indent, ())]
    measure = max(1, opts.width)
    widths = [char_width(ch) for ch in s]

    ruby: Readings | None = None
    if opts.ruby:
        ruby = readings if readings is not None else default_readings(s, opts.pinyin_style)
        if len(ruby) != n:
            raise ValueError("readings must give one entry per character of the block")

    # slot[i]: columns reserved for character i; gap[i]: blank cells after it
    # when the next character is on the same line.
    if ruby is None:
        slot = widths
        if opts.letter_spacing:
            gap = [1 if _spaced(s, widths, i) else 0 for i in range(n - 1)]
            gap.append(0)
        else:
            gap = [0] * n
    else:
        rw = [len(r[0]) if r else 0 for r in ruby]
        slot = [w if w >= r else r for w, r in zip(widths, rw, strict=True)]
        gap = []
        for i in range(n - 1):
            g = 0
            if rw[i] and rw[i + 1] and rw[i] >= slot[i]:
                g = 1  # two syllables would touch
            elif opts.letter_spacing and _spaced(s, widths, i):
                g = 1
            gap.append(g)
        gap.append(0)

    units = _units(s, start, words)
    lines: list[VisualLine] = []
    cells: list[Cell] = []
    rcells: list[RubyCell] = []
    line_start = 0  # local index where the current line's span starts
    col = opts.indent if opts.indent < measure else 0
    line_left = col  # column where the current line's text starts
    last = -1  # local index of the last drawn character on the line

    def flush(upto: int) -> None:
        nonlocal cells, rcells, line_start, col, line_left, last
        width = cells[-1].col + cells[-1].width if cells else line_left
        if rcells:
            width = max(width, rcells[-1].col + rcells[-1].width)
        lines.append(
            VisualLine(
                start + line_start,
                start + upto,
                tuple(cells),
                width,
                tuple(rcells),
                tuple(c.offset for c in cells),
            )
        )
        cells, rcells = [], []
        line_start = upto
        col = line_left = 0
        last = -1

    def place(i: int, at: int) -> None:
        nonlocal col, last
        cells.append(Cell(start + i, at, widths[i], s[i]))
        if ruby is not None:
            r = ruby[i]
            if r:
                rcells.append(RubyCell(start + i, at, len(r[0]), r[0], r[1]))
        col = at + slot[i]
        last = i

    queue = list(reversed(units))
    while queue:
        a, b, is_space = queue.pop()
        lead = gap[last] if last >= 0 else 0
        if is_space:
            need = col + lead + sum(slot[a:b])
            if need <= measure:
                for i in range(a, b):
                    place(i, col + (lead if i == a else 0))
            else:  # hang the space at the end of the line, undrawn
                flush(b)
            continue
        inner = sum(slot[a:b]) + sum(gap[a : b - 1])
        if col + lead + inner <= measure:
            at = col + lead
            for i in range(a, b):
                place(i, at)
                at = col + gap[i]
            continue
        if last >= 0:  # does not fit after what is there: new line, try again
            flush(a)
            queue.append((a, b, False))
            continue
        # Too wide even for an empty line.
        if b - a > 1:
            pieces = _glue(s, [(i, i + 1, s[i].isspace()) for i in range(a, b)], split_runs=True)
            if len(pieces) > 1:
                queue.extend(reversed(pieces))
                continue
            # One glued piece that cannot be split by the rules: split anyway.
            queue.extend(reversed([(i, i + 1, False) for i in range(a, b)]))
            continue
        place(a, col)  # a single character wider than the measure
    if cells or line_start < n or not lines:
        flush(n)
    return lines


def _units(s: str, start: int, words: Sequence[tuple[int, int]] | None) -> list[tuple[int, int, bool]]:
    """Unbreakable units ``(a, b, is_space)`` in local indices, 禁则 applied."""
    n = len(s)
    base: list[tuple[int, int, bool]] = []
    word_end = [0] * n  # for i starting a word: its local end
    if words:
        for ws, we in words:
            a, b = max(ws - start, 0), min(we - start, n)
            if a < b:
                word_end[a] = max(word_end[a], b)
    i = 0
    while i < n:
        ch = s[i]
        if ch.isspace():
            j = i + 1
            while j < n and s[j].isspace():
                j += 1
            base.append((i, j, True))
            i = j
            continue
        j = i + 1
        if word_end[i] > i + 1:
            j = word_end[i]
            # a jieba token never swallows a space we must break at
            k = i
            while k < j and not s[k].isspace():
                k += 1
            j = max(k, i + 1)
        elif _latin(ch):
            while j < n and (_latin(s[j]) or (s[j] in ".,:'’-" and j + 1 < n and _latin(s[j + 1]) and s[j].isascii())):
                j += 1
        elif ch in INSEPARABLE:
            while j < n and s[j] == ch:
                j += 1
        base.append((i, j, False))
        i = j
    return _glue(s, base)


def _glue(
    s: str, units: list[tuple[int, int, bool]], split_runs: bool = False
) -> list[tuple[int, int, bool]]:
    """Merge units so closing punctuation never starts one and opening never ends one."""
    out: list[tuple[int, int, bool]] = []
    for a, b, sp in units:
        if not sp and s[a] in CLOSING and len(out) >= 2 and out[-1][2] and not out[-2][2]:
            # "word ，": the space must not become a break before the punctuation
            out[-2:] = [(out[-2][0], b, False)]
            continue
        if out and not sp and not out[-1][2]:
            pa, pb, _ = out[-1]
            ch = s[a]
            if (
                ch in CLOSING
                or s[pb - 1] in OPENING
                or (split_runs and ch in INSEPARABLE and s[pb - 1] == ch)
            ):
                out[-1] = (pa, b, False)
                continue
        out.append((a, b, sp))
    return out


def layout_article_block(
    text: str,
    block: object,
    opts: LayoutOptions,
    words: Sequence[tuple[int, int]] | None = None,
    readings: Readings | None = None,
) -> list[VisualLine]:
    """:func:`layout_block` for an ``Article`` block: only paragraphs are indented."""
    kind = getattr(block, "kind", "paragraph")
    if kind != "paragraph" and opts.indent:
        from dataclasses import replace

        opts = replace(opts, indent=0)
    return layout_block(text, block.start, block.end, opts, words, readings)  # type: ignore[attr-defined]
