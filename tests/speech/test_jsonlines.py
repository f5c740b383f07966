"""Reading a helper process's events: stray lines are skipped, a crash is reported, a close is not."""

from __future__ import annotations

import os
import queue
import threading

import pytest

from reader.speech.drivers._jsonlines import messages

pytestmark = pytest.mark.timeout(60)


def test_messages_skips_lines_that_are_not_json_objects():
    lines = [
        '{"ev": "start", "token": 1}\n',
        "espeak: warning\n",
        "[1, 2]\n",
        "3\n",
        '{"ev": "done"}\n',
    ]
    assert list(messages(lines)) == [{"ev": "start", "token": 1}, {"ev": "done"}]


def test_messages_yields_each_event_before_the_stream_ends():
    read_fd, write_fd = os.pipe()
    with (
        os.fdopen(read_fd, encoding="utf-8") as stream,
        os.fdopen(write_fd, "w", encoding="utf-8") as out,
    ):
        events = messages(stream)
        out.write('{"ev": "mark", "index": 2}\n')
        out.flush()
        got: list[dict] = []
        reader = threading.Thread(target=lambda: got.append(next(events)), daemon=True)
        reader.start()
        reader.join(5)
        assert got == [{"ev": "mark", "index": 2}]  # the writer is still open: no waiting for EOF


def _espeak_driver(pulse, monkeypatch):
    from reader.speech.drivers.espeak import EspeakDriver, library_present

    if not library_present():
        pytest.fail("libespeak-ng is missing: scripts/setup.sh installs it")
    for key, value in pulse.env.items():
        monkeypatch.setenv(key, value)
    driver = EspeakDriver()
    events: queue.Queue[tuple[str, int, int]] = queue.Queue()
    driver.open(lambda *event: events.put(event))
    assert driver.ready.wait(20)
    return driver, events


def test_espeak_driver_reports_a_helper_that_dies(pulse, monkeypatch):
    driver, events = _espeak_driver(pulse, monkeypatch)
    try:
        driver._process.kill()
        assert events.get(timeout=10) == ("error", -1, 0)
        assert driver.last_error == "the espeak-ng helper stopped"
        driver._reader.join(10)
        assert events.empty()  # reported once
    finally:
        driver.close()


def test_espeak_driver_closed_on_purpose_reports_nothing(pulse, monkeypatch):
    driver, events = _espeak_driver(pulse, monkeypatch)
    driver.close()
    driver._reader.join(10)
    assert not driver._reader.is_alive()
    assert events.empty() and driver.last_error == ""
