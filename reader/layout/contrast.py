"""WCAG 2.x contrast ratios, so theme colours are checked, not eyeballed.

The formula is WCAG 2.1's: relative luminance of sRGB colours, then
``(L1 + 0.05) / (L2 + 0.05)``.  AAA for body text needs 7:1, AA 4.5:1.
"""

from __future__ import annotations

AAA = 7.0
AA = 4.5


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#rgb`` or ``#rrggbb`` to an RGB triple; anything else raises ValueError."""
    c = color.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _channel(v: int) -> float:
    s = v / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(color: str | tuple[int, int, int]) -> float:
    """Relative luminance, 0 (black) to 1 (white)."""
    r, g, b = parse_hex(color) if isinstance(color, str) else color
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21 (order does not matter)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)
