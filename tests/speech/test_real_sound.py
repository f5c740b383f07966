"""Real espeak-ng into a private PulseAudio null sink, recorded with parec.

The recorder in this process and the speech in a child process share
``time.monotonic()`` (CLOCK_MONOTONIC is system-wide), so "the first word
event came 12 ms after the first sound" is a measurement.  Bounds here are
deliberately looser than the benchmark's targets: they catch a broken layer
(no sound, stop that does not stop, gaps, events adrift), not a slow machine.
"""

from __future__ import annotations

import itertools
import time

import pytest

from reader.speech.soundcheck import merge_gaps

pytestmark = pytest.mark.timeout(120)

#: RMS of int16 samples; espeak-ng speech is in the thousands, silence is 0
AUDIBLE = 300.0
#: quiet sounds still heard (an initial "h" is 150-450): where a sentence's sound begins
ONSET = 60.0


def sentence_onsets(recorder, t0: float) -> list[tuple[float, float]]:
    """Audible spans after t0, with the short pauses inside a sentence closed up."""
    recorder.wait_until(time.monotonic())
    return [(s, e) for s, e in merge_gaps(recorder.audible(ONSET), 0.2) if e > t0]


def test_speech_comes_out_and_events_follow_the_sound(recorder, run_scenario):
    result = run_scenario("speech")
    t0 = result["t_call"]
    spans = sentence_onsets(recorder, t0)
    assert spans, "no sound came out"
    first, last = spans[0][0], spans[-1][1]
    assert first - t0 < 0.3, f"first sound {1000 * (first - t0):.0f} ms after the call"
    loud = recorder.rms_between(first, last)
    assert loud > 1000, f"speech RMS {loud:.0f} is too quiet"
    assert 2.5 < last - first < 10, f"4 short sentences took {last - first:.2f} s"

    events = result["events"]
    starts = [e for e in events if e["type"] == "UtteranceStarted"]
    assert len(starts) == 4 and len(spans) == 4, (starts, spans)
    for start, (onset, end) in zip(starts, spans, strict=True):
        # each sentence is announced when its sound begins, not when it is queued
        assert abs(start["t"] - onset) < 0.1, (
            f"{start['text']}: event {start['t'] - onset:+.3f} s from sound"
        )
        words = [
            e for e in events
            if e["type"] == "WordProgress" and start["start"] <= e["start"] < start["end"]
        ]  # fmt: skip
        assert words, start
        assert all(onset - 0.1 <= w["t"] <= end for w in words), "a word event outside its sound"
        assert words[-1]["t"] - words[0]["t"] > 0.25 * (end - onset), (
            "word events bunched, not paced"
        )
    done = [e for e in events if e["type"] == "AllDone"]
    assert len(done) == 1 and abs(done[0]["t"] - last) < 0.6


def test_stop_silences_at_once_and_drops_late_events(recorder, run_scenario):
    result = run_scenario("stop")
    t_stop = result["t_stop"]
    recorder.wait_until(time.monotonic())
    assert recorder.rms_between(t_stop - 0.5, t_stop) > 1000, "it was not speaking when stopped"
    last = recorder.last_sound(after=result["t_call"], threshold=AUDIBLE)
    assert last is not None
    assert last - t_stop < 0.2, f"sound went on {1000 * (last - t_stop):.0f} ms after stop"
    assert recorder.rms_between(t_stop + 0.2, t_stop + 1.4) < 50
    assert result["t_returned"] - t_stop < 0.1  # stop() never blocks the caller
    assert result["late"] == []


def test_continuous_reading_has_no_extra_gaps(recorder, run_scenario):
    result = run_scenario("continuous")
    recorder.wait_until(time.monotonic())
    spans = merge_gaps(recorder.audible(AUDIBLE), 0.2)
    managed = [
        sp for sp in spans if result["t_manager"] <= sp[1] and sp[0] <= result["t_manager_end"]
    ]
    raw = [sp for sp in spans if result["t_raw"] <= sp[1] and sp[0] <= result["t_raw_end"] + 0.5]
    n = result["utterances"]
    assert len(managed) == n and len(raw) == n, (managed, raw)
    managed_gaps = [b[0] - a[1] for a, b in itertools.pairwise(managed)]
    raw_gaps = [b[0] - a[1] for a, b in itertools.pairwise(raw)]
    for ours, theirs in zip(managed_gaps, raw_gaps, strict=True):
        assert ours - theirs < 0.1, f"gaps {managed_gaps} versus espeak-ng alone {raw_gaps}"
    total = managed[-1][1] - managed[0][0]
    reference = raw[-1][1] - raw[0][0]
    assert total - reference < 0.1 * (n - 1)


def test_pause_is_silent_and_resume_goes_on_from_the_last_word(recorder, run_scenario):
    result = run_scenario("pause")
    recorder.wait_until(time.monotonic())
    t_pause, t_resume = result["t_pause"], result["t_resume"]
    assert recorder.rms_between(t_pause - 0.4, t_pause) > 1000
    assert recorder.rms_between(t_pause + 0.2, t_resume) < 50, "sound while paused"
    assert result["quiet"] == []
    assert recorder.first_sound_after(t_resume, AUDIBLE) - t_resume < 0.3
    assert result["resumed_word"]["start"] == result["paused_at"]
