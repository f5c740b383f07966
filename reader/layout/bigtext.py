"""Large print: characters drawn from a real CJK font in half-block glyphs (▀ ▄ █).

Some readers need characters far larger than the terminal's font.  A terminal
cell is about twice as tall as wide, so splitting it into an upper and a lower
half gives square "pixels": a glyph rendered by Pillow at ``2N`` pixels tall
becomes ``N`` rows of half-block characters, and a Han character (two cells
wide in normal text) becomes ``2N`` cells wide — exactly ``N`` times the size
of normal text, which is what "size N×" means here (2× to 8×).  Below about 6×
complex characters lose strokes; the settings screen says so when choosing.

Fonts: ``READER_CJK_FONT`` if set, else Debian's fonts-wqy-zenhei,
fonts-wqy-microhei, fonts-noto-cjk, fonts-arphic or Droid fallback.  Where none
is installed :func:`find_cjk_font` returns None and :func:`missing_font_notice`
gives the one-line notice the app shows instead of failing.

Glyphs are cached per character and size, so following the voice word by word
costs a dictionary lookup per character after the first time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reader.layout.wrap import LayoutOptions, char_width, layout_block

MIN_SIZE = 2
MAX_SIZE = 8

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

#: upper half, lower half -> character
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def find_cjk_font() -> Path | None:
    """The first installed font that has Han characters, or None."""
    override = os.environ.get("READER_CJK_FONT")
    if override is not None:
        path = Path(override)
        return path if override and path.is_file() else None
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    for root in (Path("/usr/share/fonts"), Path.home() / ".local/share/fonts"):
        if root.is_dir():
            for pattern in ("*CJK*", "*wqy*", "*Hei*", "*Song*"):
                for path in sorted(root.rglob(pattern)):
                    if path.suffix.lower() in (".ttc", ".ttf", ".otf"):
                        return path
    return None


def missing_font_notice(lang: str = "zh") -> str:
    """The one line shown (and spoken) where large print cannot be drawn."""
    if lang == "en":
        return "Large print needs a Chinese font: install fonts-wqy-zenhei or fonts-noto-cjk."
    return "大字显示需要中文字体：请安装 fonts-wqy-zenhei 或 fonts-noto-cjk。"


def clamp_size(size: int) -> int:
    return max(MIN_SIZE, min(MAX_SIZE, int(size)))


@dataclass(frozen=True)
class BigText:
    """Renders text at ``size``× with the font at ``font_path``."""

    font_path: Path
    size: int = 6

    @classmethod
    def create(cls, size: int = 6, font_path: Path | None = None) -> BigText | None:
        """A renderer, or None where no CJK font is installed (show the notice)."""
        path = font_path or find_cjk_font()
        if path is None:
            return None
        return cls(Path(path), clamp_size(size))

    def glyph(self, ch: str) -> tuple[str, ...]:
        """``size`` rows of half-block characters for one character."""
        return _glyph(str(self.font_path), self.size, ch)

    def render_line(self, text: str) -> list[str]:
        """One row of big characters (no wrapping): ``size`` strings of equal width."""
        rows = [""] * self.size
        for ch in text:
            g = self.glyph(ch)
            for i in range(self.size):
                rows[i] += g[i]
        return rows

    def render(self, text: str, width: int, words: list[tuple[int, int]] | None = None) -> list[list[str]]:
        """Big lines for ``text`` wrapped to ``width`` cells, with the same 禁则 as normal text.

        Returns one list of ``size`` row strings per wrapped line.
        """
        if not text:
            return []
        measure = max(2, width // self.size)
        lines = layout_block(text, 0, len(text), LayoutOptions(width=measure), words)
        return [self.render_line(text[ln.start : ln.end].rstrip()) for ln in lines]


@lru_cache(maxsize=4)
def _font(path: str, px: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.truetype(path, px)


@lru_cache(maxsize=32)
def _reference_top(path: str, px: int, mode: str) -> int:
    """Vertical offset that centres a full-height Han character (国) in a ``px`` box.

    Every character of one size uses the same offset, so Latin letters and
    digits share a baseline with the Han characters around them.
    """
    from PIL import Image, ImageDraw

    font = _font(path, px)
    draw = ImageDraw.Draw(Image.new("L", (px * 2, px * 2), 0))
    draw.fontmode = mode
    top, bottom = draw.textbbox((0, 0), "国", font=font)[1::2]
    return (px - (bottom - top)) // 2 - top


@lru_cache(maxsize=8192)
def _glyph(path: str, size: int, ch: str) -> tuple[str, ...]:
    from PIL import Image, ImageDraw

    cells = char_width(ch) * size  # columns, one pixel each
    px = 2 * size  # pixel rows: two per terminal row
    if ch.isspace() or cells == 0:
        return tuple(" " * cells for _ in range(size))
    # From 12 px up, CJK fonts' own hinting (wqy-zenhei even ships hand-made 12
    # and 16 px bitmaps) gives crisper strokes than thresholding an
    # anti-aliased rendering; below that, supersampling keeps thin strokes.
    bitmap = px >= 12
    ss = 1 if bitmap else 4
    mode = "1" if bitmap else "L"
    font = _font(path, px * ss)
    canvas = Image.new("L", (cells * ss, px * ss), 0)
    draw = ImageDraw.Draw(canvas)
    draw.fontmode = mode
    bbox = draw.textbbox((0, 0), ch, font=font)
    x = (cells * ss - (bbox[2] - bbox[0])) // 2 - bbox[0]
    y = _reference_top(path, px * ss, mode)
    draw.text((x, y), ch, fill=255, font=font)
    small = canvas if ss == 1 else canvas.resize((cells, px), Image.Resampling.BOX)
    data = small.load()
    threshold = 128 if bitmap else 90
    rows = []
    for r in range(size):
        line = []
        for c in range(cells):
            top = data[c, 2 * r] >= threshold
            bottom = data[c, 2 * r + 1] >= threshold
            line.append(_HALF[(top, bottom)])
        rows.append("".join(line))
    return tuple(rows)
