"""Key repeat: many say/stop pairs in quick succession against the real espeak helper.

A reader holding down an arrow key makes the app interrupt itself 30 times a
second.  Each stop moves the helper to a fresh PulseAudio stream and frees the
old one later, off the path of the next utterance; this checks that nothing
is lost in that juggling: the last sentence is heard, stop still silences,
the helper survives, and the replaced streams are really freed (the server's
list of playback streams does not grow).

The speech runs in a child process (``python -m tests.speech.test_rapid_keys``),
like tests/speech/scenarios.py, so libespeak-ng stays out of the test runner.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]
AUDIBLE = 300.0
SENTENCE = "银行开门了，行长来了。"


def child() -> dict:
    from reader.speech.manager import SpeechManager

    mgr = SpeechManager.create(None, driver="espeak")
    events: list[str] = []
    mgr.add_listener(lambda e: events.append(type(e).__name__))
    time.sleep(2.5)  # warm-up over
    for k in range(30):  # a held key: 30 presses a second, each interrupting the last
        mgr.say(SENTENCE if k % 2 else "今天很好。")
        time.sleep(0.033)
    mgr.stop()
    time.sleep(0.6)
    t_say = time.monotonic()
    mgr.say(SENTENCE)
    time.sleep(0.8)
    t_stop = time.monotonic()
    mgr.stop()
    time.sleep(1.0)  # the replaced streams are freed by now
    streams = subprocess.run(
        ["pactl", "list", "short", "sink-inputs"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    mgr.close()
    return {"t_say": t_say, "t_stop": t_stop, "events": events, "streams": len(streams)}


def test_a_held_key_leaves_speech_working_and_frees_replaced_streams(pulse, recorder):
    env = dict(os.environ)
    env.update(pulse.env)
    done = subprocess.run(
        [sys.executable, "-m", "tests.speech.test_rapid_keys"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == "", f"the speech layer wrote to the terminal: {done.stderr[-500:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "SpeechError" not in result["events"], result["events"]
    recorder.wait_until(time.monotonic())
    t_say, t_stop = result["t_say"], result["t_stop"]
    assert recorder.rms_between(t_say - 0.5, t_say - 0.05) < 50, "the held key's speech went on"
    first = recorder.first_sound_after(t_say - 0.05, AUDIBLE, window_ms=5.0)
    assert first is not None and first - t_say < 0.3, "the sentence after the held key is not heard"
    assert recorder.rms_between(t_say + 0.2, t_stop) > 1000
    assert recorder.rms_between(t_stop + 0.2, t_stop + 0.9) < 50, "stop did not silence it"
    # the helper's stream, its spare and the one replaced by the last stop (freed when the
    # next utterance starts); the 30 replaced before were freed
    assert result["streams"] <= 3, f"{result['streams']} playback streams left open"


if __name__ == "__main__":
    print(json.dumps(child()))
