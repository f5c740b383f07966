"""The app's voice: one object between the UI and the speech layer.

It starts the speech manager in the background (the first frame never waits
for an engine), keeps the one latest announcement until the engine is ready,
remembers everything it was asked to say (``spoken``, for tests and for the
``READER_SPEECH_LOG`` event log that the end-to-end test reads), and hands the
manager's events back to the app through ``dispatch``.

Announcements (screen changes, dialogs, errors) go through :meth:`announce`
and are dropped in screen-reader mode; reading the article (say-all, unit
moves) goes through :meth:`read` methods and follows the app's own rules.
An announcement never ends a say-all: it is spoken at once and the reading
goes on after it from the last word heard (the manager's ``interject``), so a
speed key or "where am I" during continuous reading answers and reads on.
What must end the say-all (a move, a dialog) says so: :meth:`stop`,
:meth:`stop_reading`.
"""

from __future__ import annotations

import json
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class _Recorder:
    """A stand-in manager used when the speech layer is missing or fails to start.

    It speaks nothing and reports nothing except what a silent engine would:
    ``read_all`` stays "reading" until stopped, like an endless voice.
    """

    def __init__(self, dispatch: Callable[[Any], None] | None = None) -> None:
        self.dispatch = dispatch

    def say(self, text: str, interrupt: bool = True, lang: str = "zh") -> int:
        return 0

    def interject(self, text: str, lang: str = "zh") -> int:
        return 0

    def stop_reading(self) -> None: ...

    def speak_units(
        self, doc: Any, start: int, end: int | None = None, interrupt: bool = True
    ) -> int:
        return 0

    def read_all(self, doc: Any, from_offset: int = 0) -> int:
        return 0

    def stop(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


#: requests that silence whatever was queued before them.
_INTERRUPTING = frozenset({"say", "speak_units", "read_all", "stop"})


class _Failure:
    """A request the manager refused, reported like the manager's SpeechError."""

    def __init__(self, request: int, message: str) -> None:
        self.request = request
        self.message = message


_Failure.__name__ = "SpeechError"


class Voice:
    """What the app says, through the speech manager once it is ready."""

    def __init__(
        self,
        dispatch: Callable[[Callable[..., Any], Any], Any] | None,
        *,
        driver: str = "auto",
        self_voicing: bool = True,
        rate: int | None = None,
        volume: int | None = None,
        voice: str = "",
        log_path: str | os.PathLike[str] | None = None,
        on_event: Callable[[Any], None] | None = None,
        lang: str = "zh",
    ) -> None:
        self.driver = driver
        #: the interface language: announcements say their numbers in it (article text stays zh)
        self.lang = lang
        self.self_voicing = self_voicing
        self.rate = rate
        self.volume = volume
        self.voice = voice
        self.on_event = on_event
        #: called when speech is wanted before the manager is loading (starts the warm-up)
        self.on_demand: Callable[[], None] | None = None
        #: one-line notices from the speech layer (fallback to another engine …)
        self.on_notice: Callable[[str], None] | None = None
        self._dispatch = dispatch
        self.spoken: list[str] = []
        self.log_path = Path(log_path) if log_path else None
        self.manager: Any = None
        self.error: str | None = None
        self.ready = threading.Event()
        #: (method, args, kwargs, interrupts) for the speech thread
        self._queue: queue.Queue[tuple[str, tuple[Any, ...], dict[str, Any], bool]] = queue.Queue()
        self._helper: Any = None  # the first-words process (see reader.ui.first_words)
        self._helper_used = False
        self._awaiting = False  # a say-all was asked for, its request id not yet known
        self._held: list[Any] = []
        #: the request id of the say-all in progress (its events carry document offsets)
        self.reading_request: int | None = None

    # ------------------------------------------------------------------ start

    def start(self) -> None:
        """Create the speech manager, then serve requests; run this in a worker thread.

        Requests made before the manager exists wait in the queue (only the
        latest interrupting one survives, see :meth:`_serve`).
        """
        manager: Any
        try:
            from reader.speech.manager import SpeechManager  # type: ignore[import-not-found]

            manager = SpeechManager.create(
                self.voice or None,
                dispatch=self._deliver,
                driver=self.driver,
                announce=lambda message: self._deliver(self._notice, message),
            )
        except ImportError:
            manager = _Recorder(self._deliver)
        except Exception as exc:  # an engine that will not start must not kill the app
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            manager = _Recorder(self._deliver)
        self._apply_settings(manager)
        add_listener = getattr(manager, "add_listener", None)
        if add_listener is not None:
            add_listener(self._event)
        self.manager = manager
        self.ready.set()
        threading.Thread(target=self._serve, name="reader-speech", daemon=True).start()

    def _serve(self) -> None:
        """The speech thread: the UI never waits for planning (pinyin, jieba) or an engine."""
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            # everything before the last interrupting request would be cut off at once
            last = max((i for i, item in enumerate(batch) if item[3]), default=0)
            for method, args, kwargs, _ in batch[last:]:
                if method == "_quit":
                    self._idle_done(len(batch))
                    return
                self._run(method, args, kwargs)
            self._idle_done(len(batch))

    def _idle_done(self, count: int) -> None:
        for _ in range(count):
            self._queue.task_done()

    def _run(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            result = getattr(self.manager, method)(*args, **kwargs)
        except Exception as exc:
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._deliver(self._failed, self.error)
            return
        if method == "read_all":
            self._deliver(self._reading_started, result)

    # ------------------------------------------------------------------ first words

    def use_helper(self, process: Any) -> None:
        """Adopt a first-words process (:func:`reader.ui.first_words.spawn`)."""
        self._helper = process

    @property
    def has_helper(self) -> bool:
        return self._helper is not None

    def _helper_say(self, text: str) -> bool:
        """Give the first announcement to the helper, if it is there and unused."""
        helper = self._helper
        if (
            helper is None
            or self._helper_used
            or self.manager is not None
            or helper.poll() is not None
        ):
            return False
        try:
            helper.stdin.write((json.dumps([text, self.lang]) + "\n").encode("utf-8"))
            helper.stdin.flush()
        except OSError:
            return False
        self._helper_used = True
        return True

    def _stop_helper(self) -> None:
        helper, self._helper = self._helper, None
        if helper is not None and helper.poll() is None:
            helper.terminate()  # silences its voice at once

    def _notice(self, message: str) -> None:
        """The engine fell back (e.g. no sound device): tell the reader, on the UI side."""
        if self.on_notice is not None:
            self.on_notice(message)

    def _failed(self, message: str) -> None:
        if self.on_event is not None:
            self.on_event(_Failure(-1, message))

    def _reading_started(self, request: Any) -> None:
        """On the UI side: the say-all has its id; replay events that came before it."""
        self.reading_request = request if isinstance(request, int) else None
        self._awaiting = False
        held, self._held = self._held, []
        for event in held:
            self._event(event)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every queued request has reached the manager (for tests)."""
        end = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < end:
            time.sleep(0.005)
        return not self._queue.unfinished_tasks

    def _apply_settings(self, manager: Any) -> None:
        try:
            if self.voice and hasattr(manager, "set_profile"):
                manager.set_profile(self.voice)
            if self.rate is not None and hasattr(manager, "set_rate"):
                manager.set_rate(self.rate)
            if self.volume is not None and hasattr(manager, "set_volume"):
                manager.set_volume(self.volume)
        except Exception:  # a profile that no longer exists: keep the default
            pass

    def _event(self, event: Any) -> None:
        if self._awaiting:
            self._held.append(event)
            return
        self._log("event", type(event).__name__, **_event_fields(event))
        if self.on_event is not None:
            self.on_event(event)

    def _deliver(self, func: Any, *args: Any) -> None:
        """Bridge for the manager's dispatch: run on the app's side, never on an engine thread."""
        if not callable(func):  # dispatch(event) rather than dispatch(callback, *args)
            func, args = self._event, (func, *args)
        if self._dispatch is None:
            func(*args)
        else:
            try:
                self._dispatch(func, *args)
            except RuntimeError:  # the app has stopped
                pass

    # ------------------------------------------------------------------ talking

    def _log(self, kind: str, text: str = "", **extra: Any) -> None:
        if self.log_path is None:
            return
        record = {"t": round(time.time(), 3), "event": kind, "text": text, **extra}
        try:
            with self.log_path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError:
            pass

    def _call(self, method: str, *args: Any, interrupt: bool | None = None, **kwargs: Any) -> None:
        """Hand a request to the speech thread; returns at once."""
        if self._helper is not None:
            if method in ("say", "interject", "notify") and self._helper_say(args[0]):
                return
            self._stop_helper()
        if self.manager is None and self.on_demand is not None:
            self.on_demand()  # the reader is waiting: load the voice now
        if method == "read_all":
            self._awaiting = True
            self._held = []
        if interrupt is None:
            interrupt = method in _INTERRUPTING
        elif method in ("say", "spell", "speak_units"):
            kwargs["interrupt"] = interrupt
        self._queue.put((method, args, kwargs, interrupt))

    def announce(self, text: str) -> None:
        """Speak something about the interface (dropped beside a screen reader).

        It cuts whatever is being said, except a say-all: that goes on after it
        from the last word heard, at the new speed or voice (or stays paused).
        """
        if not text or not self.self_voicing:
            return
        self.spoken.append(text)
        self._log("say", text)
        self._call("interject", text, lang=self.lang)

    def notice(self, text: str) -> None:
        """Speak a notification after whatever is being said ("speak after", not interrupting).

        Several notices in a row (an import's refusals, a warning after a screen's
        announcement) are then all heard, one after another; the next key still cuts them.
        """
        if not text or not self.self_voicing:
            return
        self.spoken.append(text)
        self._log("say", text, interrupt=False)
        self._call("notify", text, interrupt=False, lang=self.lang)

    def say(self, text: str) -> None:
        """Speak text the reader asked for (a unit, a spelling), interrupting."""
        if not text:
            return
        self.spoken.append(text)
        self._log("say", text)
        self._call("say", text, True)

    def speak_span(self, doc: Any, start: int, end: int) -> None:
        """Speak part of the article, so the speech layer can map its events to offsets."""
        text = doc.text[start:end]
        self.spoken.append(text)
        self._log("speak", text, start=start, end=end)
        self._call("speak_units", doc, start, end, True)

    def spell(self, doc: Any, items: list[tuple[int, str, str | None]], text: str) -> None:
        """Spell characters ``(offset, char, tone-numbered reading)`` one after another.

        Each Han character is spelled by the speech layer with its reading
        fixed ("行，háng，银行的行"); punctuation is said by name.  ``text`` is
        the whole spelling as shown and logged.
        """
        if not items:
            return
        self.spoken.append(text)
        self._log("spell", text)
        for i, (offset, ch, reading) in enumerate(items):
            first = i == 0
            if reading is None:
                self._call("say", ch, interrupt=first)
            else:
                self._call("spell", ch, reading, doc=doc, offset=offset, interrupt=first)

    def read_all(self, doc: Any, offset: int) -> None:
        """Say-all; events of this request (``reading_request``) carry document offsets."""
        self.spoken.append(f"<read_all {offset}>")
        self._log("read_all", "", offset=offset)
        self.reading_request = None
        self._call("read_all", doc, offset)

    def stop(self) -> None:
        self._log("stop")
        self._call("stop")

    def stop_reading(self) -> None:
        """End the say-all only: an announcement being spoken (a dialog's) goes on."""
        self._log("stop_reading")
        self._call("stop_reading")

    def pause(self) -> None:
        self._log("pause")
        self._call("pause")

    def resume(self) -> None:
        self._log("resume")
        self._call("resume")

    def current(self, name: str) -> int:
        """The rate or volume now in force (0-100)."""
        manager = self.manager
        settings = getattr(manager, "settings", None)
        value = getattr(settings, name, None)
        if isinstance(value, int):
            return value
        own = getattr(self, name)
        return own if isinstance(own, int) else (30 if name == "rate" else 100)

    def change(self, name: str, delta: int) -> int:
        """Step rate or volume by ``delta`` (clamped to 0-100); returns the new value."""
        value = max(0, min(100, self.current(name) + delta))
        setattr(self, name, value)
        setter = getattr(self.manager, f"set_{name}", None)
        if setter is not None:
            value = setter(value)
        self._log("set", str(value), name=name)
        return value

    def voice_name(self) -> str:
        """The profile as a listener wants to hear it: its description up to the technical
        part in brackets ("普通话，快速", not "… (espeak-ng cmn-latn-pinyin)")."""
        profile = getattr(self.manager, "profile", None)
        description = getattr(profile, "description", "") or ""
        short = re.split(r"\s*[(（]", description, maxsplit=1)[0].strip()
        return short or getattr(profile, "name", "") or self.voice

    def next_voice(self, step: int) -> str | None:
        """Switch to the next voice profile; its name, or None when there is only one."""
        manager = self.manager
        names = self.voices()
        if len(names) < 2 or manager is None or not hasattr(manager, "next_voice"):
            return None
        profile = manager.next_voice(step)
        self.voice = getattr(profile, "name", str(profile))
        # a profile brings its own rate and volume; the reader's own choice (set with
        # ]/[ and }/{, kept in settings) must survive the change of voice
        for name in ("rate", "volume"):
            value = getattr(self, name)
            setter = getattr(manager, f"set_{name}", None)
            if isinstance(value, int) and setter is not None:
                setter(value)
        self._log("set", self.voice, name="voice")
        return self.voice_name()

    def voices(self) -> list[str]:
        try:
            from reader.speech.settings import profile_names

            return list(profile_names())
        except Exception:
            return []

    @property
    def speaking(self) -> bool:
        helper = self._helper
        if helper is not None and self._helper_used and helper.poll() is None:
            return True
        return bool(getattr(self.manager, "speaking", False))

    @property
    def paused(self) -> bool:
        return bool(getattr(self.manager, "paused", False))

    def close(self) -> None:
        self._stop_helper()
        self._queue.put(("_quit", (), {}, False))
        manager = self.manager
        if manager is not None:
            try:
                manager.stop()
                manager.close()
            except Exception:
                pass


def _event_fields(event: Any) -> dict[str, Any]:
    fields = {}
    for name in ("request", "utterance", "start", "end", "message"):
        value = getattr(event, name, None)
        if value is not None:
            fields[name] = value
    return fields
