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

    {"ev": "ready", "output": "pulse"}
    {"ev": "start" | "mark" | "done" | "error", "token": 7, "index": 3}

Two ways to make sound:

``pulse`` (preferred)
    libespeak-ng renders in synchronous mode on our own thread and we play
    the samples on a low-latency PulseAudio stream (:mod:`._pulse`).  Each
    event's sample position is known, and so is the stream's latency, so an
    index mark fires when its sample is heard; ``cancel`` flushes the stream.
    This also avoids espeak-ng 1.51's own playback threads, which sometimes
    never start (the first utterance then hangs forever, espeak-ng #996).
``espeak``
    libespeak-ng's playback mode (pcaudiolib → PulseAudio or ALSA), for
    machines without a PulseAudio-compatible server.
"""

from __future__ import annotations

import array
import ctypes
import heapq
import itertools
import json
import os
import queue
import sys
import threading
import time


def _private_event_pipe():
    """Move stdout to a new descriptor for events; point fds 1 and 2 at /dev/null."""
    events_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    return os.fdopen(events_fd, "w", buffering=1, encoding="utf-8")


#: |sample| above this (-50 dBFS) is the start of speech, not the engine's leading silence
ONSET_LEVEL = 100


class Emitter:
    def __init__(self, out) -> None:
        self.out = out
        self.lock = threading.Lock()

    def __call__(self, **event: object) -> None:
        line = json.dumps(event) + "\n"
        with self.lock:
            try:
                self.out.write(line)
                self.out.flush()
            except (OSError, ValueError):
                pass


class Scheduler:
    """Emits events at the moment their sample is heard; ``clear`` forgets them all."""

    def __init__(self, emit: Emitter) -> None:
        self.emit = emit
        self.heap: list[tuple[float, int, int, str, int, int]] = []
        self.cond = threading.Condition()
        self.seq = itertools.count()
        self.generation = 0
        threading.Thread(target=self._run, name="events", daemon=True).start()

    def at(self, when: float, generation: int, kind: str, token: int, index: int = 0) -> None:
        with self.cond:
            heapq.heappush(self.heap, (when, next(self.seq), generation, kind, token, index))
            self.cond.notify()

    def clear(self, generation: int) -> None:
        with self.cond:
            self.heap.clear()
            self.generation = generation
            self.cond.notify()

    def _run(self) -> None:
        while True:
            with self.cond:
                while not self.heap:
                    self.cond.wait()
                when, _seq, generation, kind, token, index = self.heap[0]
                delay = when - time.monotonic()
                if delay > 0:
                    self.cond.wait(delay)
                    continue
                heapq.heappop(self.heap)
                if generation != self.generation:
                    continue
            self.emit(ev=kind, token=token, index=index)


class PulseBackend:
    """Synchronous synthesis on a worker thread, played on our own PulseAudio stream."""

    CHUNK_MS = 20

    def __init__(self, emit: Emitter) -> None:
        from reader.speech.drivers import _libespeak as L
        from reader.speech.drivers._pulse import PulseStream

        self.L = L
        self.emit = emit
        self.dll = L.initialize(L.AUDIO_OUTPUT_SYNCHRONOUS)
        self.rate = L.sample_rate()
        self.stream = PulseStream(self.rate)
        self.stream.write(b"\0\0" * (self.rate // 100))  # open the way: connection and sink resumed
        # After a flush, PulseAudio sometimes plays the next data only 130-330 ms
        # later (measured on the null sink), so a cancel moves to a fresh stream
        # opened in advance; the old one is freed by the synthesis thread once
        # it is no longer writing to it.
        self.out = self.stream  # the stream the synthesis thread writes to
        self.discard = False
        self.spare: PulseStream | None = None
        self.retired: list = []
        self._open_spare()
        self.scheduler = Scheduler(emit)
        self.generation = 0
        self.lock = threading.Lock()
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.written = 0  # samples rendered so far (a clock for event positions)
        self.current: tuple[int, int] | None = None  # (generation, token) being rendered
        self.base = 0
        self.pending: list[tuple[int, str, int]] = []
        self.onset: int | None = None  # first audible sample of the utterance being rendered
        self.clock_sample: int | None = None  # the play clock: this sample is heard ...
        self.clock_time = 0.0  # ... at this time.monotonic()
        self.receiver = L.register(self._on_samples)
        L._current_sync = self._on_samples
        self._warm_voices()
        threading.Thread(target=self._run, name="synth", daemon=True).start()

    def _warm_voices(self) -> None:
        """Load the voices' dictionaries now (the first Mandarin text costs ~120 ms)."""
        self.discard = True  # samples of this run are dropped
        warm = b'<speak><voice name="cmn-latn-pinyin">a1</voice><voice name="en">a</voice></speak>'
        self.dll.espeak_Synth(warm, len(warm) + 1, 0, self.L.POS_CHARACTER, 0, self.L.CHARS_UTF8 | self.L.SSML,
                              None, self.L.user_data(self.receiver, 0))  # fmt: skip
        self.discard = False

    def _open_spare(self) -> None:
        def run() -> None:
            from reader.speech.drivers._pulse import PulseStream, PulseUnavailable

            try:
                stream = PulseStream(self.rate)
            except PulseUnavailable:
                return
            with self.lock:
                if self.spare is None:
                    self.spare = stream
                    return
            stream.close()

        threading.Thread(target=run, name="spare-stream", daemon=True).start()

    # -------------------------------------------------------------- commands

    def synth(self, cmd: dict) -> None:
        with self.lock:
            self.jobs.put((self.generation, cmd))

    def cancel(self) -> None:
        with self.lock:
            self.generation += 1
            generation = self.generation
            while True:
                try:
                    self.jobs.get_nowait()
                except queue.Empty:
                    break
            old = self.stream
            if self.spare is not None:
                self.stream, self.spare = self.spare, None
                switched = True
            else:
                switched = False
        self.scheduler.clear(generation)
        old.flush()
        self.clock_sample = None  # nothing queued any more: anchor at the next write
        if switched:
            # Retired only after the flush: the synthesis thread frees retired
            # streams, and must not free this one while it is being flushed here.
            with self.lock:
                self.retired.append(old)
            self._open_spare()

    # -------------------------------------------------------------- synthesis thread

    def _heard_at(self, sample: int) -> float:
        """When ``sample`` reaches the listener, from the play clock.

        PulseAudio's latency report lags behind recent writes (its timing
        info is refreshed, then interpolated), so the clock is anchored only
        when the stream is empty — the sample written then is heard after the
        reported latency — and runs at the sample rate from there.
        """
        if self.clock_sample is None:
            return time.monotonic()
        return self.clock_time + (sample - self.clock_sample) / self.rate

    def _anchor(self) -> None:
        now = time.monotonic()
        if self.clock_sample is None or self._heard_at(self.written) < now:
            self.clock_sample = self.written
            self.clock_time = now + self.out.latency()

    def _on_samples(self, wav, numsamples, items) -> bool:
        if self.discard:
            return False
        generation, token = self.current or (-1, 0)
        if generation != self.generation:
            return True  # cancelled: abort synthesis
        L = self.L
        for etype, _tok, _pos, _audio, sample, name in items:
            if etype == L.EVENT_MARK and name is not None:
                try:
                    self.pending.append((self.base + sample, "mark", int(name)))
                except ValueError:
                    pass
        if wav is not None and numsamples > 0:
            data = ctypes.string_at(wav, numsamples * 2)
            if self.onset is None:
                self._find_onset(data)
            step = self.rate * self.CHUNK_MS // 1000 * 2
            for i in range(0, len(data), step):
                chunk = data[i : i + step]
                self._anchor()
                self.out.write(chunk)
                if generation != self.generation:
                    self.out.flush()  # drop what we wrote after the cancel's flush
                    return True
                self.written += len(chunk) // 2
                self._schedule_due(generation, token)
        return False

    def _find_onset(self, data: bytes) -> None:
        """Pin the start and the first mark to the first audible sample.

        An utterance's output may begin with the previous sentence's pause
        (espeak-ng emits a clause's end pause at the start of the next
        synthesis), while its first index mark says sample 0; the listener
        hears the first word only when the sound starts.
        """
        samples = array.array("h", data)
        if sys.byteorder == "big":
            samples.byteswap()
        for i, value in enumerate(samples):
            if value > ONSET_LEVEL or value < -ONSET_LEVEL:
                self.onset = self.written + i
                break
        else:
            return
        self.pending = [
            (max(sample, self.onset), kind, index) for sample, kind, index in self.pending
        ]

    def _schedule_due(self, generation: int, token: int) -> None:
        if not self.pending or self.onset is None:
            return
        due = [p for p in self.pending if p[0] <= self.written]
        if not due:
            return
        self.pending = [p for p in self.pending if p[0] > self.written]
        for sample, kind, index in due:
            self.scheduler.at(self._heard_at(sample), generation, kind, token, index)

    def _run(self) -> None:
        L = self.L
        flags = L.CHARS_UTF8 | L.SSML | L.ENDPAUSE
        while True:
            generation, cmd = self.jobs.get()
            with self.lock:
                retired, self.retired = self.retired, []
            for stream in retired:  # no longer written to: free them here, on this thread
                stream.close()
            if generation != self.generation:
                continue
            if self.out is not self.stream:
                self.out = self.stream
                self.clock_sample = None  # a fresh stream: anchor again
            token = int(cmd["token"])
            self.current = (generation, token)
            self.base = self.written
            self.onset = None
            self.pending = [(self.base, "start", 0)]
            self.dll.espeak_SetParameter(L.RATE, int(cmd.get("rate", 175)), 0)
            self.dll.espeak_SetParameter(L.VOLUME, int(cmd.get("volume", 100)), 0)
            self.dll.espeak_SetParameter(L.PITCH, int(cmd.get("pitch", 50)), 0)
            data = str(cmd["ssml"]).encode("utf-8")
            try:
                status = self.dll.espeak_Synth(data, len(data) + 1, 0, L.POS_CHARACTER, 0, flags, None,
                                               L.user_data(self.receiver, token))  # fmt: skip
            except Exception as exc:  # the sound server went away
                self.emit(ev="error", token=token, index=0, message=f"sound output failed: {exc}")
                continue
            if generation != self.generation:
                continue
            if status != L.EE_OK:
                self.emit(
                    ev="error",
                    token=token,
                    index=0,
                    message=f"espeak-ng refused the text (status {status})",
                )
                continue
            for sample, kind, index in self.pending:  # marks after the last sample, if any
                self.scheduler.at(
                    self._heard_at(min(sample, self.written)),
                    generation,
                    kind,
                    token,
                    index,
                )
            self.pending = []
            self.scheduler.at(self._heard_at(self.written), generation, "done", token)


class EspeakPlaybackBackend:
    """libespeak-ng's own playback (pcaudiolib): for machines without PulseAudio."""

    def __init__(self, emit: Emitter) -> None:
        from reader.speech.drivers import _libespeak as L

        self.L = L
        self.emit = emit
        self.dll = L.initialize(L.AUDIO_OUTPUT_PLAYBACK)
        self.started: set[int] = set()
        self.receiver = L.register(self._on_engine)

    def _on_engine(self, wav, numsamples, items) -> bool:
        L = self.L
        for etype, token, _pos, _audio, _sample, name in items:
            if token == 0:
                continue
            if (
                etype in (L.EVENT_SENTENCE, L.EVENT_WORD, L.EVENT_MARK)
                and token not in self.started
            ):
                self.started.add(token)
                self.emit(ev="start", token=token, index=0)
            if etype == L.EVENT_MARK and name is not None:
                try:
                    self.emit(ev="mark", token=token, index=int(name))
                except ValueError:
                    pass
            elif etype == L.EVENT_MSG_TERMINATED:
                self.started.discard(token)
                self.emit(ev="done", token=token, index=0)
        return False

    def synth(self, cmd: dict) -> None:
        L = self.L
        token = int(cmd["token"])
        self.dll.espeak_SetParameter(L.RATE, int(cmd.get("rate", 175)), 0)
        self.dll.espeak_SetParameter(L.VOLUME, int(cmd.get("volume", 100)), 0)
        self.dll.espeak_SetParameter(L.PITCH, int(cmd.get("pitch", 50)), 0)
        data = str(cmd["ssml"]).encode("utf-8")
        status = self.dll.espeak_Synth(data, len(data) + 1, 0, L.POS_CHARACTER, 0,
                                       L.CHARS_UTF8 | L.SSML | L.ENDPAUSE, None,
                                       L.user_data(self.receiver, token))  # fmt: skip
        if status != L.EE_OK:
            self.emit(
                ev="error",
                token=token,
                index=0,
                message=f"espeak-ng refused the text (status {status})",
            )

    def cancel(self) -> None:
        self.dll.espeak_Cancel()
        self.started.clear()


def main() -> int:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the parent, which stops us
    try:
        os.nice(-5)  # speech is what the user is waiting for; allowed only where permitted
    except (OSError, AttributeError):
        pass
    emit = Emitter(_private_event_pipe())

    from reader.speech.drivers import _libespeak as L
    from reader.speech.drivers._pulse import PulseUnavailable

    backend: PulseBackend | EspeakPlaybackBackend
    try:
        if os.environ.get("READER_ESPEAK_OUTPUT") == "espeak":
            raise PulseUnavailable("espeak playback requested")
        backend = PulseBackend(emit)
        output = "pulse"
    except PulseUnavailable:
        try:
            backend = EspeakPlaybackBackend(emit)
        except L.LibraryMissing as exc:
            emit(ev="fatal", message=str(exc))
            return 1
        output = "espeak"
    except L.LibraryMissing as exc:
        emit(ev="fatal", message=str(exc))
        return 1
    emit(ev="ready", output=output)
    for line in sys.stdin:
        try:
            cmd = json.loads(line)
        except ValueError:
            continue
        op = cmd.get("op")
        if op == "cancel":
            backend.cancel()
        elif op == "synth":
            backend.synth(cmd)
        elif op == "quit":
            break
    backend.cancel()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
