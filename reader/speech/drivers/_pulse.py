"""A minimal ctypes binding to libpulse-simple: one playback stream with low latency.

Used by the espeak helper to play the samples libespeak-ng renders in
synchronous mode.  Owning the stream (instead of letting libespeak-ng play
through pcaudiolib) gives reader what a screen reader needs: ``flush`` drops
buffered audio at once, the latency is known so index marks fire when their
sample is *heard*, and none of espeak-ng 1.51's playback threads — which now
and then hang forever on start (espeak-ng issue #996) — are involved.
"""

from __future__ import annotations

import ctypes
import ctypes.util

PA_STREAM_PLAYBACK = 1
PA_SAMPLE_S16LE = 3


class SampleSpec(ctypes.Structure):
    _fields_ = (("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8))


class BufferAttr(ctypes.Structure):
    _fields_ = (
        ("maxlength", ctypes.c_uint32),
        ("tlength", ctypes.c_uint32),
        ("prebuf", ctypes.c_uint32),
        ("minreq", ctypes.c_uint32),
        ("fragsize", ctypes.c_uint32),
    )


class PulseUnavailable(Exception):
    pass


_lib = None


def _load():
    global _lib
    if _lib is not None:
        return _lib
    name = ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise PulseUnavailable(f"libpulse-simple not found ({exc})") from None
    lib.pa_simple_new.restype = ctypes.c_void_p
    lib.pa_simple_new.argtypes = (
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p,
        ctypes.POINTER(SampleSpec), ctypes.c_void_p, ctypes.POINTER(BufferAttr),
        ctypes.POINTER(ctypes.c_int),
    )  # fmt: skip
    lib.pa_simple_write.argtypes = (
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.POINTER(ctypes.c_int),
    )
    lib.pa_simple_write.restype = ctypes.c_int
    lib.pa_simple_flush.argtypes = (ctypes.c_void_p, ctypes.POINTER(ctypes.c_int))
    lib.pa_simple_flush.restype = ctypes.c_int
    lib.pa_simple_drain.argtypes = (ctypes.c_void_p, ctypes.POINTER(ctypes.c_int))
    lib.pa_simple_drain.restype = ctypes.c_int
    lib.pa_simple_get_latency.argtypes = (ctypes.c_void_p, ctypes.POINTER(ctypes.c_int))
    lib.pa_simple_get_latency.restype = ctypes.c_uint64
    lib.pa_simple_free.argtypes = (ctypes.c_void_p,)
    lib.pa_simple_free.restype = None
    _lib = lib
    return lib


class PulseStream:
    """A mono 16-bit playback stream; methods may be called from two threads
    (libpulse-simple takes its main loop's lock in every call)."""

    def __init__(self, rate: int, *, target_ms: int = 250, app: str = "reader") -> None:
        lib = _load()
        spec = SampleSpec(PA_SAMPLE_S16LE, rate, 1)
        bytes_per_ms = rate * 2 // 1000
        none = 0xFFFFFFFF
        # prebuf of one 10 ms fragment: playback starts as soon as speech is
        # written; a 250 ms target buffer rides out a busy machine without a
        # gap (stop does not wait for it: the stream is flushed and replaced)
        attr = BufferAttr(
            none, target_ms * bytes_per_ms, 10 * bytes_per_ms, 10 * bytes_per_ms, none
        )
        error = ctypes.c_int(0)
        handle = lib.pa_simple_new(None, app.encode(), PA_STREAM_PLAYBACK, None, b"speech",
                                   ctypes.byref(spec), None, ctypes.byref(attr), ctypes.byref(error))  # fmt: skip
        if not handle:
            raise PulseUnavailable(f"cannot connect to the sound server (error {error.value})")
        self._lib = lib
        self._handle = handle
        self.rate = rate

    def write(self, data: bytes) -> None:
        error = ctypes.c_int(0)
        if self._lib.pa_simple_write(self._handle, data, len(data), ctypes.byref(error)) < 0:
            raise PulseUnavailable(f"sound server write failed (error {error.value})")

    def latency(self) -> float:
        """Seconds until a sample written now is heard."""
        error = ctypes.c_int(0)
        usec = self._lib.pa_simple_get_latency(self._handle, ctypes.byref(error))
        return usec / 1e6 if usec != 0xFFFFFFFFFFFFFFFF else 0.0

    def flush(self) -> None:
        error = ctypes.c_int(0)
        self._lib.pa_simple_flush(self._handle, ctypes.byref(error))

    def drain(self) -> None:
        error = ctypes.c_int(0)
        self._lib.pa_simple_drain(self._handle, ctypes.byref(error))

    def close(self) -> None:
        if self._handle:
            self._lib.pa_simple_free(self._handle)
            self._handle = None
