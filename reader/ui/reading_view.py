"""The reading view: the article, the current sentence and the spoken word.

Built on Textual's Line API: ``render_line`` draws one screen row from the
cached layout of the block it falls in, so only the blocks on screen are ever
laid out, and a 600,000-character book opens as fast as a short article.
Instead of a scroll offset over the whole book (whose height would mean
laying out every block), the view keeps an *anchor*: the block and row at the
top of the screen.  Moving the caret moves the anchor just enough to keep the
caret in view (never animated), which is also what makes "the view follows the
voice" cheap.

Highlights never rely on colour alone: the current sentence is underlined,
the current word (or the character under the caret) is reversed.  Article text
only ever becomes ``Segment`` text, so ``[bold]`` in an article is shown as
typed, never interpreted as markup.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, NamedTuple

from rich.segment import Segment
from textual.geometry import Offset, Size
from textual.strip import Strip
from textual.widget import Widget

from reader.layout.wrap import LayoutOptions, VisualLine, layout_article_block

#: laid-out blocks kept per view (least recently used go first): enough for
#: several screens either way, few enough that memory and GC stay flat.
MAX_CACHED_BLOCKS = 200


def readings_version() -> int:
    """The pinyin engine's readings version (see ``reader.text.pinyin.readings_version``)."""
    try:
        from reader.text.pinyin import readings_version as version

        return version()
    except Exception:  # no pinyin engine: readings never change
        return 0


class Row(NamedTuple):
    """One screen row of a block: a text row, the ruby row above it, or a blank."""

    kind: str  # "text", "ruby", "blank"
    line: VisualLine | None
    line_index: int


class ReadingView(Widget, can_focus=True):
    """Draws the article around the caret; knows nothing about keys or speech."""

    DEFAULT_CSS = """
    ReadingView {
        height: 1fr;
        width: 1fr;
        padding: 0 1;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reading-view--sentence",
        "reading-view--word",
        "reading-view--heading",
        "reading-view--caption",
        "reading-view--ruby",
    }

    def __init__(
        self,
        doc: Any,
        *,
        options: LayoutOptions | None = None,
        max_width: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.doc = doc
        self.options = options or LayoutOptions()
        self.max_width = max_width
        self.caret = 0
        self.sentence: tuple[int, int] | None = None
        self.word: tuple[int, int] | None = None
        self.top: tuple[int, int] = (0, 0)
        self._rows: dict[int, list[Row]] = {}
        self._rows_key: Any = None
        #: the pinyin engine's readings version the rows were laid out with (a lexicon
        #: edit changes it: the ruby is laid out again at the next move)
        self._readings_version = readings_version()
        self._frame: list[tuple[int, int]] | None = None
        self.use_words = False
        #: low-vision drawing (reader.ui.lowvision.Presentation): theme, focus, large print.
        self.presentation: Any = None

    def on_mount(self) -> None:
        hook = getattr(self.app, "presentation_for", None)  # low-vision settings
        if hook is not None:
            hook(self)

    # ------------------------------------------------------------------ layout

    @property
    def measure(self) -> int:
        width = max(4, self.content_size.width or 80)
        if self.max_width:
            width = min(width, self.max_width)
        return width

    def layout_options(self) -> LayoutOptions:
        return replace(self.options, width=self.measure)

    def set_options(self, options: LayoutOptions | None = None, max_width: int | None = None) -> None:
        """Change presentation (themes, spacing, pinyin); the caret stays where it is."""
        if options is not None:
            self.options = options
        if max_width is not None:
            self.max_width = max_width or None
        self.invalidate()

    def check_readings(self) -> bool:
        """Whether readings changed (a lexicon edit, here or in another process) since the
        rows were laid out; if so the next :meth:`rows` lays them out again."""
        version = readings_version()
        if version == self._readings_version:
            return False
        self._readings_version = version
        self.refresh()
        return True

    def invalidate(self) -> None:
        self._rows.clear()
        self._frame = None
        self.scroll_to_caret(force=True)
        self.refresh()

    def _block_words(self, bi: int) -> list[tuple[int, int]] | None:
        if not self.use_words:
            return None
        doc = self.doc
        first = doc._block_first_sentence[bi]
        last = (
            doc._block_first_sentence[bi + 1]
            if bi + 1 < len(doc._block_first_sentence)
            else doc.count("sentence")
        )
        words: list[tuple[int, int]] = []
        for si in range(first, last):
            words.extend(doc.words_in_sentence(si))
        return words

    def rows(self, bi: int) -> list[Row]:
        """Screen rows of block ``bi`` (laid out once per width and options)."""
        opts = self.layout_options()
        key = (opts, self.use_words, self._readings_version)
        if key != self._rows_key:
            self._rows.clear()
            self._rows_key = key
            self._frame = None  # the frame was cut from the old rows
        cached = self._rows.pop(bi, None)
        if cached is not None:
            self._rows[bi] = cached  # most recently used last
            return cached
        while len(self._rows) >= MAX_CACHED_BLOCKS:  # bounded: a whole book never piles up
            del self._rows[next(iter(self._rows))]
        block = self.doc.blocks[bi]
        lines = layout_article_block(self.doc.text, block, opts, self._block_words(bi))
        rows: list[Row] = []
        for li, line in enumerate(lines):
            if opts.ruby:
                rows.append(Row("ruby", line, li))
            rows.append(Row("text", line, li))
            if li < len(lines) - 1:
                rows.extend(Row("blank", None, li) for _ in range(opts.line_spacing))
        if bi < len(self.doc.blocks) - 1:
            rows.extend(Row("blank", None, len(lines) - 1) for _ in range(opts.paragraph_spacing))
        self._rows[bi] = rows
        return rows

    def block_of(self, offset: int) -> int:
        return self.doc._block_index(offset) if self.doc.blocks else 0

    def row_of(self, offset: int) -> tuple[int, int]:
        """(block, row) of the text row showing ``offset``."""
        bi = self.block_of(offset)
        for ri, row in enumerate(self.rows(bi)):
            if row.kind == "text" and row.line is not None and row.line.start <= offset < max(row.line.end, row.line.start + 1):
                return bi, ri
        rows = self.rows(bi)
        text_rows = [ri for ri, r in enumerate(rows) if r.kind == "text"]
        return bi, (text_rows[-1] if text_rows else 0)

    def _walk(self, start: tuple[int, int], count: int) -> tuple[int, int]:
        """The row ``count`` rows after (or before, if negative) ``start``."""
        bi, ri = start
        if count >= 0:
            while count > 0:
                rows = self.rows(bi)
                left = len(rows) - 1 - ri
                if count <= left:
                    return bi, ri + count
                if bi + 1 >= len(self.doc.blocks):
                    return bi, len(rows) - 1
                count -= left + 1
                bi, ri = bi + 1, 0
            return bi, ri
        count = -count
        while count > 0:
            if count <= ri:
                return bi, ri - count
            if bi == 0:
                return 0, 0
            count -= ri + 1
            bi -= 1
            ri = len(self.rows(bi)) - 1
        return bi, ri

    def frame(self) -> list[tuple[int, int]]:
        """(block, row) of every screen row, from the anchor down."""
        if self._frame is not None:
            return self._frame
        height = self.content_size.height or 24
        frame: list[tuple[int, int]] = []
        if self.doc.blocks:
            bi, ri = self.top
            while len(frame) < height:
                rows = self.rows(bi)
                while ri < len(rows) and len(frame) < height:
                    frame.append((bi, ri))
                    ri += 1
                if bi + 1 >= len(self.doc.blocks):
                    break
                bi, ri = bi + 1, 0
        self._frame = frame
        return frame

    def scroll_to_caret(self, force: bool = False) -> None:
        """Move the anchor so the caret's row is on screen (a third of the way down)."""
        if not self.doc.blocks:
            return
        target = self.row_of(self.caret)
        frame = self.frame()
        height = self.content_size.height or 24
        margin = 1 if height > 4 else 0
        inside = frame[margin : len(frame) - margin] if len(frame) >= height else frame
        if not force and target in inside:
            return
        self.top = self._walk(target, -(height // 3))
        self._frame = None

    # ------------------------------------------------------------------ state

    def set_caret(
        self,
        offset: int,
        sentence: tuple[int, int] | None = None,
        word: tuple[int, int] | None = None,
    ) -> None:
        """Put the caret (and highlights) at ``offset`` and bring it into view."""
        self.check_readings()
        self.caret = max(0, min(offset, max(0, len(self.doc.text) - 1)))
        self.sentence = sentence
        self.word = word
        fixed = self.presentation is not None and self.presentation.fixed_line
        self.scroll_to_caret(force=fixed)
        self.refresh()
        if self.presentation is not None:
            self.presentation.caret_moved(self)

    def caret_screen_offset(self) -> Offset | None:
        """Where the caret is on the screen (for the hardware cursor), None if hidden."""
        bi, ri = self.row_of(self.caret)
        frame = self.frame()
        try:
            y = frame.index((bi, ri))
        except ValueError:
            return None
        line = self.rows(bi)[ri].line
        col = line.col_of(self.caret) if line is not None else 0
        region = self.content_region
        return Offset(region.x + (col or 0), region.y + y)

    def visible_text(self) -> list[str]:
        """The rows on screen as plain text (for tests and the braille line)."""
        out = []
        for bi, ri in self.frame():
            row = self.rows(bi)[ri]
            out.append(row.line.text if row.kind == "text" and row.line else "")
        return out

    # ------------------------------------------------------------------ drawing

    def on_resize(self) -> None:
        self._frame = None
        self.scroll_to_caret(force=True)

    def render_line(self, y: int) -> Strip:
        if self.presentation is not None:
            return self.presentation.render_row(self, y)
        frame = self.frame()
        width = self.content_size.width
        base = self.rich_style
        if y >= len(frame):
            return Strip.blank(width, base)
        bi, ri = frame[y]
        row = self.rows(bi)[ri]
        if row.line is None or row.kind == "blank":
            return Strip.blank(width, base)
        block = self.doc.blocks[bi]
        style = base
        if block.kind == "heading":
            style = base + self.get_component_rich_style("reading-view--heading", partial=True)
        elif block.kind == "caption":
            style = base + self.get_component_rich_style("reading-view--caption", partial=True)
        segments: list[Segment] = []
        col = 0
        if row.kind == "ruby":
            ruby_style = style + self.get_component_rich_style("reading-view--ruby", partial=True)
            for cell in row.line.ruby:
                if cell.col > col:
                    segments.append(Segment(" " * (cell.col - col), style))
                segments.append(Segment(cell.text, ruby_style))
                col = cell.col + cell.width
        else:
            sentence_style = self.get_component_rich_style("reading-view--sentence", partial=True)
            word_style = self.get_component_rich_style("reading-view--word", partial=True)
            sentence = self.sentence
            word = self.word or (self.caret, self.caret + 1)
            for cell in row.line.cells:
                if cell.col > col:
                    gap_style = style
                    if sentence and sentence[0] <= cell.offset < sentence[1] and cell.offset > sentence[0]:
                        gap_style = style + sentence_style
                    segments.append(Segment(" " * (cell.col - col), gap_style))
                cell_style = style
                if sentence and sentence[0] <= cell.offset < sentence[1]:
                    cell_style = cell_style + sentence_style
                if word[0] <= cell.offset < word[1]:
                    cell_style = cell_style + word_style
                segments.append(Segment(cell.text, cell_style))
                col = cell.col + cell.width
        strip = Strip(segments, col)
        return strip.extend_cell_length(width, base).crop(0, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

