"""The footer's key labels fit the terminal whole (no label cut or drawn over)."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest
from textual.widgets._footer import FooterKey

from reader.ui.app import ReaderApp
from reader.ui.screens import ReadingScreen


def footer_keys(app: ReaderApp) -> list[tuple[str, str, int, int]]:
    """(key, label, first column, last column + 1) of each key the footer shows."""
    footer = app.screen.query_one("Footer")
    return [
        (k.key_display, k.description, k.region.x, k.region.right)
        for k in footer.query(FooterKey)
        if k.display
    ]


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_footer_fits_at_80_and_100_columns(width, lang):
    async def main() -> None:
        app = ReaderApp(speech_driver="silent", screen_reader=False, lang=lang)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.pause()
            for screen in ("library", "reading"):
                await pilot.pause(0.2)
                shown = footer_keys(app)
                assert len(shown) >= 4, (screen, shown)
                labels = [label for _, label, _, _ in shown]
                assert len(labels) == len(set(labels)), labels  # no key shown twice
                for key, label, start, end in shown:
                    assert end <= width, (screen, key, label, start, end)
                spans = sorted((start, end) for _, _, start, end in shown)
                for (_, end), (start, _) in pairwise(spans):
                    assert start >= end, spans  # none drawn over another
                await pilot.press("enter")
                await pilot.pause(0.2)
            assert isinstance(app.screen, ReadingScreen)

    asyncio.run(main())
