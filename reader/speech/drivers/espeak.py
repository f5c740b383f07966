"""espeak-ng, straight through libespeak-ng in playback mode.

Why not pyttsx3's espeak driver: it renders a whole utterance, then plays it
with ``aplay`` through ``os.system``, so it cannot be stopped and its events
run ahead of the sound.  In playback mode libespeak-ng plays through
pcaudiolib (PulseAudio, else ALSA), starts sounding a few milliseconds after
``espeak_Synth``, reports index marks when the *audio* reaches them, and
``espeak_Cancel`` silences it within tens of milliseconds.

Each utterance is one SSML document: every segment in its own ``<voice>``
element (``cmn-latn-pinyin`` for Mandarin as tone-numbered pinyin, an English
voice for Latin words and spelled letters), ``<break>`` for pauses and a
``<mark name="i"/>`` before word *i*.  Rate, volume and pitch are set with
``espeak_SetParameter``, which playback mode queues in order with the text, so
a change applies from the next utterance handed over.

espeak calls back on its own thread; the callback only puts events on a queue
that a pump thread hands to the manager, so the manager can call
``espeak_Cancel`` while handling an event without deadlocking espeak.
"""

from __future__ import annotations

import queue
import threading
from xml.sax.saxutils import escape, quoteattr

from reader.speech.drivers import Driver, DriverUnavailable
from reader.speech.drivers import _libespeak as L
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


class EspeakDriver(Driver):
    name = "espeak"

    def __init__(self) -> None:
        super().__init__()
        try:
            self._dll = L.initialize(L.AUDIO_OUTPUT_PLAYBACK)
        except L.LibraryMissing as exc:
            raise DriverUnavailable(str(exc)) from None
        self._events: queue.SimpleQueue[tuple[str, int, int] | None] = queue.SimpleQueue()
        self._started: set[int] = set()
        self._receiver = L.register(self._on_engine)
        self._voice_names: set[str] | None = None
        self._closed = False
        self._pump = threading.Thread(
            target=self._run_pump, name="reader-espeak-events", daemon=True
        )
        self._pump.start()
        self._warm_up()

    def _warm_up(self) -> None:
        """Open the sound stream now: the first connection to PulseAudio costs ~0.4 s,
        which would otherwise delay the first thing the user hears."""
        data = b'<speak><break time="10ms"/></speak>'
        self._dll.espeak_Synth(
            data, len(data) + 1, 0, L.POS_CHARACTER, 0, L.CHARS_UTF8 | L.SSML, None,
            L.user_data(self._receiver, 0),
        )  # fmt: skip

    # ------------------------------------------------------------------ engine thread

    def _on_engine(self, wav, numsamples, items) -> bool:
        for etype, token, _pos, _audio, _sample, name in items:
            if etype == L.EVENT_SENTENCE or etype == L.EVENT_WORD:
                self._events.put(("start", token, 0))
            elif etype == L.EVENT_MARK and name is not None:
                try:
                    self._events.put(("mark", token, int(name)))
                except ValueError:
                    pass
            elif etype == L.EVENT_MSG_TERMINATED:
                self._events.put(("done", token, 0))
        return False

    def _run_pump(self) -> None:
        while True:
            item = self._events.get()
            if item is None:
                return
            kind, token, index = item
            if kind == "start":
                if token in self._started:
                    continue
                self._started.add(token)
            elif kind == "mark" and token not in self._started:
                self._started.add(token)
                self.on_event("start", token, 0)
            elif kind == "done":
                self._started.discard(token)
            self.on_event(kind, token, index)

    # ------------------------------------------------------------------ driver API

    def render(self, utterance: Utterance, settings: VoiceSettings) -> str:
        return render_ssml(utterance, settings)

    def validate(self, settings: VoiceSettings) -> None:
        known = self._known_voices()
        for key in ("voice", "latin_voice"):
            value = getattr(settings, key)
            if value and value.lower() not in known:
                raise ProfileError(
                    f"espeak-ng has no voice {value!r} ({key}); see 'reader voices' for the installed ones"
                )

    def _known_voices(self) -> set[str]:
        if self._voice_names is None:
            names: set[str] = set()
            for ident, name, lang in L.voices():
                names.update(
                    {ident.lower(), ident.rsplit("/", 1)[-1].lower(), name.lower(), lang.lower()}
                )
            self._voice_names = names
        return self._voice_names

    def submit(self, utterance: Utterance, token: int, settings: VoiceSettings) -> None:
        dll = self._dll
        dll.espeak_SetParameter(L.RATE, espeak_rate(settings.rate), 0)
        dll.espeak_SetParameter(L.VOLUME, max(0, min(200, settings.volume)), 0)
        dll.espeak_SetParameter(L.PITCH, max(0, min(100, settings.pitch)), 0)
        data = render_ssml(utterance, settings).encode("utf-8")
        status = dll.espeak_Synth(
            data, len(data) + 1, 0, L.POS_CHARACTER, 0, L.CHARS_UTF8 | L.SSML | L.ENDPAUSE,
            None, L.user_data(self._receiver, token),
        )  # fmt: skip
        if status != L.EE_OK:
            self.last_error = f"espeak-ng refused the text (status {status})"
            self._events.put(("error", token, 0))

    def cancel(self) -> None:
        self._dll.espeak_Cancel()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._dll.espeak_Cancel()
        L.unregister(self._receiver)
        self._events.put(None)
        self._pump.join(timeout=2)

    def voices(self) -> list[tuple[str, str]]:
        return [(lang or ident, f"{name} ({ident})") for ident, name, lang in L.voices()]
