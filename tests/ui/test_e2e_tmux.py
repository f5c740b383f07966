"""End to end in a real terminal: tmux runs ``reader``, keys are typed, the screen is read.

The speech engine is the silent driver (CI has no sound card); every request
the app makes of it is written to ``READER_SPEECH_LOG`` (JSON lines), which is
what a listener would have heard.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

VENV_READER = Path(sys.executable).parent / "reader"



class Terminal:
    """One tmux server on a private socket, one window running the app."""

    def __init__(self, env: dict[str, str], socket: str) -> None:
        self.env = env
        self.socket = socket

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-u", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
        )

    def start(self) -> None:
        assignments = " ".join(f"{k}='{v}'" for k, v in self.env.items())
        command = f"env {assignments} TERM=xterm-256color {VENV_READER}"
        self.tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", "-t", "app", check=False)
        return result.stdout

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", "app", check=False).returncode == 0

    def keys(self, *keys: str, literal: bool = False, delay: float = 0.25) -> None:
        for key in keys:
            args = ["send-keys", "-t", "app"] + (["-l"] if literal else []) + [key]
            self.tmux(*args)
            time.sleep(delay)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def wait_log(path: Path, predicate, timeout: float = 10.0) -> list[dict]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        records = read_log(path)
        if predicate(records):
            return records
        time.sleep(0.1)
    raise AssertionError(f"log never matched; it was: {read_log(path)}")


def said(records: list[dict]) -> list[str]:
    return [r["text"] for r in records if r["event"] in ("say", "speak")]


def test_open_move_search_bookmark_speed_quit_and_resume(tmp_path, reader_home, small_library):
    log = tmp_path / "speech.jsonl"
    env = {
        "READER_HOME": str(reader_home),
        "READER_BUNDLED_ARTICLES": str(small_library),
        "READER_SPEECH_DRIVER": "silent",
        "READER_SPEECH_LOG": str(log),
        "READER_SCREEN_READER": "0",
    }
    term = Terminal(env, f"reader-e2e-{os.getpid()}")
    try:
        term.start()
        screen = term.wait_for("银行发布年度报告")
        assert "第二篇文章" in screen and "文库" in screen
        wait_log(log, lambda r: any(s.startswith("文库，2篇文章") for s in said(r)))

        term.keys("Enter")
        term.wait_for("朗读/暂停")  # the reading view's footer
        wait_log(log, lambda r: any(s.startswith("打开 银行发布年度报告") for s in said(r)))
        term.keys("Down", "Down")  # 今天…  then 报告说…
        term.keys("C-Right")  # the word after 报告
        records = wait_log(log, lambda r: "说" in said(r))
        assert "今天，银行发布了报告。" in said(records)
        assert "报告说，[bold]残疾人[/bold]就业人数增加了。" in said(records)
        screen = term.screen()
        assert "[bold]残疾人[/bold]" in screen  # article markup shown literally

        term.keys("/")
        wait_log(log, lambda r: said(r)[-1].startswith("搜索"))
        term.keys("满意", literal=True)
        term.keys("Enter")
        records = wait_log(log, lambda r: any(s.startswith("找到，第1处，共1处") for s in said(r)))
        assert "满" in said(records) or "满意" in said(records)  # the search box echoed the typing

        term.keys("b")
        wait_log(log, lambda r: "已添加书签" in said(r))
        term.keys("]")
        wait_log(log, lambda r: "语速35" in said(r))
        screen = term.wait_for("语速35")  # the status line
        assert "第5段/共6段" in screen

        term.keys("q")
        end = time.monotonic() + 10
        while term.alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert not term.alive(), "q did not quit"

        # restart: the library shows progress, Enter resumes at the search hit
        term.start()
        screen = term.wait_for("银行发布年度报告")
        line = next(row for row in screen.splitlines() if "银行发布年度报告" in row)
        assert "已读" in line and "已读0%" not in line
        term.keys("Enter")
        records = wait_log(
            log, lambda r: sum(1 for s in said(r) if s.startswith("打开 银行发布年度报告")) >= 2
        )
        reopened = [s for s in said(records) if s.startswith("打开 银行发布年度报告")][-1]
        assert "第5段，共6段" in reopened
        term.keys("a")
        wait_log(log, lambda r: said(r)[-1].startswith("书签，1个"))
        term.keys("Escape")
        term.keys("C-q")
        end = time.monotonic() + 10
        while term.alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert not term.alive()
        settings = (reader_home / "config" / "settings.toml").read_text(encoding="utf-8")
        assert "rate = 35" in settings
    finally:
        term.kill()


def test_screen_reader_mode_shows_the_cursor_on_the_reading_position(tmp_path, reader_home, small_library):
    """Beside a screen reader the terminal cursor is visible and sits on the caret's character."""
    log = tmp_path / "speech.jsonl"
    env = {
        "READER_HOME": str(reader_home),
        "READER_BUNDLED_ARTICLES": str(small_library),
        "READER_SPEECH_DRIVER": "silent",
        "READER_SPEECH_LOG": str(log),
    }
    term = Terminal(env, f"reader-e2e-sr-{os.getpid()}")
    try:
        assignments = " ".join(f"{k}='{v}'" for k, v in env.items())
        command = f"env {assignments} TERM=xterm-256color {VENV_READER} --screen-reader"
        term.tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)
        term.wait_for("银行发布年度报告")
        term.keys("Enter")
        term.wait_for("第1段/共6段")
        term.keys("Down", "C-Right")  # 今天，银行… → over "，" to 银行
        time.sleep(0.5)

        def cursor() -> tuple[int, int, int]:
            out = term.tmux("display", "-p", "-t", "app", "#{cursor_flag} #{cursor_x} #{cursor_y}").stdout
            flag, x, y = (int(v) for v in out.split())
            return flag, x, y

        flag, x, y = cursor()
        assert flag == 1, "the hardware cursor is hidden"
        row = term.screen().splitlines()[y]
        # columns count cells: the character under the cursor is 银 (wide chars take 2 cells)
        from rich.cells import cell_len

        col = 0
        under = None
        for ch in row:
            if col == x:
                under = ch
                break
            col += cell_len(ch)
        assert under == "银", (row, x)
        screen = term.screen()
        assert "▁" not in screen and "█" not in screen and "━" not in screen  # no block glyphs
        records = read_log(log)
        assert said(records) == [], "self-voicing must be off beside a screen reader"
        term.keys("q")
    finally:
        term.kill()


def test_real_voice_speaks_on_a_key_and_stops_on_escape(tmp_path, reader_home, small_library):
    """espeak-ng into a private PulseAudio null sink: Space makes sound, Esc silences it."""
    from reader.speech.soundcheck import PulseServer, Recorder

    server = PulseServer(tmp_path / "pulse").start()
    recorder = Recorder(server).start()
    log = tmp_path / "speech.jsonl"
    env = {
        "READER_HOME": str(reader_home),
        "READER_BUNDLED_ARTICLES": str(small_library),
        "READER_SPEECH_DRIVER": "espeak",
        "READER_SPEECH_LOG": str(log),
        "READER_SCREEN_READER": "0",
        **server.env,
    }
    term = Terminal(env, f"reader-e2e-sound-{os.getpid()}")
    try:
        t_launch = time.monotonic()
        term.start()
        term.wait_for("银行发布年度报告")
        # the library's announcement is heard (spoken by the first-words helper)
        records = wait_log(log, lambda r: bool(said(r)), 20)
        assert said(records)[0].startswith("文库，2篇文章")
        end = time.monotonic() + 20
        while recorder.first_sound_after(t_launch) is None and time.monotonic() < end:
            time.sleep(0.1)
        assert recorder.first_sound_after(t_launch) is not None, "the first announcement was not heard"
        term.keys("Enter")
        term.wait_for("朗读/暂停")
        time.sleep(1.0)
        term.keys("Escape")  # silence the opening announcement (Esc while speaking stays)
        time.sleep(0.5)
        t_space = time.monotonic()
        term.keys("Space", delay=0)
        time.sleep(2.0)
        first = recorder.first_sound_after(t_space)
        assert first is not None, "say-all made no sound"
        assert first - t_space < 1.0, f"say-all took {first - t_space:.2f} s to be heard"
        t_stop = time.monotonic()
        term.keys("Escape", delay=0)
        time.sleep(1.0)
        recorder.wait_until(time.monotonic())
        last = recorder.last_sound(after=t_stop - 0.5)
        assert last is not None and last - t_stop < 0.4, "Esc did not silence the voice at once"
        assert term.alive()  # Esc while reading stops, it does not leave
        records = read_log(log)
        assert any(r["event"] == "read_all" for r in records)
        assert any(r["text"] == "WordProgress" for r in records)  # the voice reported progress
        term.keys("q")
    finally:
        term.kill()
        recorder.stop()
        server.stop()
