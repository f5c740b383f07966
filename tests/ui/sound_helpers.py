"""A real terminal (tmux) running ``reader``, and what its voice put into a PulseAudio sink.

The PulseAudio server and the recorder are the speech layer's own
(:mod:`reader.speech.soundcheck`); this module adds what an end-to-end test of
the app needs on top of them: a tmux pane whose key presses are timestamped on
the recorder's clock (``time.monotonic``), and questions asked of the
recording — "when was the first audible sample after t", "has it been quiet for
0.8 s", "how much of [t0, t1] was voiced" — that poll with deadlines instead of
sleeping fixed amounts, so a loaded CI machine only makes them slower, not flaky.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from reader.speech.soundcheck import Recorder

VENV_READER = Path(sys.executable).parent / "reader"

#: RMS (16-bit) above which a 10 ms window counts as sound; espeak-ng speech is in the thousands,
#: a null sink's silence is exactly 0.
THRESHOLD = 200.0
WINDOW = 0.010

#: What a child process (espeak-ng, ALSA, PulseAudio, aplay, Python) would print if its output
#: reached the terminal.  None of it may ever be on the app's screen.
STRAY = re.compile(
    r"ALSA|alsa|snd_|pcm|espeak|eSpeak|pulse|Pulse|PULSE|aplay|Playing|Signed 16|"
    r"Traceback|Error:|Warning:|warning:|jieba|Building prefix|Loading model|"
    r"Dumping model|Prefix dict|\.py\b|Connection refused|Cannot|cannot open"
)


class Terminal:
    """A private tmux server whose one pane runs a command as a shell would; keys and screen.

    The command runs under ``sh`` (as when a user types it), which writes its
    exit status to a file: tmux 3.3a sometimes never reaps a pane's process
    (``#{pane_dead_status}`` stays empty), so the shell is the witness.
    """

    def __init__(self, socket: str, env: dict[str, str], folder: Path, width: int = 100, height: int = 30) -> None:
        self.socket = socket
        self.env = env
        self.width = width
        self.height = height
        self.status_file = Path(folder) / f"{socket}.status"

    def tmux(self, *args: str, check: bool = True, timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-u", "-L", self.socket, *args],
            capture_output=True, text=True, check=check, timeout=timeout, env=self.env,
        )  # fmt: skip

    def start(self, *argv: str) -> float:
        """Run ``argv`` in a fresh pane that stays after it ends; the launch time."""
        self.status_file.unlink(missing_ok=True)
        command = " ".join(shlex.quote(a) for a in argv)
        script = f"{command}; echo $? > {shlex.quote(str(self.status_file))}"
        t = time.monotonic()
        self.tmux(
            "new-session", "-d", "-s", "app", "-x", str(self.width), "-y", str(self.height),
            "-e", "TERM=xterm-256color", "sh", "-c", script,
            ";", "set-option", "-t", "app", "remain-on-exit", "on",
        )  # fmt: skip
        return t

    def key(self, *names: str) -> float:
        """Send keys (several in one go: a double press); the moment they were sent."""
        t = time.monotonic()
        self.tmux("send-keys", "-t", "app", *names)
        return t

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app", check=False).stdout

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        """Poll the screen until ``pattern`` (a regular expression) is on it."""
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never appeared within {timeout} s; screen was:\n{screen}")

    def cursor(self) -> tuple[int, int, int]:
        """(visible, x, y) of the terminal's cursor as tmux sees it."""
        out = self.tmux("display", "-p", "-t", "app", "#{cursor_flag} #{cursor_x} #{cursor_y}").stdout
        flag, x, y = (int(v) for v in out.split())
        return flag, x, y

    def exited(self) -> bool:
        return self.status_file.exists() and self.status_file.read_text().strip() != ""

    def wait_exit(self, timeout: float = 10.0) -> float:
        """Poll until the program has ended; the moment it was seen gone."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.exited():
                return time.monotonic()
            time.sleep(0.01)
        raise AssertionError(f"the app was still running {timeout} s later; screen:\n{self.screen()}")

    def exit_status(self) -> int:
        return int(self.status_file.read_text().strip())

    def server_pid(self) -> int:
        return int(self.tmux("display", "-p", "#{pid}").stdout.strip())

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


class SpeechLog:
    """The app's ``READER_SPEECH_LOG`` (JSON lines, wall-clock times): where a slow key lost its time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.wall_minus_mono = time.time() - time.monotonic()

    def records(self) -> list[dict]:
        import json

        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def handled(self, event: str, t: float) -> float | None:
        """Seconds from ``t`` until the app logged ``event`` (the key reached its handler)."""
        for r in self.records():
            delay = r["t"] - self.wall_minus_mono - t
            if r["event"] == event and delay > -0.05:
                return delay
        return None

    def after(self, t: float) -> str:
        """What the app logged after monotonic time ``t``, each with its delay in ms."""
        rows = []
        for r in self.records():
            delay = r["t"] - self.wall_minus_mono - t
            if delay > -0.05:
                rows.append(f"+{delay * 1000:.0f} ms {r['event']} {r.get('text', '')[:20]}")
        return "; ".join(rows[:8]) or "nothing"


def char_at(row: str, x: int) -> str | None:
    """The character drawn at cell column ``x`` of a captured row (wide characters take 2 cells)."""
    from rich.cells import cell_len

    col = 0
    for ch in row:
        if col == x:
            return ch
        col += cell_len(ch)
        if col > x:
            return None
    return None


def processes_with(marker: str, exclude: tuple[int, ...] = ()) -> list[str]:
    """Running processes (pid and command) whose environment holds ``marker``."""
    needle = marker.encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (os.getpid(), *exclude):
            continue
        try:
            if needle not in Path(f"/proc/{entry}/environ").read_bytes():
                continue
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(f"{entry}: {cmd.strip()}")
    return found


class Ear:
    """Questions about what the recorder heard, on ``time.monotonic()``'s scale."""

    def __init__(self, recorder: Recorder, threshold: float = THRESHOLD, window: float = WINDOW) -> None:
        self.rec = recorder
        self.threshold = threshold
        self.window = window

    def _loud(self, t0: float, t1: float | None = None) -> tuple[np.ndarray, float]:
        """Loudness flags of the windows from ``t0`` (to ``t1``), and the first window's time."""
        rate = self.rec.rate
        i0 = self.rec.index_of(t0)
        x = self.rec.samples()
        x = x[i0 : None if t1 is None else self.rec.index_of(t1)].astype(np.float64)
        w = max(1, round(rate * self.window))
        n = len(x) // w
        rms = np.sqrt((x[: n * w].reshape(n, w) ** 2).mean(axis=1)) if n else np.zeros(0)
        return rms > self.threshold, self.rec.time_of(i0)

    def heard_until(self) -> float:
        """The time up to which the recording is complete."""
        return self.rec.time_of(self.rec.now_index())

    def first_sound(self, after: float, before: float | None = None) -> float | None:
        loud, t0 = self._loud(after, before)
        hits = np.flatnonzero(loud)
        return t0 + hits[0] * self.window if len(hits) else None

    def last_sound(self, after: float, before: float | None = None) -> float | None:
        """The end of the last loud window after ``after``."""
        loud, t0 = self._loud(after, before)
        hits = np.flatnonzero(loud)
        return t0 + (hits[-1] + 1) * self.window if len(hits) else None

    def voiced(self, t0: float, t1: float) -> float:
        """Seconds of sound between ``t0`` and ``t1``."""
        loud, _ = self._loud(t0, t1)
        return float(loud.sum()) * self.window

    def longest_gap(self, t0: float, t1: float) -> float:
        """The longest silence between ``t0`` and ``t1``, in seconds."""
        loud, _ = self._loud(t0, t1)
        longest = run = 0
        for flag in loud:
            run = 0 if flag else run + 1
            longest = max(longest, run)
        return longest * self.window

    def wait_sound(self, after: float, timeout: float = 10.0) -> float | None:
        """Poll until something is heard after ``after``; when (None if nothing by the deadline)."""
        end = time.monotonic() + timeout
        while True:
            found = self.first_sound(after)
            if found is not None or time.monotonic() > end:
                return found
            time.sleep(0.02)

    def wait_covered(self, t: float, timeout: float = 5.0) -> None:
        """Wait until the recording reaches time ``t``."""
        end = time.monotonic() + timeout
        while self.heard_until() < t:
            if time.monotonic() > end:
                raise AssertionError(f"the recorder fell {t - self.heard_until():.2f} s behind")
            time.sleep(0.01)

    def wait_speaking(self, timeout: float = 5.0) -> bool:
        """Poll until the voice is sounding right now (not in a pause between phrases)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            now = self.heard_until()
            if self.voiced(now - 0.05, now) >= 0.03:
                return True
            time.sleep(0.005)
        return False

    def wait_quiet(self, quiet: float = 0.8, timeout: float = 20.0) -> float:
        """Poll until the last ``quiet`` seconds were silent; the moment the silence began."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            now = self.heard_until()
            if self.first_sound(now - quiet, now) is None:
                return now - quiet
            time.sleep(0.05)
        raise AssertionError(f"never {quiet} s of silence within {timeout} s")


def app_env(sink_env: dict[str, str], **reader: str) -> dict[str, str]:
    """The environment ``reader`` runs in under tmux: this process's own, without any
    READER_/PULSE_/pytest/tmux variables that would leak in, then the private sink's
    PulseAudio variables, a UTF-8 locale and the given ``READER_*`` settings
    (``READER_HOME=...``)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("READER_", "PULSE_", "PYTEST_")) and k not in ("TMUX", "TMUX_PANE")
    }
    env.update(sink_env)
    env.update({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    env.update(reader)
    return env


def open_first_article(term: Terminal, ear: Ear) -> None:
    """Start ``reader``, wait for the library's announcement, open the first article
    and wait for its announcement to end."""
    term.start(str(VENV_READER))
    term.wait_for("银行发布年度报告")
    ear.wait_quiet(0.8, timeout=30)  # the library's announcement
    term.key("Enter")
    term.wait_for(r"第1段/共6段")
    ear.wait_quiet(0.8, timeout=30)  # the article's announcement
