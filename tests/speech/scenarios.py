"""Speech scenarios run in a child process, for the real-sound tests.

Each scenario uses the real espeak-ng driver (``PULSE_SERVER`` points at the
test's private PulseAudio server) and prints one JSON object: the
``time.monotonic()`` of every call and event.  ``CLOCK_MONOTONIC`` is shared
by all processes, so the test compares these times with the sound its own
recorder captured.  A child process keeps libespeak-ng (a per-process
singleton) away from the test runner and from other tests.

Run as ``python -m tests.speech.scenarios NAME``.
"""

from __future__ import annotations

import json
import sys
import threading
import time

from reader.speech.events import AllDone, WordProgress
from reader.speech.manager import SpeechManager

LONG = (
    "阿里巴巴发布年度助残行动报告，支持数十万残疾人创业就业。"
    "报告显示，过去一年，平台上的残疾人商家数量持续增长。"
    "他们在电商、客服和设计等领域找到了工作。"
)
SENTENCES = "银行开门了。行长来了。我们走吧。今天很好。"


class Recorder:
    def __init__(self) -> None:
        self.events: list[dict] = []
        self.cond = threading.Condition()

    def __call__(self, event) -> None:
        with self.cond:
            record = {"t": time.monotonic(), "type": type(event).__name__}
            for key in ("start", "end", "text", "request"):
                if hasattr(event, key):
                    record[key] = getattr(event, key)
            self.events.append(record)
            self.cond.notify_all()

    def wait(self, kind: str, timeout: float = 20.0, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while sum(e["type"] == kind for e in self.events) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SystemExit(f"timed out waiting for {kind}: {self.events}")
                self.cond.wait(left)


def manager() -> tuple[SpeechManager, Recorder]:
    mgr = SpeechManager.create(None, driver="espeak")
    rec = Recorder()
    mgr.add_listener(rec)
    time.sleep(2.5)  # the warm-up (tables loaded, sound stream open) is over
    return mgr, rec


def scenario_speech() -> dict:
    mgr, rec = manager()
    t_call = time.monotonic()
    mgr.say(SENTENCES)
    rec.wait("AllDone")
    mgr.close()
    return {"t_call": t_call, "events": rec.events}


def scenario_stop() -> dict:
    mgr, rec = manager()
    t_call = time.monotonic()
    mgr.say(LONG)
    rec.wait("WordProgress", count=3)
    time.sleep(0.3)
    t_stop = time.monotonic()
    mgr.stop()
    t_returned = time.monotonic()
    n = len(rec.events)
    time.sleep(1.5)
    late = rec.events[n:]
    mgr.close()
    return {"t_call": t_call, "t_stop": t_stop, "t_returned": t_returned, "late": late,
            "events": rec.events}  # fmt: skip


def scenario_continuous() -> dict:
    """Say-all through the manager, then the same utterances straight into libespeak-ng."""
    from reader.library.article import Article
    from reader.speech.drivers import _libespeak as L
    from reader.speech.drivers.espeak import espeak_rate, render_ssml
    from reader.text.units import Document

    article = Article.from_parts([("paragraph", 0, SENTENCES)])
    doc = Document.from_article(article)
    mgr, rec = manager()
    t_manager = time.monotonic()
    mgr.read_all(doc, 0)
    rec.wait("AllDone")
    t_manager_end = time.monotonic()
    time.sleep(0.8)
    # the reference: every utterance queued in espeak-ng at once (no manager in between)
    done = threading.Event()
    dll = L.initialize(L.AUDIO_OUTPUT_PLAYBACK)
    uid = L.register(
        lambda wav, n, items: (
            any(it[0] == L.EVENT_MSG_TERMINATED and it[1] == 99 for it in items) and done.set()
        )
    )
    s = mgr.settings
    utts = mgr.plan(SENTENCES)
    t_raw = time.monotonic()
    for k, utt in enumerate(utts):
        dll.espeak_SetParameter(L.RATE, espeak_rate(s.rate), 0)
        data = render_ssml(utt, s).encode()
        token = 99 if k == len(utts) - 1 else k + 1
        dll.espeak_Synth(
            data,
            len(data) + 1,
            0,
            1,
            0,
            L.CHARS_UTF8 | L.SSML | L.ENDPAUSE,
            None,
            L.user_data(uid, token),
        )
    done.wait(20)
    t_raw_end = time.monotonic()
    mgr.close()
    return {"t_manager": t_manager, "t_manager_end": t_manager_end, "t_raw": t_raw,
            "t_raw_end": t_raw_end, "utterances": len(utts), "events": rec.events}  # fmt: skip


def scenario_pause() -> dict:
    mgr, rec = manager()
    mgr.say(LONG)
    rec.wait("WordProgress", count=4)
    t_pause = time.monotonic()
    mgr.pause()
    paused_at = mgr.position
    n = len(rec.events)
    time.sleep(1.0)
    quiet = rec.events[n:]
    t_resume = time.monotonic()
    mgr.resume()
    rec.wait("WordProgress", count=len([e for e in rec.events if e["type"] == "WordProgress"]) + 1)
    resumed = next(e for e in rec.events if e["type"] == "WordProgress" and e["t"] >= t_resume)
    time.sleep(0.8)  # let it be heard
    mgr.stop()
    time.sleep(0.3)
    mgr.close()
    return {"t_pause": t_pause, "t_resume": t_resume, "paused_at": paused_at, "quiet": quiet,
            "resumed_word": resumed, "events": rec.events}  # fmt: skip


def main() -> int:
    name = sys.argv[1]
    result = globals()[f"scenario_{name}"]()
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


__all__ = ["AllDone", "WordProgress"]

if __name__ == "__main__":
    raise SystemExit(main())
