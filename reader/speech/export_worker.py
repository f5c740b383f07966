"""The child process that renders speech to samples for :mod:`reader.speech.export`.

libespeak-ng is a per-process singleton and the app's own process may be
using it in playback mode, so synthesis to a buffer (``AUDIO_OUTPUT_SYNCHRONOUS``)
happens here.  Input on stdin: one JSON object ``{"pcm": path, "utterances":
[{"ssml": …, "rate": …, "volume": …, "pitch": …, "silence_before_ms": …}]}``.
Output on a private pipe (stdout moved aside, fds 1 and 2 to /dev/null): one
JSON line per utterance ``{"index": i, "start": first_sample, "end": end_sample}``
then ``{"done": true, "rate": 22050, "samples": n}``.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the parent, which stops us
    events_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    out = os.fdopen(events_fd, "w", buffering=1, encoding="utf-8")

    from reader.speech.drivers import _libespeak as L

    job = json.loads(sys.stdin.read())
    try:
        dll = L.initialize(L.AUDIO_OUTPUT_SYNCHRONOUS)
    except L.LibraryMissing as exc:
        out.write(json.dumps({"error": str(exc)}) + "\n")
        return 1
    rate = L.sample_rate()
    written = 0
    with open(job["pcm"], "wb") as pcm:

        def receive(wav, numsamples, items) -> bool:
            nonlocal written
            if wav is not None and numsamples > 0:
                pcm.write(
                    bytes(
                        memoryview((wav._type_ * numsamples).from_address(_address(wav))).cast("B")
                    )
                )
                written += numsamples
            return False

        receiver = L.register(receive)
        L._current_sync = receive
        flags = L.CHARS_UTF8 | L.SSML | L.ENDPAUSE
        for index, utt in enumerate(job["utterances"]):
            silence = int(rate * utt.get("silence_before_ms", 0) / 1000)
            if silence:
                pcm.write(b"\0\0" * silence)
                written += silence
            start = written
            dll.espeak_SetParameter(L.RATE, int(utt.get("rate", 175)), 0)
            dll.espeak_SetParameter(L.VOLUME, int(utt.get("volume", 100)), 0)
            dll.espeak_SetParameter(L.PITCH, int(utt.get("pitch", 50)), 0)
            data = utt["ssml"].encode("utf-8")
            status = dll.espeak_Synth(data, len(data) + 1, 0, L.POS_CHARACTER, 0, flags, None,
                                      L.user_data(receiver, index + 1))  # fmt: skip
            if status != L.EE_OK:
                out.write(
                    json.dumps(
                        {"error": f"espeak-ng refused utterance {index + 1} (status {status})"}
                    )
                    + "\n"
                )
                return 1
            dll.espeak_Synchronize()
            out.write(json.dumps({"index": index, "start": start, "end": written}) + "\n")
    out.write(json.dumps({"done": True, "rate": rate, "samples": written}) + "\n")
    out.flush()
    return 0


def _address(pointer) -> int:
    import ctypes

    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


if __name__ == "__main__":
    raise SystemExit(main())
