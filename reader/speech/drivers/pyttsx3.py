"""pyttsx3 (SAPI5 on Windows, NSSpeechSynthesizer/AVSpeech on macOS) in a child process.

pyttsx3 cannot be stopped reliably from outside its own loop (its espeak
driver even plays through ``aplay`` after rendering the whole text), so it
runs in a worker process that reads utterances on stdin and reports events
on stdout.  ``cancel()`` kills the worker — silence at once — and a spare
worker, started in advance, takes over, so the next utterance does not wait
for pyttsx3 to load.  The worker's stderr goes to /dev/null: nothing it says
reaches the terminal.

Utterances are sent as plain text (native Chinese voices get characters, see
the ``native-chinese`` profile); pyttsx3's word callbacks give character
locations, which the worker maps back to word indices.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from reader.speech.drivers import Driver, DriverUnavailable
from reader.speech.drivers._jsonlines import messages
from reader.speech.plan import Utterance
from reader.speech.settings import VoiceSettings


def render_text(utterance: Utterance, settings: object = None) -> str:
    """The text pyttsx3 gets, words separated so its word events can be mapped back."""
    return " ".join(_words_and_pauses(utterance))


def _words_and_pauses(utterance: Utterance) -> list[str]:
    out = []
    for seg in utterance.segments:
        if seg.kind == "pause":
            out.append("，" if seg.pause_ms < 250 else "。")
        else:
            out.extend(w.engine for w in seg.words)
    return out


def _word_offsets(utterance: Utterance) -> list[int]:
    """Character offset of each word (mark index) in :func:`render_text`'s output."""
    offsets = []
    pos = 0
    for seg in utterance.segments:
        if seg.kind == "pause":
            pos += 2
            continue
        for w in seg.words:
            offsets.append(pos)
            pos += len(w.engine) + 1
    return offsets


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader.speech.drivers.pyttsx3_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", bufsize=1,
        )  # fmt: skip

    def send(self, message: dict) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass


class Pyttsx3Driver(Driver):
    name = "pyttsx3"

    def __init__(self) -> None:
        super().__init__()
        try:
            import pyttsx3  # noqa: F401
        except Exception as exc:
            raise DriverUnavailable(f"pyttsx3 not available ({exc})") from None
        self._lock = threading.Lock()
        self._worker = self._start_worker()
        self._spare: _Worker | None = None
        self._spare_thread: threading.Thread | None = None
        self._closed = False

    def _start_worker(self) -> _Worker:
        worker = _Worker()
        threading.Thread(
            target=self._read, args=(worker,), daemon=True, name="pyttsx3-events"
        ).start()
        return worker

    def _read(self, worker: _Worker) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        for msg in messages(stdout):
            with self._lock:
                current = worker is self._worker
            if not current:
                continue
            kind = msg.get("ev")
            if kind == "ready":
                continue
            if kind == "error":
                self.last_error = str(msg.get("message", "pyttsx3 failed"))
            self.on_event(kind, int(msg.get("token", 0)), int(msg.get("index", 0)))
        # End of stream.  cancel() and close() kill workers on purpose (the worker is
        # no longer current, or the driver is closed): nothing to say.  A current
        # worker that ended by itself crashed mid-utterance: without a word, the
        # manager would wait for its "done" for ever.  Say so, and put a fresh
        # worker in its place so the next request speaks.
        with self._lock:
            crashed = worker is self._worker and not self._closed
        if crashed:
            self.last_error = "the pyttsx3 worker stopped"
            self.on_event("error", -1, 0)
            with self._lock:
                if worker is self._worker and not self._closed:
                    self._worker = self._start_worker()

    def render(self, utterance: Utterance, settings: VoiceSettings) -> str:
        return render_text(utterance, settings)

    def submit(self, utterance: Utterance, token: int, settings: VoiceSettings) -> None:
        message = {
            "op": "say",
            "token": token,
            "text": render_text(utterance, settings),
            "offsets": _word_offsets(utterance),
            "rate": settings.rate,
            "volume": settings.volume,
            "voice": settings.voice,
        }
        with self._lock:
            worker = self._worker
        try:
            worker.send(message)
        except (OSError, ValueError) as exc:
            self.last_error = f"pyttsx3 worker failed ({exc})"
            self.on_event("error", token, 0)

    def cancel(self) -> None:
        with self._lock:
            old = self._worker
            if self._spare is not None and self._spare.process.poll() is None:
                self._worker, self._spare = self._spare, None
                threading.Thread(target=self._read, args=(self._worker,), daemon=True).start()
            else:
                self._worker = self._start_worker()
        old.kill()
        self._prepare_spare()

    def _prepare_spare(self) -> None:
        with self._lock:
            if self._closed or self._spare is not None:
                return
            self._spare = _Worker()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = [self._worker, self._spare]
        for w in workers:
            if w is not None:
                w.kill()

    def voices(self) -> list[tuple[str, str]]:
        return list_voices()


def list_voices() -> list[tuple[str, str]]:
    """The system's voices, asked in a child process (pyttsx3 may print while loading)."""
    code = (
        "import json,pyttsx3;e=pyttsx3.init();"
        "print(json.dumps([(v.id, v.name) for v in e.getProperty('voices')]))"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False
        )
        return [tuple(v) for v in json.loads(done.stdout.strip().splitlines()[-1])]
    except Exception:
        return []
