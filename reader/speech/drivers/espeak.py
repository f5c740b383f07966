"""espeak-ng through libespeak-ng in playback mode, in a helper process.

Why not pyttsx3's espeak driver: it renders a whole utterance, then plays it
with ``aplay`` through ``os.system``, so it cannot be stopped and its events
run ahead of the sound.  In playback mode libespeak-ng plays through
pcaudiolib (PulseAudio, else ALSA), starts sounding a few milliseconds after
``espeak_Synth``, reports index marks when the *audio* reaches them, and
``espeak_Cancel`` silences it within tens of milliseconds.

The library runs in :mod:`reader.speech.drivers.espeak_host`, a child process
with its output sent to /dev/null: libespeak-ng prints to stderr (onto the
app's screen otherwise), keeps process-wide state and, being C, could take
the app down with it.  Commands and events cross a pipe in well under a
millisecond.

Each utterance is one SSML document: each run of one voice in a ``<voice>``
element (``cmn-latn-pinyin`` for Mandarin as tone-numbered pinyin, an English
voice for Latin words and spelled letters), ``<break>`` for pauses and
``<mark name="i"/>`` before word *i*.  Rate, volume and pitch go with each
utterance (``espeak_SetParameter`` is queued in order with the text), so a
change applies from the next utterance handed over.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from xml.sax.saxutils import escape, quoteattr

from reader.speech.drivers import Driver, DriverUnavailable
from reader.speech.drivers._jsonlines import messages
from reader.speech.plan import Utterance
from reader.speech.settings import ProfileError, VoiceSettings


def espeak_rate(rate: int) -> int:
    """0-100 → words per minute (espeak-ng accepts 80-450; NVDA uses the same range)."""
    return round(80 + 3.7 * max(0, min(100, rate)))


def render_ssml(utterance: Utterance, settings: VoiceSettings) -> str:
    """The SSML document espeak-ng gets for ``utterance``.

    Consecutive segments for the same voice share one ``<voice>`` element:
    every voice change costs espeak-ng a clause break.
    """
    out = ["<speak>"]
    index = 0
    open_voice: str | None = None
    for seg in utterance.segments:
        if seg.kind == "pause":
            if open_voice is not None:
                out.append("</voice>")
                open_voice = None
            out.append(f'<break time="{seg.pause_ms}ms"/>')
            continue
        voice = settings.voice if seg.lang == "zh" else (settings.latin_voice or settings.voice)
        if voice != open_voice:
            if open_voice is not None:
                out.append("</voice>")
            out.append(f"<voice name={quoteattr(voice)}>")
            open_voice = voice
        for word in seg.words:
            out.append(f'<mark name="{index}"/>{escape(word.engine)} ')
            index += 1
    if open_voice is not None:
        out.append("</voice>")
    out.append("</speak>")
    return "".join(out)


def library_present() -> bool:
    from reader.speech.drivers import _libespeak as L

    try:
        L._load()
    except L.LibraryMissing:
        return False
    return True


class EspeakDriver(Driver):
    name = "espeak"

    def __init__(self) -> None:
        super().__init__()
        if not library_present():
            raise DriverUnavailable("espeak-ng not found")
        self._lock = threading.Lock()
        self._voice_names: set[str] | None = None
        self._closed = False
        self.ready = threading.Event()
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "reader.speech.drivers.espeak_host"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8", bufsize=1, env=env,
            )  # fmt: skip
        except OSError as exc:
            raise DriverUnavailable(f"espeak-ng helper would not start ({exc})") from None
        self._reader = threading.Thread(target=self._read, name="reader-espeak-events", daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ events

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        for msg in messages(stdout):
            kind = msg.get("ev")
            if kind == "ready":
                self.ready.set()
                continue
            if kind == "fatal":
                self.last_error = str(msg.get("message", "espeak-ng failed"))
                self.ready.set()
                continue
            if kind == "error":
                self.last_error = str(msg.get("message", "espeak-ng failed"))
            self.on_event(kind, int(msg.get("token", 0)), int(msg.get("index", 0)))
        self.ready.set()
        if not self._closed:
            self.last_error = "the espeak-ng helper stopped"
            self.on_event("error", -1, 0)

    def _send(self, command: dict) -> None:
        line = json.dumps(command, ensure_ascii=False) + "\n"
        with self._lock:
            stdin = self._process.stdin
            assert stdin is not None
            stdin.write(line)
            stdin.flush()

    # ------------------------------------------------------------------ driver API

    def render(self, utterance: Utterance, settings: VoiceSettings) -> str:
        return render_ssml(utterance, settings)

    def validate(self, settings: VoiceSettings) -> None:
        known = self._known_voices()
        if not known:
            return
        for key in ("voice", "latin_voice"):
            value = getattr(settings, key)
            if value and value.lower() not in known:
                raise ProfileError(
                    f"espeak-ng has no voice {value!r} ({key}); 'reader voices' lists the installed ones"
                )

    def _known_voices(self) -> set[str]:
        if self._voice_names is None:
            names: set[str] = set()
            for ident, name, lang in installed_voices():
                names.update(
                    {ident.lower(), ident.rsplit("/", 1)[-1].lower(), name.lower(), lang.lower()}
                )
            self._voice_names = names
        return self._voice_names

    def submit(self, utterance: Utterance, token: int, settings: VoiceSettings) -> None:
        self._send(
            {
                "op": "synth",
                "token": token,
                "ssml": render_ssml(utterance, settings),
                "rate": espeak_rate(settings.rate),
                "volume": max(0, min(200, settings.volume)),
                "pitch": max(0, min(100, settings.pitch)),
            }
        )

    def cancel(self) -> None:
        try:
            self._send({"op": "cancel"})
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._send({"op": "quit"})
            assert self._process.stdin is not None
            self._process.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=2)

    def voices(self) -> list[tuple[str, str]]:
        return [(lang or ident, f"{name} ({ident})") for ident, name, lang in installed_voices()]


def installed_voices() -> list[tuple[str, str, str]]:
    """``(identifier, name, language)`` of every installed espeak-ng voice."""
    if shutil.which("espeak-ng") is None and not library_present():
        return []
    from reader.speech.drivers import _libespeak as L

    try:
        return L.voices()
    except L.LibraryMissing:
        return []
