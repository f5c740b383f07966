"""Running the app under Pilot with the silent voice, recording what it said."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from reader.ui.app import ReaderApp

SIZE = (80, 24)


def run_app(script: Callable[[Any, ReaderApp], Awaitable[None]], **kwargs: Any) -> ReaderApp:
    """Start the app headless, wait for the warm-up, run ``script(pilot, app)``."""

    async def main() -> ReaderApp:
        kwargs.setdefault("speech_driver", "silent")
        app = ReaderApp(**kwargs)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await asyncio.get_running_loop().run_in_executor(None, app.warm_done.wait, 20)
            await pilot.pause()
            await script(pilot, app)
        return app

    return asyncio.run(main())


async def open_first(pilot: Any, app: ReaderApp) -> None:
    await pilot.press("enter")
    await pilot.pause()


async def keys(pilot: Any, *names: str) -> None:
    """Press keys one by one, letting the speech thread take each request."""
    for name in names:
        await pilot.press(name)
        await pilot.pause()
        pilot.app.voice.wait_idle()
        await pilot.pause()


def said_since(app: ReaderApp, mark: int) -> list[str]:
    return app.voice.spoken[mark:]
