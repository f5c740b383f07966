"""The terminal driver: Textual's own, made to believe a lone Esc sooner.

Esc is the stop key, and a listener who presses it wants silence now.  A
terminal sends Esc as the first byte of arrow and function keys too, so
Textual waits ``ESCDELAY`` ms for more bytes before it reports Esc.  Two
things made that wait about 110 ms here: the default ``ESCDELAY`` of 100 ms,
and the Linux driver's input loop, which looks at the parser's timeout only
when ``select`` returns, and calls ``select`` with a fixed 0.1 s timeout; so
even a shorter ``ESCDELAY`` still waited up to 100 ms.

:func:`reader.commands.app._short_escape_delay` sets ``ESCDELAY`` to 25 ms unless the user set it
(terminals send a key's whole sequence in one write; over a slow link the user
can raise it, as with curses programs), and :class:`PromptEscapeDriver`
caps the input loop's ``select`` timeout at ``ESCDELAY``, so the parser's
timeout is seen on time.  Idle, that is one wake-up per 25 ms of a thread that
only calls ``select``: too little to measure.
"""

from __future__ import annotations

import selectors
import sys
from typing import Any

from textual import constants
from textual.driver import Driver


class _PromptSelector(selectors.SelectSelector):
    """A ``select`` that never sleeps longer than the escape delay."""

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        cap = constants.ESCAPE_DELAY
        if timeout is None or timeout > cap:
            timeout = cap
        return super().select(timeout)


class _Selectors:
    """What the Linux driver's module uses of :mod:`selectors`, with the prompt selector."""

    SelectSelector = _PromptSelector
    EVENT_READ = selectors.EVENT_READ
    EVENT_WRITE = selectors.EVENT_WRITE

    def __getattr__(self, name: str) -> Any:
        return getattr(selectors, name)


def driver_class() -> type[Driver] | None:
    """The driver for this platform, or ``None`` to let Textual choose.

    Only the Linux/macOS driver has the fixed-timeout loop, and only when
    Textual's driver is not chosen by the environment (``TEXTUAL_DRIVER``) is
    it replaced.
    """
    if sys.platform == "win32" or constants.DRIVER is not None:
        return None
    from textual.drivers import linux_driver

    if not hasattr(linux_driver, "selectors") or not hasattr(
        linux_driver.LinuxDriver, "run_input_thread"
    ):
        return None  # a Textual whose input loop we do not know: keep its own

    class PromptEscapeDriver(linux_driver.LinuxDriver):
        """Textual's Linux driver, whose input loop wakes at least every ``ESCDELAY``."""

        def run_input_thread(self) -> None:
            # The loop builds its selector from the module's ``selectors`` name;
            # point that name at the prompt selector (only this app's driver
            # runs in this process).
            linux_driver.selectors = _Selectors()  # type: ignore[assignment]
            super().run_input_thread()

    return PromptEscapeDriver
