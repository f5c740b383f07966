"""A small ctypes binding to libespeak-ng: only what reader uses.

One process has one espeak-ng engine (the library is a singleton), so this
module owns it: it initialises the library once, in playback mode (espeak-ng
plays through pcaudiolib → PulseAudio or ALSA, with events timed to the
audio) or in synchronous mode (samples handed back, for export), and routes
every callback to whoever submitted the text, by the id passed as user data.

ALSA's error messages (printed straight onto stderr when there is no sound
card) are silenced with ``snd_lib_error_set_handler``: nothing an engine says
may land on the app's screen.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Callable

EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
EVENT_SENTENCE = 2
EVENT_MARK = 3
EVENT_PLAY = 4
EVENT_END = 5
EVENT_MSG_TERMINATED = 6
EVENT_SAMPLERATE = 8

AUDIO_OUTPUT_PLAYBACK = 0
AUDIO_OUTPUT_RETRIEVAL = 1
AUDIO_OUTPUT_SYNCHRONOUS = 2

CHARS_UTF8 = 1
SSML = 0x10
ENDPAUSE = 0x1000

POS_CHARACTER = 1

RATE = 1
VOLUME = 2
PITCH = 3

EE_OK = 0


class _IdUnion(ctypes.Union):
    _fields_ = (("number", ctypes.c_int), ("name", ctypes.c_char_p))


class EVENT(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _IdUnion),
    )


class VOICE(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(EVENT)
)
_ALSA_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)

#: (wav samples or None, events) -> True to abort synthesis
Callback = Callable[
    [ctypes.Array | None, int, list[tuple[int, int, int, int, int, bytes | None]]], bool
]


class LibraryMissing(Exception):
    pass


_lock = threading.RLock()
_dll: ctypes.CDLL | None = None
_mode: int | None = None
_sample_rate = 22050
_callback_ref = None
_alsa_ref = None
_routes: dict[int, Callback] = {}  # receiver id -> receiver
#: user data = receiver id << TOKEN_BITS | the receiver's own token
TOKEN_BITS = 40
TOKEN_MASK = (1 << TOKEN_BITS) - 1
_next_id = 1


def _load() -> ctypes.CDLL:
    global _dll
    if _dll is not None:
        return _dll
    names = ["libespeak-ng.so.1", ctypes.util.find_library("espeak-ng"), "libespeak-ng.1.dylib",
             "/opt/homebrew/lib/libespeak-ng.1.dylib", "/usr/local/lib/libespeak-ng.1.dylib",
             r"C:\Program Files\eSpeak NG\libespeak-ng.dll"]  # fmt: skip
    for name in names:
        if not name:
            continue
        try:
            dll = ctypes.CDLL(name)
        except OSError:
            continue
        dll.espeak_Initialize.restype = ctypes.c_int
        dll.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
        dll.espeak_SetSynthCallback.argtypes = (SYNTH_CALLBACK,)
        dll.espeak_SetSynthCallback.restype = None
        dll.espeak_Synth.restype = ctypes.c_int
        dll.espeak_Synth.argtypes = (
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
        )  # fmt: skip
        dll.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        dll.espeak_SetVoiceByName.restype = ctypes.c_int
        dll.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        dll.espeak_SetParameter.restype = ctypes.c_int
        dll.espeak_Cancel.restype = ctypes.c_int
        dll.espeak_Synchronize.restype = ctypes.c_int
        dll.espeak_IsPlaying.restype = ctypes.c_int
        dll.espeak_ListVoices.argtypes = (ctypes.c_void_p,)
        dll.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(VOICE))
        dll.espeak_ng_InitializeOutput.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p)
        dll.espeak_ng_InitializeOutput.restype = ctypes.c_int
        _dll = dll
        return dll
    raise LibraryMissing("espeak-ng not found")


def _silence_alsa() -> None:
    global _alsa_ref
    if _alsa_ref is not None:
        return
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        asound = ctypes.CDLL(name)
    except OSError:
        return
    _alsa_ref = _ALSA_HANDLER(lambda *args: None)
    try:
        asound.snd_lib_error_set_handler(_alsa_ref)
    except AttributeError:
        pass


def _on_synth(wav, numsamples, events) -> int:
    items: list[tuple[int, int, int, int, int, bytes | None]] = []
    route = None
    i = 0
    while True:
        ev = events[i]
        if ev.type == EVENT_LIST_TERMINATED:
            break
        user = ev.user_data or 0
        name = ev.id.name if ev.type == EVENT_MARK else None
        items.append(
            (ev.type, user & TOKEN_MASK, ev.text_position, ev.audio_position, ev.sample, name)
        )
        if route is None:
            route = _routes.get(user >> TOKEN_BITS)
        i += 1
    if route is None and wav and numsamples:
        route = _current_sync
    if route is None:
        return 0
    try:
        return 1 if route(wav if wav else None, numsamples, items) else 0
    except Exception:  # never let an exception unwind into C
        return 0


_current_sync: Callback | None = None


def initialize(mode: int) -> ctypes.CDLL:
    """The library, initialised (once) or switched to ``mode``."""
    global _mode, _sample_rate, _callback_ref
    with _lock:
        dll = _load()
        if _mode is None:
            _silence_alsa()
            rate = dll.espeak_Initialize(
                mode, 60 if mode == AUDIO_OUTPUT_PLAYBACK else 200, None, 0
            )
            if rate <= 0:
                raise LibraryMissing("espeak-ng could not start (no espeak-ng-data?)")
            _sample_rate = rate
            _callback_ref = SYNTH_CALLBACK(_on_synth)
            dll.espeak_SetSynthCallback(_callback_ref)
            _mode = mode
        elif _mode != mode:
            dll.espeak_Cancel()
            status = dll.espeak_ng_InitializeOutput(
                mode, 60 if mode == AUDIO_OUTPUT_PLAYBACK else 200, None
            )
            if status != EE_OK:
                raise LibraryMissing(f"espeak-ng could not switch output mode (status {status})")
            _mode = mode
        return dll


def sample_rate() -> int:
    return _sample_rate


def user_data(receiver: int, token: int) -> ctypes.c_void_p:
    """The user data that routes a Synth's events to ``receiver`` with ``token``."""
    return ctypes.c_void_p((receiver << TOKEN_BITS) | (token & TOKEN_MASK))


def register(receiver: Callback) -> int:
    """An id for ``receiver``; events of Synth calls made with :func:`user_data` reach it."""
    global _next_id
    with _lock:
        uid = _next_id
        _next_id += 1
        _routes[uid] = receiver
        return uid


def unregister(uid: int) -> None:
    with _lock:
        _routes.pop(uid, None)


_voices: list[tuple[str, str, str]] | None = None


def voices() -> list[tuple[str, str, str]]:
    """Installed voices as ``(identifier, name, language)``.

    Listed once per process, and through the ``espeak-ng --voices`` command
    when it is installed: ``espeak_ListVoices`` rescans the voice files, and
    when it races the synthesis thread (which rescans them for SSML
    ``<voice>``) espeak-ng 1.51 overflows its list and prints warnings onto
    the terminal.
    """
    global _voices
    with _lock:
        if _voices is None:
            _voices = _voices_from_command()
            if _voices is None:
                _voices = _list_voices()
        return list(_voices)


def _voices_from_command() -> list[tuple[str, str, str]] | None:
    import shutil
    import subprocess

    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "--voices"], capture_output=True, text=True, timeout=10, check=False,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = []
    for line in done.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5:
            # Pty Language Age/Gender VoiceName File [Other Languages]
            out.append((parts[4], parts[3], parts[1]))
    return out or None


def _list_voices() -> list[tuple[str, str, str]]:
    dll = initialize(_mode if _mode is not None else AUDIO_OUTPUT_SYNCHRONOUS)
    out = []
    arr = dll.espeak_ListVoices(None)
    i = 0
    while arr and arr[i]:
        v = arr[i].contents
        langs = v.languages or b""
        # languages: a priority byte then a NUL-terminated name, repeated; keep the first
        lang = langs[1:].split(b"\0")[0].decode("utf-8", "replace") if langs else ""
        out.append(((v.identifier or b"").decode(), (v.name or b"").decode(), lang))
        i += 1
    return out
