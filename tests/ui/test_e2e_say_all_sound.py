"""Say-all, heard for real: a speed key answers and the reading goes on.

``.venv/bin/reader`` runs in tmux with the automatic engine (espeak-ng) and a
private PulseAudio null sink recorded by ``parec``, as in ``test_e2e_sound``.
During continuous reading ``]`` (faster) must say "语速35" and then go on
reading: the recording stays voiced for seconds after the key (the old app fell
silent after the answer's half second), the status line keeps saying 朗读 and
its position moves on, and the app's own speech log shows the say-all's words
after the answer.  Every wait polls with a deadline.
"""

from __future__ import annotations

import re
import time


def _position(screen: str) -> str:
    found = re.search(r"第\d+段/共\d+段 \| \d+%", screen)
    assert found, f"no status line on the screen:\n{screen}"
    return found.group(0)


def test_faster_during_say_all_answers_then_the_reading_is_heard_going_on(
    app_in_article,
):
    term, ear, log = app_in_article

    # --- Space: say-all is heard, then ] while it reads
    t_space = term.key("space")
    heard = ear.wait_sound(t_space, timeout=5)
    assert heard is not None, f"say-all said nothing; the app: {log.after(t_space)}"
    ear.wait_covered(heard + 2.0)
    assert ear.wait_speaking(), "say-all fell silent by itself"
    before = _position(term.wait_for("朗读"))
    t_key = term.key("]")
    term.wait_for("语速35")

    # --- the answer, then the reading: voiced for most of the next 4 s, no long gap
    ear.wait_covered(t_key + 4.0, timeout=10)
    voiced = ear.voiced(t_key, t_key + 4.0)
    gap = ear.longest_gap(t_key + 0.3, t_key + 4.0)
    assert voiced > 2.0, (
        f"only {voiced:.2f} s heard in the 4 s after ]; the app: {log.after(t_key)}"
    )
    assert gap < 1.2, f"a {gap:.2f} s silence after ]; the app: {log.after(t_key)}"

    # --- the app's account: the answer was said, then the say-all's words came again
    records = log.records()
    wall_key = t_key + log.wall_minus_mono
    reading = {r.get("request") for r in records if r["event"] == "event" and r["t"] < wall_key} - {
        None
    }
    answer = next(
        (i for i, r in enumerate(records) if r["event"] == "say" and r["text"] == "语速35"), None
    )
    assert answer is not None, f"语速35 never said; the app: {log.after(t_key)}"
    later = [
        r for r in records[answer:] if r["event"] == "event" and r.get("request") in reading
        and r["text"] in ("WordProgress", "UtteranceStarted")
    ]  # fmt: skip
    assert later, f"no word of the say-all after the answer; the app: {log.after(t_key)}"

    # --- the status still says reading, and its position moved on with the voice
    end = time.monotonic() + 10
    screen = term.screen()
    while _position(screen) == before and time.monotonic() < end:
        time.sleep(0.1)
        screen = term.screen()
    assert _position(screen) != before, f"the caret stayed at {before} after ]"
    assert "朗读" in screen and "语速35" in screen

    # --- Esc silences it at once
    t_esc = term.key("Escape")
    term.wait_for("停止")
    ear.wait_covered(t_esc + 1.2)
    last = ear.last_sound(t_esc - 0.2)
    assert last is None or last - t_esc < 0.3, f"the reading went on {last - t_esc:.2f} s after Esc"
    term.key("q")
    term.wait_exit(timeout=5)
