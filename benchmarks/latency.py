"""Speech latency, measured on the sound itself, beside raw libespeak-ng in the same run.

A private PulseAudio server with a null sink is started; ``parec`` records its
monitor and the recording is the clock (see :mod:`reader.speech.soundcheck`;
every sample is placed on ``time.monotonic()``, which the speech helper
process shares).  Three figures, each for reader's speech manager (espeak
driver) and for libespeak-ng called directly through ctypes in its own
playback mode (pcaudiolib → PulseAudio), the reference:

1. speak call → first audible sample (p50, p95, max);
2. stop call → last audible sample;
3. extra silence between consecutive sentences in continuous reading, beyond
   the engine's own sentence pause (reader's gap minus the reference's gap
   for the same sentence pair, when libespeak-ng is given all sentences at once).

Targets: (1) p95 ≤ 50 ms and ≤ 1.5 × the reference; (2) ≤ 100 ms; (3) ≤ 50 ms.

Run: ``.venv/bin/python benchmarks/latency.py [--trials 20]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

AUDIBLE = 300.0  # RMS over 1 ms windows; espeak-ng speech is in the thousands
ONSET = 60.0  # -55 dBFS: the quiet start of a vowel is already sound
SHORT = "银行行长今天来了。"
LONG = "阿里巴巴发布年度助残行动报告，支持数十万残疾人创业就业，报告显示平台上的残疾人商家数量持续增长。"
SENTENCES = [
    "银行开门了。", "行长来了。", "我们走吧。", "今天很好。",
    "报告显示残疾人商家持续增长。", "他们找到了工作。", "明天见。", "谢谢大家。",
]  # fmt: skip


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def fmt_ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    ms = [1000 * v for v in values]
    return f"p50 {pct(ms, 50):5.1f}  p95 {pct(ms, 95):5.1f}  max {max(ms):5.1f} ms  (n={len(ms)})"


class Raw:
    """libespeak-ng in playback mode, driven directly (the reference)."""

    def __init__(self) -> None:
        from reader.speech.drivers import _libespeak as L

        self.L = L
        self.dll = L.initialize(L.AUDIO_OUTPUT_PLAYBACK)
        self.done = threading.Event()
        self.last_token = -1
        self.uid = L.register(self._on_event)
        self.dll.espeak_SetVoiceByName(b"cmn-latn-pinyin")

    def _on_event(self, wav, n, items) -> bool:
        for etype, token, *_ in items:
            if etype == self.L.EVENT_MSG_TERMINATED and token == self.last_token:
                self.done.set()
        return False

    def synth(self, ssml: str, token: int, rate: int) -> None:
        L = self.L
        self.dll.espeak_SetParameter(L.RATE, rate, 0)
        data = ssml.encode("utf-8")
        self.dll.espeak_Synth(data, len(data) + 1, 0, L.POS_CHARACTER, 0, L.CHARS_UTF8 | L.SSML | L.ENDPAUSE,
                              None, L.user_data(self.uid, token))  # fmt: skip

    def cancel(self) -> None:
        self.dll.espeak_Cancel()


def settle(recorder, seconds: float) -> None:
    time.sleep(seconds)
    recorder.wait_until(time.monotonic())


def first_sound(recorder, t0: float, timeout: float = 3.0) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recorder.wait_until(time.monotonic())
        found = recorder.first_sound_after(t0, ONSET)
        if found is not None:
            return found - t0
        time.sleep(0.02)
    return None


def sentence_spans(recorder, t0: float, t1: float) -> list[tuple[float, float]]:
    from reader.speech.soundcheck import merge_gaps

    return [sp for sp in merge_gaps(recorder.audible(AUDIBLE), 0.2) if sp[1] > t0 and sp[0] < t1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--no-raw", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    from reader.speech.soundcheck import PulseServer, Recorder

    tmp = tempfile.TemporaryDirectory(prefix="reader-latency-")
    server = PulseServer(Path(tmp.name)).start()
    os.environ.update(server.env)  # the speech helper process and libespeak-ng play here
    recorder = Recorder(server).start()

    from reader.library.article import Article
    from reader.speech.drivers.espeak import espeak_rate, render_ssml
    from reader.speech.manager import SpeechManager
    from reader.text.units import Document

    mgr = SpeechManager.create(None, driver="espeak")
    heard: list[tuple[float, str, int]] = []
    mgr.add_listener(
        lambda e: heard.append((time.monotonic(), type(e).__name__, getattr(e, "start", -1)))
    )
    time.sleep(3)  # warm-up done: tables loaded, helper started, stream open
    raw = Raw() if not args.no_raw else None
    settings = mgr.settings
    rate = espeak_rate(settings.rate)
    short_ssml = render_ssml(mgr.plan(SHORT)[0], settings)
    long_ssml = render_ssml(mgr.plan(LONG)[0], settings)
    if raw is not None:
        raw.synth(short_ssml, 1, rate)  # the reference's first connection, not measured
        settle(recorder, 2.5)
        raw.cancel()

    results: dict[str, list[float]] = {
        k: [] for k in ("start", "raw_start", "stop", "raw_stop", "long", "raw_long")
    }
    misses = {"start": 0, "raw_start": 0}
    rng = random.Random(7)

    def trial(say, stop, prefix: str, i: int) -> None:
        # (1) speak -> first audible sample, a short sentence (what a key press speaks)
        t0 = time.monotonic()
        say(SHORT, 2 * i + 100)
        got = first_sound(recorder, t0)
        if got is None:
            misses[prefix + "start"] += 1
        else:
            results[prefix + "start"].append(got)
        time.sleep(0.3)
        stop()
        settle(recorder, 0.5)
        # (2) stop -> last audible sample, at a random moment of a long sentence
        t0 = time.monotonic()
        say(LONG, 2 * i + 101)
        got = first_sound(recorder, t0)
        if got is not None:
            results[prefix + "long"].append(got)
        time.sleep(0.4 + rng.random() * 0.8)
        t_stop = time.monotonic()
        stop()
        settle(recorder, 0.6)
        if recorder.rms_between(t_stop - 0.05, t_stop) > AUDIBLE:  # it was sounding at the stop
            last = recorder.last_sound(after=t0, threshold=AUDIBLE) or t_stop
            results[prefix + "stop"].append(max(0.0, last - t_stop))

    for i in range(args.trials):
        trial(lambda text, _tok: mgr.say(text), mgr.stop, "", i)
        if raw is None:
            continue
        trial(
            lambda text, tok: raw.synth(short_ssml if text == SHORT else long_ssml, tok, rate),
            raw.cancel,
            "raw_",
            i,
        )
    if raw is None:
        print({k: [round(1000 * v, 1) for v in vs] for k, vs in results.items()})
        return 0

    # (3) continuous reading: reader's say-all versus every sentence queued in espeak-ng at once
    article = Article.from_parts([("paragraph", 0, "".join(SENTENCES))])
    doc = Document.from_article(article)
    heard.clear()
    t_ours = time.monotonic()
    mgr.read_all(doc, 0)
    deadline = time.monotonic() + 60
    while not any(kind == "AllDone" for _, kind, _ in heard) and time.monotonic() < deadline:
        time.sleep(0.05)
    t_ours_end = time.monotonic()
    settle(recorder, 0.8)
    starts = [t for t, kind, _ in heard if kind == "UtteranceStarted"]
    raw.done.clear()
    raw.last_token = 999
    t_raw = time.monotonic()
    utterances = mgr.plan("".join(SENTENCES))
    for k, utt in enumerate(utterances):
        raw.synth(render_ssml(utt, settings), 999 if k == len(utterances) - 1 else 500 + k, rate)
    raw.done.wait(60)
    t_raw_end = time.monotonic()
    settle(recorder, 0.8)
    ours = sentence_spans(recorder, t_ours, t_ours_end + 0.5)
    theirs = sentence_spans(recorder, t_raw, t_raw_end + 0.5)
    extra: list[float] = []
    gaps_ok = len(ours) == len(theirs) == len(SENTENCES)
    if gaps_ok:
        for k in range(len(SENTENCES) - 1):
            extra.append((ours[k + 1][0] - ours[k][1]) - (theirs[k + 1][0] - theirs[k][1]))
    onset_offsets = [s - sp[0] for s, sp in zip(starts, ours, strict=False)] if gaps_ok else []

    mgr.close()
    raw.cancel()
    recorder.stop()
    server.stop()
    tmp.cleanup()

    if os.environ.get("LATENCY_DEBUG"):
        print({k: [round(1000 * v, 1) for v in vs] for k, vs in results.items()})
    p95_start = pct(results["start"], 95) if results["start"] else float("inf")
    p95_raw = pct(results["raw_start"], 95) if results["raw_start"] else float("nan")
    p95_stop = pct(results["stop"], 95) if results["stop"] else float("inf")
    worst_gap = max(extra) if extra else float("inf")
    print(
        f"speech latency, {args.trials} trials each, clock = null-sink monitor (parec; 1 ms windows, onset RMS > {ONSET:.0f})"
    )
    print(f"(1) speak -> first audible ({SHORT})")
    print(
        f"                             reader: {fmt_ms(results['start'])}   misses {misses['start']}"
    )
    print(
        f"                             raw libespeak-ng: {fmt_ms(results['raw_start'])}   misses {misses['raw_start']}"
    )
    print("    (a long sentence, same text for both; its onset varies with the engine's state)")
    print(f"    long sentence                reader: {fmt_ms(results['long'])}")
    print(f"                             raw libespeak-ng: {fmt_ms(results['raw_long'])}")
    print(f"(2) stop -> last audible     reader: {fmt_ms(results['stop'])}")
    print(f"                             raw libespeak-ng: {fmt_ms(results['raw_stop'])}")
    if gaps_ok:
        print(f"(3) extra gap per sentence   reader minus raw: mean {1000 * statistics.mean(extra):+.1f} ms, "
              f"max {1000 * worst_gap:+.1f} ms over {len(extra)} boundaries")  # fmt: skip
        print(
            f"    raw sentence gaps (the engine's own pause): {[round(1000 * (theirs[k + 1][0] - theirs[k][1])) for k in range(len(theirs) - 1)]} ms"
        )
        print(f"    UtteranceStarted event minus sound onset: {fmt_ms(onset_offsets)}")
    else:
        print(f"(3) could not match sentences: reader {len(ours)} spans, raw {len(theirs)} spans")
    ok1 = p95_start <= 0.050 and (p95_start <= 1.5 * p95_raw or p95_start <= 0.010)
    checks = [
        ("(1) p95 <= 50 ms and <= 1.5x raw", ok1 and misses["start"] == 0),
        ("(2) stop p95 <= 100 ms", p95_stop <= 0.100),
        ("(3) extra gap <= 50 ms", worst_gap <= 0.050),
    ]
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
