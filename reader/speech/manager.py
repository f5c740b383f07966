"""The speech manager: one queue of utterances between the app and an engine.

Modelled on NVDA's speech manager.  Callers hand over text or spans of a
:class:`~reader.text.units.Document`; the manager plans utterances (one per
sentence, see :mod:`reader.speech.plan`), feeds them to a driver a few at a
time, and turns the driver's callbacks into events for its listeners::

    mgr = SpeechManager.create(profile=None, dispatch=app.call_from_thread, driver="auto")
    mgr.add_listener(on_speech_event)          # UtteranceStarted, WordProgress, ...
    mgr.say("已暂停")                            # announcements; interrupt=True by default
    mgr.interject("语速35")                      # now; a say-all goes on after it
    mgr.speak_units(doc, start, end)           # a unit of an article, progress in doc offsets
    mgr.read_all(doc, caret)                   # say-all with read-ahead
    mgr.stop(); mgr.pause(); mgr.resume()
    mgr.set_rate(40); mgr.set_volume(80); mgr.set_pitch(50); mgr.next_voice()
    mgr.describe_settings(); mgr.position      # last heard source offset
    mgr.close()

Rules the rest of the app relies on:

* ``stop()`` silences at once and drops everything queued; no event of the
  stopped speech reaches a listener afterwards (a generation counter is
  checked when the driver calls back *and* again when the event is delivered
  on the caller's side).
* ``interrupt=True`` speaks now (stop, then speak); ``interrupt=False`` speaks
  after whatever is queued.
* ``interject(text)`` speaks now *without ending a say-all*: the reading is
  cut, the text is spoken, and the reading goes on from the last word heard
  (with any new rate, volume or voice); a paused say-all stays paused.  This is
  how NVDA answers a speed key during say-all.  ``stop_reading()`` ends the
  say-all alone and leaves announcements alone.
* ``position`` is the source offset of the last word *heard*, never one that
  was only queued; ``pause()`` keeps it and ``resume()`` goes on from that word.
* Rate, volume, pitch and voice changes take effect at the next utterance;
  utterances already handed to the engine for read-ahead are handed over again
  with the new settings, so nothing is skipped or repeated.
* Listeners are called through ``dispatch(fn, *args)`` — in the Textual app
  ``app.call_from_thread`` so they run on the UI thread; by default they run
  on the engine's thread.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from reader.speech.drivers import Driver, create_driver
from reader.speech.events import (
    AllDone,
    SpeechError,
    SpeechEvent,
    UtteranceDone,
    UtteranceStarted,
    WordProgress,
)
from reader.speech.plan import Utterance, iter_plan, plan_span, sentence_spans, warm_up
from reader.speech.settings import (
    ProfileError,
    VoiceProfile,
    VoiceSettings,
    load_profile,
    profile_names,
)

Listener = Callable[[SpeechEvent], None]
Dispatch = Callable[..., object]

#: Utterances handed to the engine beyond the one being heard: enough that the
#: engine never waits for us between sentences, few enough that a settings
#: change or a stop has little to throw away.
READ_AHEAD = 2


def _direct(fn: Callable[..., object], *args: object) -> object:
    return fn(*args)


@dataclass
class _Request:
    id: int
    utterances: Iterator[Utterance]


@dataclass
class _InFlight:
    token: int
    request: int
    utterance: Utterance
    settings_version: int
    heard: int = -1  # index of the last word heard
    started: bool = False
    urgent: bool = False  # an interjection (spoken even while a say-all is paused)


@dataclass
class _Snapshot:
    """Read-only view for tests and "where am I"."""

    speaking: bool
    paused: bool
    queued: int
    position: int | None
    extra: dict = field(default_factory=dict)


class SpeechManager:
    """See the module docstring; all public methods are thread-safe and return at once."""

    def __init__(
        self,
        driver: Driver,
        profile: VoiceProfile | None = None,
        dispatch: Dispatch | None = None,
        *,
        read_ahead: int = READ_AHEAD,
    ) -> None:
        self.driver = driver
        self.profile = profile or VoiceProfile("mandarin")
        self.settings: VoiceSettings = self.profile.settings
        self.dispatch: Dispatch = dispatch or _direct
        self.read_ahead = read_ahead
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._generation = 0
        self._settings_version = 0
        self._tokens = itertools.count(1)
        self._request_ids = itertools.count(1)
        self._utterance_ids = itertools.count(1)
        #: interjections: handed over before everything else, even while paused
        self._urgent: deque[tuple[int, Utterance]] = deque()
        self._ready: deque[tuple[int, Utterance]] = deque()  # planned, not yet handed over
        self._requests: deque[_Request] = deque()  # lazily planned, after _ready
        self._inflight: deque[_InFlight] = deque()  # handed to the driver, in order
        self._paused = False
        self._idle = threading.Event()
        self._idle.set()
        self._closed = False
        self.position: int | None = None
        self.last_request = 0
        self._pending_done: int | None = None  # the request whose end AllDone reports
        self._reading: int | None = None  # the say-all's request, while any of it is left
        driver.open(self._on_driver_event)

    @classmethod
    def create(
        cls,
        profile: str | VoiceProfile | None = None,
        dispatch: Dispatch | None = None,
        driver: str | Driver = "auto",
        *,
        announce: Callable[[str], None] | None = None,
        read_ahead: int = READ_AHEAD,
        warm: bool = True,
    ) -> SpeechManager:
        """A manager for a profile name (default ``mandarin``) and a driver name.

        ``driver="auto"`` uses the profile's engine, or the best one present;
        when it falls back to silence, ``announce`` gets one line saying so.
        ``warm`` loads the segmenter and pinyin tables in the background now,
        so the first key press is not half a second late.
        """
        prof = profile if isinstance(profile, VoiceProfile) else load_profile(profile)
        if isinstance(driver, Driver):
            drv = driver
        else:
            name = prof.engine if driver == "auto" else driver
            drv = create_driver(name, announce=announce)
        try:
            drv.validate(prof.settings)
        except Exception:
            drv.close()
            raise
        if warm:
            threading.Thread(target=warm_up, name="reader-speech-warm-up", daemon=True).start()
        return cls(drv, prof, dispatch, read_ahead=read_ahead)

    # ------------------------------------------------------------------ listeners

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # ------------------------------------------------------------------ planning

    def plan(
        self, text: str, start: int = 0, end: int | None = None, lang: str = "zh"
    ) -> list[Utterance]:
        """The utterances ``say(text, lang=lang)`` would speak (nothing is spoken)."""
        style = self.driver.style(self.settings)
        spans = sentence_spans(text, start, end)
        return list(iter_plan(spans, text, style=style, first_id=1, lang=lang))

    def render(self, utterance: Utterance) -> str:
        """Exactly what the engine receives for ``utterance`` with the current settings."""
        return self.driver.render(utterance, self.settings)

    def _plan_lazily(
        self, source: str, spans: Iterator[tuple[int, int]], lang: str = "zh"
    ) -> Iterator[Utterance]:
        for s, e in spans:
            utt = plan_span(
                source, s, e, next(self._utterance_ids), self.driver.style(self.settings), lang
            )
            if utt.segments:
                yield utt

    # ------------------------------------------------------------------ speaking

    def say(self, text: str, interrupt: bool = True, lang: str = "zh") -> int:
        """Speak ``text`` (an announcement or any string); offsets in events are into ``text``.

        ``lang`` is the language of the words around its numbers: an English
        interface's announcements pass "en", so "paragraph 1 of 15" is said in English.
        """
        return self._enqueue(text, iter(sentence_spans(text)), interrupt, lang=lang)

    def speak_units(self, doc, start: int, end: int | None = None, interrupt: bool = True) -> int:
        """Speak ``doc.text[start:end]``; ``end=None`` means to the end of the sentence at ``start``."""
        if end is None:
            unit = doc.unit_at("sentence", start)
            end = unit.end if unit is not None and unit.end > start else len(doc.text)
        return self._enqueue(doc.text, iter(sentence_spans(doc.text, start, end)), interrupt)

    def read_all(self, doc, from_offset: int = 0, interrupt: bool = True) -> int:
        """Say-all from ``from_offset`` to the end, sentence by sentence, planned as it goes."""
        text = doc.text

        def spans() -> Iterator[tuple[int, int]]:
            for unit in doc.sentences():
                if unit.end <= from_offset:
                    continue
                yield (max(unit.start, from_offset), unit.end)

        return self._enqueue(text, spans(), interrupt, reading=True)

    def interject(self, text: str, lang: str = "zh") -> int:
        """Speak ``text`` now; a say-all in progress goes on after it from the last word heard.

        A paused say-all stays paused (``resume()`` goes on from where it was); an
        earlier interjection still sounding is cut.  With no say-all this is
        ``say(text)``.
        """
        with self._lock:
            if not self._reading_left():
                return self.say(text, lang=lang)
            rid = next(self._request_ids)
            self.last_request = rid
            utterances = list(self._plan_lazily(text, iter(sentence_spans(text)), lang))
            self._take_back()  # the reading waits in _ready, cut at the last word heard
            self._urgent.clear()
            self._urgent.extend((rid, utt) for utt in utterances)
            self._idle.clear()
            self._fill()
            return rid

    def notify(self, text: str, lang: str = "zh") -> int:
        """A notification ("speak after"): heard after what is being said, never cutting it.

        During a say-all, "after" would mean after the whole reading, minutes away,
        or never if the reader moves first: the notification goes in before the
        reading's next sentence instead (after any interjection still waiting), and
        the reading goes on after it.  The reading's own end is still reported.
        """
        with self._lock:
            if not self._reading_left():
                return self.say(text, interrupt=False, lang=lang)
            rid = next(self._request_ids)
            self.last_request = rid
            self._urgent.extend(
                (rid, utt) for utt in self._plan_lazily(text, iter(sentence_spans(text)), lang)
            )
            self._idle.clear()
            self._fill()
            return rid

    def stop_reading(self) -> None:
        """End the say-all (a dialog opened over the text); other speech goes on."""
        with self._lock:
            rid, self._reading = self._reading, None
            self._paused = False
            if rid is None:
                return
            self._ready = deque(item for item in self._ready if item[0] != rid)
            self._requests = deque(req for req in self._requests if req.id != rid)
            if any(entry.request == rid for entry in self._inflight):
                keep = [entry for entry in self._inflight if entry.request != rid]
                self._generation += 1
                self.driver.cancel()
                self._inflight.clear()
                self._requeue(keep)
            if self._pending_done == rid:
                left = [r for r, _ in (*self._urgent, *self._ready)]
                left += [req.id for req in self._requests]
                self._pending_done = max(left, default=None)
            self._fill()

    def spell(self, ch: str, reading: str | None = None, *, doc=None, offset: int | None = None,
              interrupt: bool = True) -> int:  # fmt: skip
        """Spell one character: "行，xíng，行走的行", with the reading fixed (``xing2``).

        Pass the context's reading (the app knows it from the line's pinyin);
        with ``doc`` and ``offset`` the events report the character's span.
        """
        from reader.speech.spelling import spell_plan

        source = doc.text if doc is not None else ch
        utt = spell_plan(
            ch, reading, offset=offset or 0, source=source, uid=next(self._utterance_ids)
        )
        return self._enqueue_utterances(iter([utt]), interrupt)

    def _enqueue(
        self,
        source: str,
        spans: Iterator[tuple[int, int]],
        interrupt: bool,
        *,
        reading: bool = False,
        lang: str = "zh",
    ) -> int:
        utterances = self._plan_lazily(source, spans, lang)
        return self._enqueue_utterances(utterances, interrupt, reading)

    def _enqueue_utterances(
        self, utterances: Iterator[Utterance], interrupt: bool, reading: bool = False
    ) -> int:
        with self._lock:
            if interrupt:
                self._stop_locked()
                self._paused = False
            rid = next(self._request_ids)
            self.last_request = rid
            self._pending_done = rid
            if reading:
                self._reading = rid
            self._requests.append(_Request(rid, utterances))
            self._idle.clear()
            self._fill()
            return rid

    def _reading_left(self) -> bool:
        """Whether any of the say-all is still to be heard (queued, sounding or paused)."""
        rid = self._reading
        if rid is None:
            return False
        if (
            any(entry.request == rid for entry in self._inflight)
            or any(r == rid for r, _ in self._ready)
            or any(req.id == rid for req in self._requests)
        ):
            return True
        self._reading = None
        return False

    def _rest(self, entry: _InFlight) -> Utterance:
        """What is left of an utterance handed to the engine: from the last word heard."""
        utt = entry.utterance
        if entry.started and entry.heard >= 0:
            word = utt.words()[entry.heard]
            utt = plan_span(
                utt.source, word.start, utt.end, utt.id, self.driver.style(self.settings), utt.lang
            )
        return utt

    def _requeue(self, entries: list[_InFlight], *, trim: bool = True) -> None:
        """Put utterances taken back from the engine in front of their queues, in order."""
        urgent = [(e.request, self._rest(e) if trim else e.utterance) for e in entries if e.urgent]
        other = [(e.request, self._rest(e) if trim else e.utterance) for e in entries if not e.urgent]
        self._urgent.extendleft(reversed(urgent))
        self._ready.extendleft(reversed(other))

    def _take_back(self) -> None:
        """Silence the engine; the say-all waits, cut at its last word heard; interjections go."""
        self._generation += 1
        self.driver.cancel()
        entries = [entry for entry in self._inflight if not entry.urgent]
        self._inflight.clear()
        self._urgent.clear()
        self._requeue(entries)

    def _next_utterance(self) -> tuple[int, Utterance, bool] | None:
        if self._urgent:
            return (*self._urgent.popleft(), True)
        if self._paused:
            return None
        if self._ready:
            return (*self._ready.popleft(), False)
        while self._requests:
            req = self._requests[0]
            utt = next(req.utterances, None)
            if utt is not None:
                return req.id, utt, False
            self._requests.popleft()
        return None

    def _fill(self) -> None:
        while len(self._inflight) <= self.read_ahead:
            item = self._next_utterance()
            if item is None:
                break
            rid, utt, urgent = item
            entry = _InFlight(next(self._tokens), rid, utt, self._settings_version, urgent=urgent)
            self._inflight.append(entry)
            try:
                self.driver.submit(utt, entry.token, self.settings)
            except Exception as exc:  # an engine failure must not take the app down
                self._error(rid, f"speech failed: {exc}")
                return
        if not (self._inflight or self._urgent or self._ready or self._requests):
            if self._pending_done is not None:
                self._emit(AllDone(self._pending_done))
                self._pending_done = None
            self._idle.set()

    def _error(self, rid: int, message: str) -> None:
        self._stop_locked()
        self._emit(SpeechError(rid, message))

    # ------------------------------------------------------------------ control

    def stop(self) -> None:
        """Silence now; drop everything queued and every late event."""
        with self._lock:
            self._stop_locked()
            self._paused = False

    def _stop_locked(self) -> None:
        self._generation += 1
        self._urgent.clear()
        self._ready.clear()
        self._requests.clear()
        self._inflight.clear()
        self._pending_done = None
        self._reading = None
        self.driver.cancel()
        self._idle.set()

    def pause(self) -> None:
        """Silence now but keep the place: ``resume()`` goes on from the last word heard."""
        with self._lock:
            if self._paused or not (self._inflight or self._ready or self._requests):
                return
            self._paused = True
            self._take_back()

    def resume(self) -> None:
        with self._lock:
            if not self._paused:
                return
            self._paused = False
            self._fill()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def speaking(self) -> bool:
        with self._lock:
            if self._inflight or self._urgent:
                return True
            return bool(self._ready or self._requests) and not self._paused

    def wait(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued (for the command line); False on timeout."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._stop_locked()
            self._listeners.clear()
        self.driver.close()

    # ------------------------------------------------------------------ settings

    def _change(self, **changes: object) -> None:
        with self._lock:
            self.settings = self.settings.with_(**changes)
            self._settings_version += 1

    def set_rate(self, rate: int) -> int:
        rate = max(0, min(100, int(rate)))
        self._change(rate=rate)
        return rate

    def set_volume(self, volume: int) -> int:
        volume = max(0, min(100, int(volume)))
        self._change(volume=volume)
        return volume

    def set_pitch(self, pitch: int) -> int:
        pitch = max(0, min(100, int(pitch)))
        self._change(pitch=pitch)
        return pitch

    def set_profile(self, profile: str | VoiceProfile) -> VoiceProfile:
        prof = profile if isinstance(profile, VoiceProfile) else load_profile(profile)
        self.driver.validate(prof.settings)
        with self._lock:
            self.profile = prof
            self.settings = prof.settings
            self._settings_version += 1
        return prof

    def next_voice(self, step: int = 1) -> VoiceProfile:
        """Switch to the next voice profile this engine can use (skipping the others)."""
        names = profile_names()
        if not names:
            return self.profile
        i = names.index(self.profile.name) if self.profile.name in names else -1
        for k in range(1, len(names) + 1):
            name = names[(i + k * step) % len(names)]
            try:
                prof = load_profile(name)
                if prof.engine not in ("auto", self.driver.name):
                    continue
                return self.set_profile(prof)
            except ProfileError:
                continue
        return self.profile

    def describe_settings(self, lang: str = "zh") -> str:
        s = self.settings
        if lang == "en":
            return (
                f"voice {self.profile.name} ({self.driver.name}), rate {s.rate}, "
                f"volume {s.volume}, pitch {s.pitch}"
            )
        return f"语音 {self.profile.name}（{self.driver.name}），语速{s.rate}，音量{s.volume}，音调{s.pitch}"

    def snapshot(self) -> _Snapshot:
        with self._lock:
            return _Snapshot(
                speaking=bool(self._inflight or self._ready or self._requests),
                paused=self._paused,
                queued=len(self._inflight) + len(self._ready),
                position=self.position,
            )

    # ------------------------------------------------------------------ driver events

    def _emit(self, event: SpeechEvent) -> None:
        generation = self._generation
        listeners = list(self._listeners)
        if listeners:
            self.dispatch(self._deliver, generation, listeners, event)

    def _deliver(self, generation: int, listeners: list[Listener], event: SpeechEvent) -> None:
        # checked again on the caller's side: a stop that came after the engine's
        # callback but before this delivery still wins
        if generation != self._generation and not isinstance(event, SpeechError):
            return
        for listener in listeners:
            listener(event)

    def _entry(self, token: int) -> _InFlight | None:
        for entry in self._inflight:
            if entry.token == token:
                return entry
        return None

    def _on_driver_event(self, kind: str, token: int, index: int) -> None:
        with self._lock:
            entry = self._entry(token)
            if entry is None:
                if kind == "error" and token < 0 and self._inflight:  # the engine itself died
                    self._error(
                        self._inflight[0].request,
                        self.driver.last_error or "the speech engine failed",
                    )
                return  # stale: from speech that was stopped, paused or re-submitted
            utt = entry.utterance
            if kind == "start":
                entry.started = True
                self.position = utt.start
                self._emit(UtteranceStarted(entry.request, utt.id, utt.start, utt.end, utt.text))
            elif kind == "mark":
                words = utt.words()
                if 0 <= index < len(words):
                    if not entry.started:
                        entry.started = True
                        self.position = utt.start
                        self._emit(
                            UtteranceStarted(entry.request, utt.id, utt.start, utt.end, utt.text)
                        )
                    entry.heard = index
                    self.position = words[index].start
                    self._emit(
                        WordProgress(entry.request, utt.id, words[index].start, words[index].end)
                    )
            elif kind == "done":
                while self._inflight and self._inflight[0].token != token:
                    self._inflight.popleft()  # the engine skipped them (nothing to say)
                self._inflight.popleft()
                self._emit(UtteranceDone(entry.request, utt.id, utt.start, utt.end))
                self._resubmit_if_settings_changed()
                self._fill()
            elif kind == "error":
                self._error(entry.request, self.driver.last_error or "the speech engine failed")

    def _resubmit_if_settings_changed(self) -> None:
        stale = [e for e in self._inflight if e.settings_version != self._settings_version]
        if not stale:
            return
        # hand the read-ahead over again with the new settings, from the next utterance
        entries = list(self._inflight)
        self._inflight.clear()
        self.driver.cancel()
        self._requeue(entries, trim=False)
