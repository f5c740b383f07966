"""The pyttsx3 worker process (see :mod:`reader.speech.drivers.pyttsx3`).

Reads one JSON request per line on stdin, speaks it, and writes events as
JSON lines: ``start``, ``mark`` (word index), ``done``, ``error``.
"""

from __future__ import annotations

import bisect
import json
import sys


def _emit(**event: object) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def main() -> int:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the parent, which stops us
    import pyttsx3

    engine = pyttsx3.init()
    state: dict = {"token": 0, "offsets": [], "started": False}

    def on_start(name: object) -> None:
        state["started"] = True
        _emit(ev="start", token=state["token"])

    def on_word(name: object, location: int, length: int) -> None:
        offsets = state["offsets"]
        index = bisect.bisect_right(offsets, location) - 1
        if index >= 0:
            _emit(ev="mark", token=state["token"], index=index)

    engine.connect("started-utterance", on_start)
    engine.connect("started-word", on_word)
    voices = {v.id: v for v in engine.getProperty("voices")}
    _emit(ev="ready")
    for line in sys.stdin:
        try:
            req = json.loads(line)
        except ValueError:
            continue
        state.update(token=req["token"], offsets=req["offsets"], started=False)
        try:
            engine.setProperty("rate", int(80 + 3.7 * req.get("rate", 30)))
            engine.setProperty("volume", max(0.0, min(1.0, req.get("volume", 100) / 100)))
            wanted = str(req.get("voice", "")).lower()
            for vid, voice in voices.items():
                langs = " ".join(str(x) for x in (getattr(voice, "languages", []) or []))
                if wanted and (
                    wanted in vid.lower()
                    or wanted in (voice.name or "").lower()
                    or wanted in langs.lower()
                ):
                    engine.setProperty("voice", vid)
                    break
            engine.say(req["text"])
            engine.runAndWait()
        except Exception as exc:
            _emit(
                ev="error",
                token=req["token"],
                message=str(exc).splitlines()[0] if str(exc) else "pyttsx3 failed",
            )
            continue
        if not state["started"]:
            _emit(ev="start", token=req["token"])
        _emit(ev="done", token=req["token"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
