"""The pyttsx3 driver's worker process: events come back, cancel ends the process at once.

On Linux pyttsx3 drives espeak and plays through ``aplay`` (absent here), so this
proves the protocol and the instant stop, not sound; SAPI5/macOS voices are
exercised on those systems.
"""

from __future__ import annotations

import threading
import time

import pytest

from reader.speech.drivers.pyttsx3 import Pyttsx3Driver, render_text
from reader.speech.plan import PlanStyle, plan_text
from reader.speech.settings import VoiceSettings

pytestmark = pytest.mark.timeout(60)


def test_worker_reports_events_and_cancel_kills_it():
    driver = Pyttsx3Driver()
    events: list[tuple[str, int, int]] = []
    done = threading.Event()

    def on_event(kind: str, token: int, index: int) -> None:
        events.append((kind, token, index))
        if kind == "done":
            done.set()

    driver.open(on_event)
    try:
        (utt,) = plan_text("hello world, again.", style=PlanStyle(script="hanzi"))
        assert render_text(utt) == "hello world ， again"
        settings = VoiceSettings(voice="en", script="hanzi")
        driver.submit(utt, 1, settings)
        assert done.wait(30), events
        assert events[0] == ("start", 1, 0) and events[-1] == ("done", 1, 0)
        assert [i for k, _, i in events if k == "mark"] == [0, 1, 2]
        first = driver._worker.process
        t0 = time.monotonic()
        driver.cancel()
        assert time.monotonic() - t0 < 0.5
        assert first.poll() is not None  # the speaking process is gone: silence
        done.clear()
        driver.submit(utt, 2, settings)  # the spare worker takes over
        assert done.wait(30)
        assert ("done", 2, 0) in events
    finally:
        driver.close()


def test_a_worker_that_dies_by_itself_is_reported_once_and_replaced():
    """Killed from outside (not by cancel): the manager hears of it instead of waiting
    for ever, and the next utterance speaks through a fresh worker."""
    driver = Pyttsx3Driver()
    events: list[tuple[str, int, int]] = []
    done = threading.Event()
    errored = threading.Event()

    def on_event(kind: str, token: int, index: int) -> None:
        events.append((kind, token, index))
        if kind == "done":
            done.set()
        if kind == "error":
            errored.set()

    driver.open(on_event)
    try:
        first = driver._worker
        first.process.kill()
        assert errored.wait(10), events
        time.sleep(0.3)
        assert [e for e in events if e[0] == "error"] == [("error", -1, 0)]
        assert driver.last_error == "the pyttsx3 worker stopped"
        assert driver._worker is not first
        (utt,) = plan_text("hello.", style=PlanStyle(script="hanzi"))
        driver.submit(utt, 7, VoiceSettings(voice="en", script="hanzi"))
        assert done.wait(30), events
        assert ("done", 7, 0) in events
    finally:
        driver.close()
    closed_errors = len([e for e in events if e[0] == "error"])
    time.sleep(0.3)
    assert len([e for e in events if e[0] == "error"]) == closed_errors  # close() says nothing
