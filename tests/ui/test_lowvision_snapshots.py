"""Snapshots of the reading view in every theme, with pinyin, spacing, focus and large print.

Each at two terminal sizes.  Regenerate after an intended change with
``pytest tests/ui/test_lowvision_snapshots.py --snapshot-update`` and look at
the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import asyncio

import pytest

from reader.settings import Settings
from reader.ui.app import ReaderApp

SIZES = {"small": (60, 20), "large": (100, 34)}
THEMES = ["ansi", "white-on-black", "black-on-white", "yellow-on-black", "mono"]


def _app(**settings: object) -> ReaderApp:
    return ReaderApp(Settings(**settings), speech_driver="silent", screen_reader=False, lang="zh")  # type: ignore[arg-type]


async def _open(pilot) -> None:
    app = pilot.app
    await asyncio.get_running_loop().run_in_executor(None, app.warm_done.wait, 20)
    await pilot.pause()
    for key in ("enter", "down", "ctrl+right"):  # over "，" to 银行, a word of paragraph 2
        await pilot.press(key)
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", THEMES)
def test_theme(snap_compare, theme, size):
    assert snap_compare(_app(theme=theme), terminal_size=SIZES[size], run_before=_open)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("style", ["marks", "numbers", "colors"])
def test_pinyin(snap_compare, style, size):
    app = _app(theme="white-on-black", pinyin="all", pinyin_style=style)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_open)


@pytest.mark.parametrize("size", SIZES)
def test_pinyin_current_sentence_only(snap_compare, size):
    app = _app(theme="yellow-on-black", pinyin="sentence")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_open)


@pytest.mark.parametrize("size", SIZES)
def test_letter_and_line_spacing(snap_compare, size):
    app = _app(theme="black-on-white", letter_spacing=True, line_spacing=1, indent=4, measure=40)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_open)


@pytest.mark.parametrize("size", SIZES)
def test_focus(snap_compare, size):
    app = _app(theme="white-on-black", focus="sentence")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_open)


@pytest.mark.parametrize("size", SIZES)
def test_large_print(snap_compare, size):
    app = _app(theme="yellow-on-black", large_print="word", large_print_size=6)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_open)


@pytest.mark.parametrize("size", SIZES)
def test_settings_screen(snap_compare, size):
    async def before(pilot) -> None:
        await _open(pilot)
        for key in ("f2", "down", "down", "right"):
            await pilot.press(key)
            await pilot.pause()

    app = _app(theme="white-on-black")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=before)
