"""Snapshots of the library, the reading view and help (pytest-textual-snapshot).

Regenerate after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import asyncio

from reader.ui.app import ReaderApp

SIZE = (80, 24)


async def _ready(pilot) -> None:
    app = pilot.app
    await asyncio.get_running_loop().run_in_executor(None, app.warm_done.wait, 20)
    await pilot.pause()


def _app() -> ReaderApp:
    return ReaderApp(speech_driver="silent", screen_reader=False, lang="zh")


def test_library_snapshot(snap_compare):
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_ready)


def test_reading_view_snapshot(snap_compare):
    async def before(pilot) -> None:
        await _ready(pilot)
        for key in ("enter", "down", "down", "ctrl+right"):
            await pilot.press(key)
            await pilot.pause()

    assert snap_compare(_app(), terminal_size=SIZE, run_before=before)


def test_help_snapshot(snap_compare):
    async def before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=SIZE, run_before=before)
