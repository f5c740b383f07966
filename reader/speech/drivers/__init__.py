"""Speech engine drivers and the automatic choice between them.

A driver speaks :class:`~reader.speech.plan.Utterance` objects in the order
they are submitted and reports, from whatever thread its engine uses, three
things per utterance through the ``on_event(kind, token, index)`` callback it
was opened with:

* ``("start", token, 0)`` when the utterance's first sound is heard,
* ``("mark", token, i)`` when the voice reaches word *i* of ``utterance.words()``,
* ``("done", token, 0)`` when its last sound has been heard,
* ``("error", token, 0)`` (with ``driver.last_error``) when the engine failed.

``cancel()`` silences at once and forgets everything submitted; the manager
drops any late callback by its token, so a driver need not be exact about it.
Drivers never print: an engine's own output is redirected away from the
terminal, where it would corrupt the app's screen.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
from collections.abc import Callable

from reader.speech.plan import PlanStyle, Utterance
from reader.speech.settings import VoiceSettings

OnEvent = Callable[[str, int, int], None]


class DriverUnavailable(Exception):
    """This engine cannot run here; the message says why in one line."""


class Driver:
    """The interface every engine driver implements."""

    name = "base"
    #: True when the driver produces real sound (the silent one does not).
    audible = True

    def __init__(self) -> None:
        self.on_event: OnEvent = lambda kind, token, index: None
        self.last_error = ""

    def open(self, on_event: OnEvent) -> None:
        self.on_event = on_event

    def style(self, settings: VoiceSettings) -> PlanStyle:
        return PlanStyle(script=settings.script, primary=settings.language)  # type: ignore[arg-type]

    def render(self, utterance: Utterance, settings: VoiceSettings) -> str:
        """Exactly what the engine is given for this utterance (shown by ``reader say --show``)."""
        raise NotImplementedError

    def validate(self, settings: VoiceSettings) -> None:
        """Raise :class:`~reader.speech.settings.ProfileError` if this engine cannot use them."""

    def submit(self, utterance: Utterance, token: int, settings: VoiceSettings) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.cancel()

    def voices(self) -> list[tuple[str, str]]:
        """Installed voices as ``(id, description)``."""
        return []


def create_driver(name: str = "auto", *, announce: Callable[[str], None] | None = None) -> Driver:
    """The driver called ``name``; ``auto`` picks the best one that works here.

    When ``auto`` has to fall back, ``announce`` gets one line saying why (the
    command line prints it; the app shows and speaks it).
    """
    if name == "silent":
        from reader.speech.drivers.silent import SilentDriver

        return SilentDriver()
    if name == "espeak":
        from reader.speech.drivers.espeak import EspeakDriver

        return EspeakDriver()
    if name == "pyttsx3":
        from reader.speech.drivers.pyttsx3 import Pyttsx3Driver

        return Pyttsx3Driver()
    if name != "auto":
        raise ValueError(f"unknown speech driver {name!r}")
    order = ["pyttsx3", "espeak"] if sys.platform in ("win32", "darwin") else ["espeak"]
    reasons = []
    if sys.platform.startswith("linux") and not sound_output_present():
        order = []
        reasons.append("no sound device or sound server found")
    for candidate in order:
        try:
            return create_driver(candidate)
        except DriverUnavailable as exc:
            reasons.append(str(exc))
    from reader.speech.drivers.silent import SilentDriver

    if announce is not None:
        # the hint names what is missing: with no sound output, espeak-ng may well be installed
        hint = "install espeak-ng" if order else "start a sound server (PulseAudio or PipeWire)"
        announce(
            f"{reasons[0] if reasons else 'no speech engine'}: reading continues without sound; {hint}"
        )
    return SilentDriver()


def sound_output_present() -> bool:
    """Whether a Linux machine has somewhere to play sound (a sound server or a card).

    Without one, espeak-ng "plays" into nothing at full speed, so the
    silent driver (which at least keeps the pace of speech) is the honest choice.
    """
    server = os.environ.get("PULSE_SERVER", "")
    if server:
        return not server.startswith("unix:") or os.path.exists(server[5:])
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    for path in (os.path.join(runtime, "pulse", "native"), os.path.join(runtime, "pipewire-0")):
        if os.path.exists(path):
            return True
    if glob.glob("/dev/snd/pcmC*D*p"):
        return True
    # a per-user PulseAudio is started on demand by its first client (never for root)
    return os.getuid() != 0 and shutil.which("pulseaudio") is not None
