"""The app, started as a user starts it, in a real terminal, heard through a real sound server.

``.venv/bin/reader`` runs in tmux with no speech options (the automatic engine
choice, as a user gets it), a fresh ``READER_HOME`` and ``PULSE_SERVER``
pointing at a private PulseAudio server with a null sink; ``parec`` records
the sink's monitor.  Every claim below is proved by the recording itself —
when the first audible sample came after a key, whether the voice went on,
when it fell silent — and by what tmux shows: no stray text from a child
process, the terminal cursor on the reading position beside a screen reader.

The time bounds are correctness bounds (a key that is answered a second
late, a voice that runs on after Esc), generous enough for a loaded 2-core CI
machine; the latency figures themselves are measured in ``benchmarks/``.
Every wait polls with a deadline, so nothing can hang.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reader.speech.soundcheck import PulseServer
from tests.ui.sound_helpers import (
    STRAY,
    VENV_READER,
    SpeechLog,
    Terminal,
    app_env,
    char_at,
    processes_with,
)

#: key → first audible sample (tmux, Textual, the speech thread, espeak-ng, PulseAudio, parec).
KEY_TO_SOUND = 1.0
#: Esc → last audible sample.
STOP_TO_SILENCE = 0.3
#: the app's first words after launch (Python start, Textual, the first-words helper's loading).
LAUNCH_TO_SOUND = 8.0


def _environment(sink: PulseServer, reader_home: Path, library: Path) -> dict[str, str]:
    """A user's environment: no speech options, our sound server, our home."""
    return app_env(
        sink.env,
        READER_HOME=str(reader_home),
        READER_BUNDLED_ARTICLES=str(library),
        # only the app and its children carry this: any left after it quits outlived it
        READER_E2E_RUN=f"READER_E2E_RUN={reader_home.name}-{os.getpid()}",
    )


def _esc_silences(term, ear, log, figures: dict, what: str, listen: float) -> None:
    """Esc while ``what`` is speaking: the voice stops within STOP_TO_SILENCE and no
    sound comes late in the ``listen`` seconds after the key; the figures are kept."""
    t_esc = term.key("Escape")
    ear.wait_covered(t_esc + listen)
    last = ear.last_sound(t_esc - 0.2)
    figures[f"Esc ({what}) → silence"] = (last or t_esc) - t_esc
    figures[f"Esc ({what}) → stop asked"] = log.handled("stop", t_esc) or -1
    assert last is not None and last - t_esc < STOP_TO_SILENCE, (
        f"{what} went on {(last or t_esc) - t_esc:.3f} s after Esc; the app: {log.after(t_esc)}"
    )
    assert ear.first_sound(t_esc + STOP_TO_SILENCE, t_esc + listen) is None, "a late sound after Esc"


def _assert_clean(screen: str, when: str) -> None:
    """No child process (espeak-ng, ALSA, PulseAudio, Python) wrote onto the terminal."""
    stray = STRAY.search(screen)
    assert stray is None, f"stray text {stray.group(0)!r} on the screen {when}:\n{screen}"


def _status(screen: str) -> str:
    """The reading view's position on the status line: "第2段/共6段 | 19%"."""
    found = re.search(r"第\d+段/共\d+段 \| \d+%", screen)
    assert found, f"no status line on the screen:\n{screen}"
    return found.group(0)


def test_the_app_speaks_when_a_key_is_pressed_and_falls_silent_when_asked(
    sink, listener, reader_home, small_library, tmp_path
):
    ear = listener
    env = _environment(sink, reader_home, small_library)
    env["READER_SCREEN_READER"] = "0"  # a machine running brltty must not change the test
    # the app's own account of what it asked for and when: only to explain a failure
    env["READER_SPEECH_LOG"] = str(tmp_path / "speech.jsonl")
    log = SpeechLog(tmp_path / "speech.jsonl")
    term = Terminal(f"reader-sound-{os.getpid()}", env, tmp_path)
    figures: dict[str, float] = {}
    try:
        # --- start: the library is shown and its announcement is heard
        t_launch = term.start(str(VENV_READER))
        screen = term.wait_for("银行发布年度报告")
        assert "第二篇文章" in screen
        first = ear.wait_sound(t_launch, timeout=LAUNCH_TO_SOUND + 5)
        assert first is not None, "the library's announcement was never heard"
        figures["launch → first sound"] = first - t_launch
        assert first - t_launch < LAUNCH_TO_SOUND, f"first words {first - t_launch:.2f} s after launch"
        ear.wait_covered(first + 1.0)
        assert ear.voiced(first, first + 1.0) > 0.3, "the announcement was a click, not speech"
        _assert_clean(term.screen(), "on the library")
        ear.wait_quiet(0.8, timeout=20)

        # --- Enter opens the article and its announcement follows
        t_enter = term.key("Enter")
        term.wait_for(r"第1段/共6段")
        heard = ear.wait_sound(t_enter, timeout=5)
        assert heard is not None, "opening the article was not announced"
        figures["Enter → sound"] = heard - t_enter
        assert heard - t_enter < KEY_TO_SOUND + 1.0  # the app's own voice may still be loading

        # --- Esc during the announcement silences it (and stays in the article)
        ear.wait_covered(heard + 0.4)
        assert ear.wait_speaking(), "the announcement fell silent too soon"
        _esc_silences(term, ear, log, figures, "announcement", listen=1.2)
        screen = term.screen()
        assert "第1段/共6段" in screen, "Esc while speaking left the article"
        _assert_clean(screen, "in the article")

        # --- Down: the next sentence is heard within a second of the key
        t_down = term.key("Down")
        heard = ear.wait_sound(t_down, timeout=5)
        assert heard is not None, "Down said nothing"
        figures["Down → sound"] = heard - t_down
        assert heard - t_down < KEY_TO_SOUND, f"Down heard {heard - t_down:.3f} s later; {log.after(t_down)}"
        ear.wait_covered(heard + 1.0)
        assert ear.voiced(heard, heard + 1.0) > 0.4, "Down made a blip, not a sentence"
        ear.wait_quiet(0.6, timeout=15)

        # --- Space: say-all starts at once and keeps sounding
        t_space = term.key("space")
        heard = ear.wait_sound(t_space, timeout=5)
        assert heard is not None, "Space (say-all) said nothing"
        figures["Space → sound"] = heard - t_space
        assert heard - t_space < KEY_TO_SOUND
        ear.wait_covered(heard + 4.0, timeout=8)
        voiced = ear.voiced(heard, heard + 4.0)
        gap = ear.longest_gap(heard, heard + 4.0)
        figures["say-all: voiced of 4 s"] = voiced
        figures["say-all: longest pause"] = gap
        assert voiced > 2.0, f"say-all was heard only {voiced:.2f} s of 4 s"
        assert gap < 1.2, f"say-all went quiet for {gap:.2f} s"
        moved = _status(term.screen())

        # --- Esc: silent at once, and nothing comes late
        assert ear.wait_speaking(), "say-all fell silent by itself"
        _esc_silences(term, ear, log, figures, "say-all", listen=1.5)
        screen = term.wait_for("停止")
        stopped_at = _status(screen)
        assert moved != "第1段/共6段 | 0%" and stopped_at != "第1段/共6段 | 0%", "the caret did not follow the voice"
        _assert_clean(screen, "after say-all")

        # --- w: where am I is spoken
        t_w = term.key("w")
        heard = ear.wait_sound(t_w, timeout=5)
        assert heard is not None, "where-am-I said nothing"
        figures["w → sound"] = heard - t_w
        assert heard - t_w < KEY_TO_SOUND
        ear.wait_covered(heard + 1.2)  # past the pause after the title
        assert ear.voiced(heard, heard + 1.2) > 0.5

        # --- q while it speaks: the app is gone at once and so is its voice
        assert ear.wait_speaking(), "where-am-I fell silent too soon"
        t_q = term.key("q")
        t_exit = term.wait_exit(timeout=5)
        figures["q → exit"] = t_exit - t_q
        assert t_exit - t_q < 2.0, f"q took {t_exit - t_q:.2f} s to quit"
        assert term.exit_status() == 0
        ear.wait_covered(t_exit + 1.5)
        last = ear.last_sound(t_q - 0.2)
        figures["q → silence"] = (last or t_q) - t_q
        assert ear.first_sound(t_exit + 0.1, t_exit + 1.5) is None, "the voice went on after the app quit"
        assert last is not None and last - t_q < STOP_TO_SILENCE, f"the voice went on {last - t_q:.3f} s after q"
        _assert_clean(term.screen(), "after quitting")  # the shell's screen, where late output lands
        leftovers = processes_with(env["READER_E2E_RUN"], exclude=(term.server_pid(),))
        assert leftovers == [], f"processes outlived the app: {leftovers}"
        term.kill()

        # --- restart: the library shows progress, Enter resumes where the reader stopped
        term = Terminal(f"reader-sound2-{os.getpid()}", env, tmp_path)
        t_launch = term.start(str(VENV_READER))
        screen = term.wait_for("银行发布年度报告")
        line = next(row for row in screen.splitlines() if "银行发布年度报告" in row)
        assert "已读" in line and "已读0%" not in line, line
        t_enter = term.key("Enter")
        screen = term.wait_for(r"第\d+段/共6段")
        assert _status(screen) == stopped_at, f"resumed at {_status(screen)}, left at {stopped_at}"
        heard = ear.wait_sound(t_enter, timeout=5)
        assert heard is not None, "reopening was not announced"
        _assert_clean(screen, "after restarting")
        t_q = term.key("q")
        term.wait_exit(timeout=5)
    finally:
        term.kill()
        print("\n" + "\n".join(f"{k}: {v * 1000:.0f} ms" for k, v in figures.items()))


def test_beside_a_screen_reader_the_app_is_silent_and_the_cursor_follows_the_reading(
    sink, listener, reader_home, small_library, tmp_path
):
    ear = listener
    env = _environment(sink, reader_home, small_library)
    term = Terminal(f"reader-sound-sr-{os.getpid()}", env, tmp_path)
    try:
        t_launch = term.start(str(VENV_READER), "--screen-reader")
        term.wait_for("银行发布年度报告")
        term.key("Enter")
        screen = term.wait_for(r"第1段/共6段")
        _assert_clean(screen, "beside a screen reader")

        def cursor_on(expected: str, timeout: float = 5.0) -> tuple[int, int]:
            """Poll until the visible cursor sits on ``expected``; its (x, y)."""
            import time

            end = time.monotonic() + timeout
            seen = None
            while time.monotonic() < end:
                flag, x, y = term.cursor()
                rows = term.screen().splitlines()
                under = char_at(rows[y], x) if y < len(rows) else None
                seen = (flag, x, y, under, rows[y] if y < len(rows) else "")
                if flag == 1 and under == expected:
                    return x, y
                time.sleep(0.05)
            raise AssertionError(f"cursor never on {expected!r}: (visible, x, y, char, row) = {seen}")

        first = cursor_on("银")  # the title, where the article starts
        term.key("Down")
        second = cursor_on("今")  # 今天，银行发布了报告。
        assert second != first
        term.key("Down")
        cursor_on("报")  # 报告说，…

        # the keys that speak in self-voicing mode make no sound here
        # (Esc last: with nothing to stop it goes back to the library)
        for keys in (["space"], ["w"], ["Up"], ["c"], ["s", "s"], ["Down"], ["Escape"]):
            t_key = term.key(*keys)
            ear.wait_covered(t_key + 1.0)
            heard = ear.first_sound(t_key)
            assert heard is None, f"{keys} made a sound {heard - t_key:.2f} s later beside a screen reader"
        term.wait_for("第二篇文章")
        t_q = term.key("q")
        t_exit = term.wait_exit(timeout=5)
        ear.wait_covered(t_exit + 0.5)
        heard = ear.first_sound(t_launch)
        assert heard is None, f"sound {heard - t_launch:.2f} s after launch beside a screen reader"
        assert t_exit - t_q < 2.0
        _assert_clean(term.screen(), "after quitting")
    finally:
        term.kill()


def test_without_a_sound_server_the_app_says_so_in_one_line_and_still_reads(
    reader_home, small_library, tmp_path
):
    """espeak-ng is installed but nothing plays sound: a notice naming the real cause, no stray text."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("READER_", "PULSE_", "PYTEST_"))}
    env.update(
        {
            "READER_HOME": str(reader_home),
            "READER_BUNDLED_ARTICLES": str(small_library),
            "READER_SCREEN_READER": "0",
            "PULSE_SERVER": f"unix:{tmp_path}/no-such-server",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
    )
    term = Terminal(f"reader-nosound-{os.getpid()}", env, tmp_path)
    try:
        term.start(str(VENV_READER))
        screen = term.wait_for("without sound|没有声音|无声")
        flat = " ".join(screen.split())  # the toast wraps
        assert "声音服务器" in flat, flat  # the real cause, in the interface's language
        assert "espeak-ng" not in flat, "espeak-ng is installed: the hint sends the reader astray"
        term.key("Enter")
        term.wait_for(r"第1段/共6段")
        term.key("Down")
        term.wait_for(r"第2段/共6段")  # reading goes on without a voice
        # the notice itself names PulseAudio; everything outside its box must be clean
        rows = [row.split("▌")[0] for row in term.screen().splitlines()]
        _assert_clean("\n".join(rows), "without a sound server")
        t_q = term.key("q")
        assert term.wait_exit(timeout=5) - t_q < 2.0
        assert term.exit_status() == 0
    finally:
        term.kill()
