"""The driver that reports a lone Esc (the stop key) without Textual's 100 ms wait."""

from __future__ import annotations

import os
import time

from textual import constants

from reader.settings import Settings
from reader.ui.app import ReaderApp
from reader.ui.driver import _PromptSelector, driver_class


def test_the_app_runs_on_the_prompt_driver():
    cls = driver_class()
    assert cls is not None and cls.__name__ == "PromptEscapeDriver"
    assert ReaderApp(Settings()).driver_class.__name__ == "PromptEscapeDriver"


def test_select_never_sleeps_longer_than_the_escape_delay():
    r, w = os.pipe()
    try:
        sel = _PromptSelector()
        sel.register(r, 1)
        t = time.monotonic()
        assert sel.select(5.0) == []  # nothing to read: returns after ESCDELAY, not 5 s
        assert time.monotonic() - t < 5.0 * 0.5
        assert constants.ESCAPE_DELAY <= 0.1
        os.write(w, b"\x1b")
        assert len(sel.select(5.0)) == 1
        sel.close()
    finally:
        os.close(r)
        os.close(w)


def test_the_app_command_sets_a_short_escape_delay_unless_the_user_chose_one(monkeypatch):
    from reader.commands.app import _short_escape_delay

    monkeypatch.delenv("ESCDELAY", raising=False)
    _short_escape_delay()
    assert os.environ["ESCDELAY"] == "25"
    monkeypatch.setenv("ESCDELAY", "300")
    _short_escape_delay()
    assert os.environ["ESCDELAY"] == "300"
