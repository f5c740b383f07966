"""A driver that speaks nothing but keeps speech's timing and events.

For tests and for machines with no engine or no sound device: the reader
still moves through the article at the pace of a voice, word events arrive
when a voice would reach each word, and ``cancel`` takes effect at once.
Durations are ``spoken characters × ms_per_char`` scaled by rate (rate 30,
the default, is the unscaled figure, close to espeak-ng's pace for pinyin).
"""

from __future__ import annotations

import threading
import time
from collections import deque

from reader.speech.drivers import Driver
from reader.speech.plan import Utterance, render_plain
from reader.speech.settings import VoiceSettings


def rate_factor(rate: int) -> float:
    """Speed relative to rate 30 (espeak-ng: 80 + 3.7 × rate words per minute)."""
    return (80 + 3.7 * rate) / (80 + 3.7 * 30)


class SilentDriver(Driver):
    name = "silent"
    audible = False

    def __init__(self, ms_per_char: float = 60.0, pause_scale: float = 1.0) -> None:
        super().__init__()
        self.ms_per_char = ms_per_char
        self.pause_scale = pause_scale
        self._queue: deque[tuple[Utterance, int, VoiceSettings]] = deque()
        self._cond = threading.Condition()
        self._epoch = 0  # bumped by cancel(); a sleeping utterance wakes and gives up
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="reader-silent-speech", daemon=True)
        self._thread.start()

    def render(self, utterance: Utterance, settings: VoiceSettings) -> str:
        return render_plain(utterance, settings)

    def submit(self, utterance: Utterance, token: int, settings: VoiceSettings) -> None:
        with self._cond:
            self._queue.append((utterance, token, settings))
            self._cond.notify_all()

    def cancel(self) -> None:
        with self._cond:
            self._queue.clear()
            self._epoch += 1
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._epoch += 1
            self._cond.notify_all()
        self._thread.join(timeout=1)

    def voices(self) -> list[tuple[str, str]]:
        return [("silent", "no sound; keeps the timing of speech")]

    # ------------------------------------------------------------------ worker

    def _sleep(self, seconds: float, epoch: int) -> bool:
        """Wait; False if cancelled meanwhile."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while self._epoch == epoch and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return True
                self._cond.wait(left)
            return False

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                utterance, token, settings = self._queue.popleft()
                epoch = self._epoch
            per_char = self.ms_per_char / 1000 / rate_factor(settings.rate)
            self.on_event("start", token, 0)
            index = 0
            ok = True
            for seg in utterance.segments:
                if seg.kind == "pause":
                    ok = self._sleep(seg.pause_ms / 1000 * self.pause_scale, epoch)
                else:
                    for word in seg.words:
                        with self._cond:
                            if self._epoch != epoch:
                                ok = False
                                break
                        self.on_event("mark", token, index)
                        index += 1
                        ok = self._sleep((len(word.engine) + 1) * per_char, epoch)
                        if not ok:
                            break
                if not ok:
                    break
            if ok:
                self.on_event("done", token, 0)
