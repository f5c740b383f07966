"""The process that runs libespeak-ng for the espeak driver.

libespeak-ng is a C library with process-wide state that prints to the
process's stderr (e.g. "espeak: No envelope" after a cancel) — which, in the
app, *is* the terminal Textual draws on.  So it runs here, in a child process
whose stdout and stderr go to /dev/null; commands arrive as JSON lines on
stdin and events leave as JSON lines on a private pipe (the original stdout,
moved to another descriptor before anything can print).

Commands::

    {"op": "synth", "token": 7, "ssml": "<speak>…</speak>", "rate": 191, "volume": 100, "pitch": 50}
    {"op": "cancel"}

Events::

    {"ev": "ready"}
    {"ev": "start" | "mark" | "done" | "error", "token": 7, "index": 3}

Commands are handled in order on the main thread and ``espeak_Synth`` only
queues text in playback mode, so a ``cancel`` is never stuck behind speech.
"""

from __future__ import annotations

import json
import os
import sys
import threading


def _private_event_pipe():
    """Move stdout to a new descriptor for events; point fds 1 and 2 at /dev/null."""
    events_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    return os.fdopen(events_fd, "w", buffering=1, encoding="utf-8")


def main() -> int:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the parent, which stops us
    out = _private_event_pipe()
    lock = threading.Lock()

    def emit(**event: object) -> None:
        line = json.dumps(event) + "\n"
        with lock:
            try:
                out.write(line)
                out.flush()
            except (OSError, ValueError):
                pass

    from reader.speech.drivers import _libespeak as L

    try:
        dll = L.initialize(L.AUDIO_OUTPUT_PLAYBACK)
    except L.LibraryMissing as exc:
        emit(ev="fatal", message=str(exc))
        return 1

    started: set[int] = set()

    def on_engine(wav, numsamples, items) -> bool:
        for etype, token, _pos, _audio, _sample, name in items:
            if token == 0:
                continue  # the warm-up
            if etype in (L.EVENT_SENTENCE, L.EVENT_WORD, L.EVENT_MARK) and token not in started:
                started.add(token)
                emit(ev="start", token=token, index=0)
            if etype == L.EVENT_MARK and name is not None:
                try:
                    emit(ev="mark", token=token, index=int(name))
                except ValueError:
                    pass
            elif etype == L.EVENT_MSG_TERMINATED:
                started.discard(token)
                emit(ev="done", token=token, index=0)
        return False

    receiver = L.register(on_engine)
    flags = L.CHARS_UTF8 | L.SSML | L.ENDPAUSE

    # Open the sound stream now: the first connection to the sound server costs
    # up to a second and the user's first key press must not pay it.
    warm = b'<speak><break time="10ms"/></speak>'
    dll.espeak_Synth(warm, len(warm) + 1, 0, L.POS_CHARACTER, 0, L.CHARS_UTF8 | L.SSML, None,
                     L.user_data(receiver, 0))  # fmt: skip
    emit(ev="ready")
    for line in sys.stdin:
        try:
            cmd = json.loads(line)
        except ValueError:
            continue
        op = cmd.get("op")
        if op == "cancel":
            dll.espeak_Cancel()
            started.clear()
        elif op == "synth":
            token = int(cmd["token"])
            dll.espeak_SetParameter(L.RATE, int(cmd.get("rate", 175)), 0)
            dll.espeak_SetParameter(L.VOLUME, int(cmd.get("volume", 100)), 0)
            dll.espeak_SetParameter(L.PITCH, int(cmd.get("pitch", 50)), 0)
            data = str(cmd["ssml"]).encode("utf-8")
            status = dll.espeak_Synth(data, len(data) + 1, 0, L.POS_CHARACTER, 0, flags, None,
                                      L.user_data(receiver, token))  # fmt: skip
            if status != L.EE_OK:
                emit(
                    ev="error",
                    token=token,
                    index=0,
                    message=f"espeak-ng refused the text (status {status})",
                )
        elif op == "quit":
            break
    dll.espeak_Cancel()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
