"""Large print that follows the voice: the current word or sentence in big glyphs.

The glyphs come from :mod:`reader.layout.bigtext` (a real CJK font through
Pillow, drawn in half-block characters); this widget only lays them out in
the panel under the reading view and colours them with the reading theme.
Where no CJK font is installed it shows (and the app speaks) one line saying
which package to install, instead of failing.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from reader.layout.bigtext import BigText, clamp_size, missing_font_notice
from reader.layout.theme import Theme


class LargePrint(Widget):
    """Big glyphs of the text given to :meth:`show`, wrapped to the panel width."""

    DEFAULT_CSS = """
    LargePrint {
        height: auto;
        max-height: 60%;
        padding: 0 1;
    }
    """

    def __init__(self, size: int = 6, theme: Theme | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.glyph_size = clamp_size(size)
        self.theme_data = theme
        self.text = ""
        self._big = BigText.create(self.glyph_size)
        self._rows: list[str] = []
        self._width = 0

    @property
    def available(self) -> bool:
        """False where no CJK font is installed (the panel then shows the notice)."""
        return self._big is not None

    def set_size(self, size: int, theme: Theme | None = None) -> None:
        size = clamp_size(size)
        if theme is not None:
            self.theme_data = theme
        if size != self.glyph_size:
            self.glyph_size = size
            self._big = BigText.create(size)
        self._relayout()

    def show(self, text: str) -> None:
        """Show ``text`` (the word or sentence being read) in big glyphs."""
        text = " ".join(text.split())
        if text == self.text and self._rows and self._width == self.content_size.width:
            return
        self.text = text
        self._relayout()

    def on_resize(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        width = self.content_size.width or max(20, (self.app.size.width if self.is_attached else 80) - 2)
        self._width = width
        if self._big is None:
            lang = getattr(self.app, "lang", "zh") if self.is_attached else "zh"
            self._rows = [missing_font_notice(lang)]
        elif not self.text:
            self._rows = []
        else:
            rows: list[str] = []
            # as many big lines as fit in the panel's maximum height
            room = max(1, ((self.app.size.height if self.is_attached else 24) * 6 // 10) // self.glyph_size)
            for line in self._big.render(self.text, width)[:room]:
                rows.extend(line)
            self._rows = rows
        self.styles.height = max(1, len(self._rows))
        self.refresh(layout=True)

    def rows_text(self) -> list[str]:
        """The panel's rows as plain text (tests, plain-text dumps)."""
        return list(self._rows)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        style = self.theme_data.style("text") if self.theme_data else Style()
        if y >= len(self._rows):
            return Strip([Segment(" " * width, style)], width)
        text = self._rows[y][:width]
        return Strip([Segment(text, style)]).extend_cell_length(width, style)
