"""Proof that sound comes out: a private PulseAudio server and a recorder.

Tests and the latency benchmark start their own PulseAudio server (no sound
card needed, works as root in CI) with one null sink, point ``PULSE_SERVER``
at it, and record the sink's monitor with ``parec``.  The recording is the
clock: every sample has a time on ``time.monotonic()``'s scale, so "speak was
called at t, the first audible sample came at t + 23 ms" is measured, not
guessed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

RATE = 22050  # espeak-ng's own rate: the sink never resamples its speech
SINK = "reader_null"


class SoundUnavailable(Exception):
    """PulseAudio (``pulseaudio``, ``parec``) is not installed or would not start."""


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, so no server outlives it."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class PulseServer:
    """A PulseAudio daemon of our own with one null sink; ``env`` points clients at it."""

    def __init__(self, runtime_dir: Path) -> None:
        self.runtime_dir = Path(runtime_dir)
        self.socket = self.runtime_dir / "native"
        self.process: subprocess.Popen | None = None
        self.log = self.runtime_dir / "pulseaudio.log"

    @property
    def env(self) -> dict[str, str]:
        return {"PULSE_SERVER": f"unix:{self.socket}", "PULSE_RUNTIME_PATH": str(self.runtime_dir)}

    def start(self, timeout: float = 10.0) -> PulseServer:
        exe = shutil.which("pulseaudio")
        if exe is None or shutil.which("parec") is None:
            raise SoundUnavailable(
                "pulseaudio or parec is not installed (scripts/setup.sh installs them)"
            )
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(self.env)
        env["HOME"] = str(self.runtime_dir)  # its cookie and state stay in our folder
        env.pop("PULSE_SERVER", None)
        args = [
            exe, "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
            "--system=false", "--use-pid-file=no", "--disable-shm=yes", "--log-target=stderr",
            # like a desktop's server (rtkit): real-time scheduling where allowed, so a
            # busy machine (CI runs tests in parallel) does not stall the sound clock
            "--realtime=yes", "--high-priority=yes",
            "-L", f"module-null-sink sink_name={SINK} rate={RATE} channels=1",
            "-L", f"module-native-protocol-unix socket={self.socket} auth-anonymous=1",
        ]  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                args, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SoundUnavailable(
                    f"pulseaudio exited: {self.log.read_text(errors='replace')[-500:]}"
                )
            if self.socket.exists() and self._ready():
                return self
            time.sleep(0.05)
        self.stop()
        raise SoundUnavailable("pulseaudio did not start in time")

    def _ready(self) -> bool:
        env = dict(os.environ)
        env.update(self.env)
        try:
            done = subprocess.run(
                ["pactl", "info"], env=env, capture_output=True, timeout=5, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


class Recorder:
    """Records the null sink's monitor; maps sample indices to monotonic time."""

    def __init__(self, server: PulseServer, rate: int = RATE) -> None:
        self.server = server
        self.rate = rate
        self._chunks: list[bytes] = []
        self._samples = 0
        self._offset: float | None = None  # t(i) = offset + i / rate
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    def start(self, settle: float = 0.3) -> Recorder:
        env = dict(os.environ)
        env.update(self.server.env)
        self._process = subprocess.Popen(
            ["parec", "-d", f"{SINK}.monitor", "--format=s16le", f"--rate={self.rate}",
             "--channels=1", "--raw", "--latency-msec=5", "--process-time-msec=5"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
        self._thread = threading.Thread(target=self._read, name="parec-reader", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 5
        while self._offset is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if self._offset is None:
            self.stop()
            raise SoundUnavailable("parec recorded nothing")
        time.sleep(settle)
        return self

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        pending = b""
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            now = time.monotonic()
            if not data:
                break
            data = pending + data
            usable = len(data) - len(data) % 2
            pending = data[usable:]
            with self._lock:
                self._chunks.append(data[:usable])
                self._samples += usable // 2
                # the last sample of this chunk was played no later than now
                candidate = now - self._samples / self.rate
                if self._offset is None or candidate < self._offset:
                    self._offset = candidate

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ analysis

    def samples(self) -> np.ndarray:
        with self._lock:
            return np.frombuffer(b"".join(self._chunks), dtype=np.int16)

    def now_index(self) -> int:
        with self._lock:
            return self._samples

    def time_of(self, index: int) -> float:
        assert self._offset is not None
        return self._offset + index / self.rate

    def index_of(self, t: float) -> int:
        assert self._offset is not None
        return max(0, round((t - self._offset) * self.rate))

    def wait_until(self, t: float, timeout: float = 5.0) -> None:
        """Wait until the recording covers time ``t`` (plus the pipe's delay)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._offset is not None and self.time_of(self.now_index()) >= t:
                return
            time.sleep(0.01)

    def envelope(self, window_ms: float = 5.0) -> tuple[np.ndarray, float]:
        """RMS per window, and the window length in seconds."""
        x = self.samples().astype(np.float64)
        w = max(1, int(self.rate * window_ms / 1000))
        n = len(x) // w
        if n == 0:
            return np.zeros(0), w / self.rate
        rms = np.sqrt((x[: n * w].reshape(n, w) ** 2).mean(axis=1))
        return rms, w / self.rate

    def audible(
        self, threshold: float = 300.0, window_ms: float = 5.0
    ) -> list[tuple[float, float]]:
        """Spans (monotonic start, end) where the RMS is above ``threshold``."""
        rms, step = self.envelope(window_ms)
        spans: list[tuple[float, float]] = []
        loud = rms > threshold
        i = 0
        w = round(step * self.rate)
        while i < len(loud):
            if loud[i]:
                j = i
                while j < len(loud) and loud[j]:
                    j += 1
                spans.append((self.time_of(i * w), self.time_of(j * w)))
                i = j
            else:
                i += 1
        return spans

    def first_sound_after(
        self, t: float, threshold: float = 300.0, window_ms: float = 1.0
    ) -> float | None:
        """Start of the first window at or after ``t`` whose RMS is above ``threshold``."""
        for s, _e in self.audible(threshold, window_ms):
            if s >= t:
                return s
        return None

    def last_sound(
        self, after: float | None = None, threshold: float = 300.0, window_ms: float = 1.0
    ) -> float | None:
        """End of the last loud window (after ``after``, if given)."""
        spans = [sp for sp in self.audible(threshold, window_ms) if after is None or sp[1] > after]
        return spans[-1][1] if spans else None

    def rms_between(self, t0: float, t1: float) -> float:
        x = self.samples()[self.index_of(t0) : self.index_of(t1)].astype(np.float64)
        return float(np.sqrt((x**2).mean())) if len(x) else 0.0


def merge_gaps(spans: list[tuple[float, float]], max_gap: float) -> list[tuple[float, float]]:
    """Join audible spans closer than ``max_gap`` (the pauses inside a sentence)."""
    out: list[tuple[float, float]] = []
    for s, e in spans:
        if out and s - out[-1][1] <= max_gap:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
