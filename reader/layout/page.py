"""A whole article on screen, laid out lazily: what the reading view draws from.

A 600,000-character book must open and scroll at once, so nothing is laid out
before it is needed: :class:`ArticleLayout` wraps a block the first time one of
its rows is drawn and keeps the result (a small LRU cache keyed by block).

Scrolling is anchored, not absolute: the top of the screen is an
:class:`Anchor` ``(block, row)`` — row ``row`` of block ``block``'s rows — so
moving to the middle of a book never lays out the half before it.  Where a
scrollbar needs the absolute row, :meth:`ArticleLayout.estimated_row` gives an
estimate that becomes exact for blocks already laid out.

Rows of one block, top to bottom: for every visual line its ruby row (when
pinyin is on), its body row and ``line_spacing`` blank rows; then
``paragraph_spacing`` blank rows (except after the last block).

Focus mode data: :func:`focus_span` is the span that stays bright;
:meth:`ArticleLayout.follow` keeps the line being read at a fixed height on
screen while the voice moves on, so the eyes need not hunt.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reader.layout.render import Marks, Row, blank_row, render_line
from reader.layout.theme import Theme
from reader.layout.wrap import LayoutOptions, Readings, VisualLine, layout_block

WordsProvider = Callable[[str, int, int], Sequence[tuple[int, int]]]


class Anchor(NamedTuple):
    """A screen row named by the block it belongs to and the row inside that block."""

    block: int
    row: int


@dataclass(frozen=True)
class RowRef:
    """What one screen row shows."""

    block: int
    line: int  # index of the visual line in the block, -1 for paragraph spacing
    kind: str  # "ruby", "body", "space" (line spacing) or "para" (paragraph spacing)


def jieba_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Absolute spans of the words jieba (rjieba) finds in ``text[start:end]``."""
    from reader.text.segment import tokenize

    return [(start + a, start + b) for w, a, b in tokenize(text[start:end]) if not w.isspace()]


class ArticleLayout:
    """The article's blocks laid out for one set of options, on demand."""

    def __init__(
        self,
        text: str,
        blocks: Sequence[object],
        opts: LayoutOptions,
        *,
        words: WordsProvider | None = jieba_words,
        readings: Callable[[str, str], Readings] | None = None,
        cache_size: int = 2048,
    ) -> None:
        self.text = text
        self.blocks = list(blocks)
        self.opts = opts
        self._words = words
        self._readings = readings
        self._cache: OrderedDict[int, list[VisualLine]] = OrderedDict()
        self._cache_size = cache_size
        self._starts = [b.start for b in self.blocks]  # type: ignore[attr-defined]

    # ------------------------------------------------------------ blocks

    def __len__(self) -> int:
        return len(self.blocks)

    def is_heading(self, bi: int) -> bool:
        return getattr(self.blocks[bi], "kind", "paragraph") == "heading"

    def lines(self, bi: int) -> list[VisualLine]:
        """The visual lines of block ``bi`` (laid out now if not yet)."""
        hit = self._cache.get(bi)
        if hit is not None:
            self._cache.move_to_end(bi)
            return hit
        block = self.blocks[bi]
        start, end = block.start, block.end  # type: ignore[attr-defined]
        opts = self.opts
        if getattr(block, "kind", "paragraph") != "paragraph" and opts.indent:
            from dataclasses import replace

            opts = replace(opts, indent=0)
        words = self._words(self.text, start, end) if self._words else None
        readings = None
        if opts.ruby and self._readings is not None:
            readings = self._readings(self.text[start:end], opts.pinyin_style)
        lines = layout_block(self.text, start, end, opts, words, readings)
        self._cache[bi] = lines
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return lines

    def block_height(self, bi: int) -> int:
        """Screen rows of block ``bi``, its paragraph spacing included."""
        spacing = self.opts.paragraph_spacing if bi < len(self.blocks) - 1 else 0
        return len(self.lines(bi)) * self.opts.rows_per_line + spacing

    def estimated_height(self, bi: int) -> int:
        """Rows of a block without laying it out (exact if it is already laid out)."""
        if bi in self._cache:
            return self.block_height(bi)
        block = self.blocks[bi]
        chars = block.end - block.start  # type: ignore[attr-defined]
        per_char = 2 if not self.opts.ruby else 4
        if self.opts.letter_spacing:
            per_char += 1
        lines = max(1, -(-chars * per_char // max(1, self.opts.width)))
        spacing = self.opts.paragraph_spacing if bi < len(self.blocks) - 1 else 0
        return lines * self.opts.rows_per_line + spacing

    def estimated_row(self, anchor: Anchor) -> int:
        """Absolute row of ``anchor`` for a scrollbar (estimates for blocks not laid out)."""
        return sum(self.estimated_height(i) for i in range(anchor.block)) + anchor.row

    def estimated_total(self) -> int:
        return sum(self.estimated_height(i) for i in range(len(self.blocks)))

    # ------------------------------------------------------------ offsets

    def block_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def locate(self, offset: int) -> tuple[int, int, int]:
        """``(block, line, column)`` of the character at ``offset``."""
        bi = self.block_of(offset)
        lines = self.lines(bi)
        li = max(0, bisect.bisect_right([ln.start for ln in lines], offset) - 1)
        col = lines[li].col_of(offset)
        return bi, li, lines[li].width if col is None else col

    def anchor_of(self, offset: int) -> Anchor:
        """The body row of the line showing ``offset``."""
        bi, li, _ = self.locate(offset)
        return Anchor(bi, li * self.opts.rows_per_line + (1 if self.opts.ruby else 0))

    def row_ref(self, anchor: Anchor) -> RowRef:
        lines = self.lines(anchor.block)
        rpl = self.opts.rows_per_line
        if anchor.row >= len(lines) * rpl:
            return RowRef(anchor.block, -1, "para")
        li, sub = divmod(anchor.row, rpl)
        if self.opts.ruby:
            kind = "ruby" if sub == 0 else "body" if sub == 1 else "space"
        else:
            kind = "body" if sub == 0 else "space"
        return RowRef(anchor.block, li, kind)

    # ------------------------------------------------------------ scrolling

    def move(self, anchor: Anchor, rows: int) -> Anchor:
        """``anchor`` moved by ``rows`` (negative: up), clamped to the article."""
        bi, row = anchor
        row += rows
        while row < 0 and bi > 0:
            bi -= 1
            row += self.block_height(bi)
        if row < 0:
            return Anchor(0, 0)
        while bi < len(self.blocks) and row >= self.block_height(bi):
            if bi == len(self.blocks) - 1:
                return Anchor(bi, max(0, self.block_height(bi) - 1))
            row -= self.block_height(bi)
            bi += 1
        return Anchor(bi, row)

    def distance(self, a: Anchor, b: Anchor, limit: int) -> int | None:
        """Rows from ``a`` down to ``b`` if b is within ``limit`` rows below a, else None."""
        if b < a:
            return None
        if a.block == b.block:
            d = b.row - a.row
            return d if d <= limit else None
        d = self.block_height(a.block) - a.row
        bi = a.block + 1
        while bi < b.block:
            if d > limit:
                return None
            d += self.block_height(bi)
            bi += 1
        d += b.row
        return d if d <= limit else None

    def follow(self, offset: int, height: int, fraction: float = 1 / 3) -> Anchor:
        """The top anchor that puts ``offset``'s line ``fraction`` of the way down the screen."""
        target = self.anchor_of(offset)
        up = int(max(0, height - 1) * fraction)
        if self.opts.ruby:
            up = max(up, 1)  # keep the ruby row of the line on screen
        return self.move(target, -up)

    def ensure_visible(self, offset: int, top: Anchor, height: int, margin: int = 1) -> Anchor:
        """``top`` unchanged if ``offset``'s line is on screen (with ``margin`` rows), else moved."""
        target = self.anchor_of(offset)
        extra = 1 if self.opts.ruby else 0
        margin = min(margin, max(0, (height - 1 - extra) // 2))
        first = self.move(top, margin + extra)
        d = self.distance(first, target, max(0, height - 1 - 2 * margin - extra))
        if d is not None:
            return top
        if target < first:
            return self.move(target, -(margin + extra))
        return self.move(target, -(height - 1 - margin))

    # ------------------------------------------------------------ drawing

    def window(self, top: Anchor, height: int) -> list[RowRef | None]:
        """What each of ``height`` screen rows from ``top`` shows (None past the end)."""
        out: list[RowRef | None] = []
        bi, row = top
        while len(out) < height:
            if bi >= len(self.blocks):
                out.append(None)
                continue
            h = self.block_height(bi)
            while row < h and len(out) < height:
                out.append(self.row_ref(Anchor(bi, row)))
                row += 1
            bi, row = bi + 1, 0
        return out

    def render(
        self,
        top: Anchor,
        height: int,
        width: int,
        theme: Theme,
        marks: Marks = Marks(),  # noqa: B008 - immutable
        left: int | None = None,
    ) -> list[Row]:
        """``height`` rows of ``width`` cells from ``top``: the screen the view shows.

        ``left`` defaults to centring the measure in ``width``.
        """
        if left is None:
            left = max(0, (width - self.opts.width) // 2)
        rows: list[Row] = []
        rendered: dict[tuple[int, int], list[Row]] = {}
        blank = blank_row(theme, width)
        for ref in self.window(top, height):
            if ref is None or ref.kind == "para":
                rows.append(blank)
                continue
            key = (ref.block, ref.line)
            line_rows = rendered.get(key)
            if line_rows is None:
                line = self.lines(ref.block)[ref.line]
                line_rows = render_line(
                    line, self.opts, theme, marks, width=width, left=left, heading=self.is_heading(ref.block)
                )
                rendered[key] = line_rows
            if ref.kind == "ruby":
                rows.append(line_rows[0])
            elif ref.kind == "body":
                rows.append(line_rows[1 if self.opts.ruby else 0])
            else:
                rows.append(blank)
        return rows

    def screen_position(self, offset: int, top: Anchor, height: int, width: int) -> tuple[int, int] | None:
        """``(x, y)`` of the character at ``offset`` on screen, or None if off screen.

        This is where the terminal cursor goes beside a screen reader.
        """
        left = max(0, (width - self.opts.width) // 2)
        target = self.anchor_of(offset)
        y = self.distance(top, target, height - 1)
        if y is None:
            return None
        _, _, col = self.locate(offset)
        return left + col, y


def focus_span(document: object, offset: int, unit: str = "sentence") -> tuple[int, int] | None:
    """The span focus mode keeps bright: the sentence or paragraph at ``offset``."""
    found = document.unit_at(unit, offset)  # type: ignore[attr-defined]
    return None if found is None else (found.start, found.end)
