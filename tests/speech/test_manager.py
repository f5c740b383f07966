"""The speech manager's queue, with the silent driver (timing kept, no sound)."""

from __future__ import annotations

import threading
import time

import pytest

from reader.library.article import Article
from reader.speech.drivers.silent import SilentDriver
from reader.speech.events import AllDone, SpeechError, UtteranceDone, UtteranceStarted, WordProgress
from reader.speech.manager import SpeechManager
from reader.text.units import Document

TEXT = "银行行长说今天很好。第二句话很短。第三句话也不长。"


class Log:
    """Collects events; thread-safe; can wait for one."""

    def __init__(self) -> None:
        self.events: list = []
        self.cond = threading.Condition()

    def __call__(self, event) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait_for(self, predicate, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for e in self.events:
                    if predicate(e):
                        return e
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; events so far: {self.events}")
                self.cond.wait(left)

    def of(self, kind) -> list:
        with self.cond:
            return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
def make():
    made: list[SpeechManager] = []

    def factory(ms_per_char: float = 2.0, **kw) -> tuple[SpeechManager, Log]:
        mgr = SpeechManager(SilentDriver(ms_per_char=ms_per_char, pause_scale=0.05), **kw)
        log = Log()
        mgr.add_listener(log)
        made.append(mgr)
        return mgr, log

    yield factory
    for mgr in made:
        mgr.close()


def test_events_in_order_with_source_offsets(make):
    mgr, log = make()
    rid = mgr.say(TEXT)
    log.wait_for(lambda e: isinstance(e, AllDone))
    kinds = [type(e).__name__ for e in log.events]
    assert kinds[0] == "UtteranceStarted" and kinds[-1] == "AllDone"
    assert kinds.count("UtteranceStarted") == kinds.count("UtteranceDone") == 3
    starts = log.of(UtteranceStarted)
    assert [s.text for s in starts] == [
        "银行行长说今天很好。",
        "第二句话很短。",
        "第三句话也不长。",
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in starts)
    words = log.of(WordProgress)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert TEXT[words[0].start : words[0].end] == "银行行长"
    assert all(e.request == rid for e in log.events)
    # every word event sits inside the utterance that is playing
    current = None
    for e in log.events:
        if isinstance(e, UtteranceStarted):
            current = e
        elif isinstance(e, WordProgress):
            assert current.start <= e.start < e.end <= current.end


def test_stop_drops_everything_and_late_events(make):
    mgr, log = make(ms_per_char=20)
    mgr.say(TEXT)
    log.wait_for(lambda e: isinstance(e, WordProgress))
    mgr.stop()
    n = len(log.events)
    time.sleep(0.6)
    assert len(log.events) == n, log.events[n:]
    assert not mgr.speaking
    assert not any(isinstance(e, AllDone) for e in log.events)


def test_stop_beats_events_already_dispatched(make):
    """An event the engine reported before stop() but delivered after it is dropped."""
    held: list = []
    mgr, log = make(ms_per_char=5)
    mgr.dispatch = lambda fn, *args: held.append((fn, args))  # the caller's side is busy
    mgr.say(TEXT)
    deadline = time.monotonic() + 5
    while not held and time.monotonic() < deadline:
        time.sleep(0.01)
    assert held
    mgr.stop()
    for fn, args in list(held):
        fn(*args)
    assert log.events == []


def test_interrupt_versus_after(make):
    mgr, log = make(ms_per_char=5)
    first = mgr.say("第一个请求，有点长的一句话。")
    log.wait_for(lambda e: isinstance(e, WordProgress))
    second = mgr.say("第二个。", interrupt=False)
    log.wait_for(lambda e: isinstance(e, AllDone))
    done = [e.request for e in log.of(UtteranceDone)]
    assert done == [first, second]
    assert log.of(AllDone)[0].request == second

    log.events.clear()
    mgr.say("第三个请求也很长很长很长。")
    log.wait_for(lambda e: isinstance(e, WordProgress))
    fourth = mgr.say("第四个。", interrupt=True)
    log.wait_for(lambda e: isinstance(e, AllDone))
    assert [e.request for e in log.of(UtteranceDone)] == [fourth]
    assert [e.text for e in log.of(UtteranceStarted)][-1] == "第四个。"


def test_position_is_last_word_heard_and_pause_resume_continue_there(make):
    mgr, log = make(ms_per_char=15)
    mgr.say(TEXT)
    w = log.wait_for(lambda e: isinstance(e, WordProgress) and e.start >= 10)
    mgr.pause()
    assert mgr.paused and mgr.position is not None
    paused_at = mgr.position
    assert paused_at >= w.start  # never ahead of what was reported heard
    n = len(log.events)
    time.sleep(0.3)
    assert len(log.events) == n  # silence while paused
    assert mgr.position == paused_at
    mgr.resume()
    log.wait_for(lambda e: isinstance(e, AllDone), timeout=10)
    after = [e for e in log.events[n:] if isinstance(e, WordProgress)]
    assert after[0].start == paused_at  # the word that was playing is said again, nothing skipped
    spoken_starts = [e.start for e in log.of(WordProgress)]
    assert max(spoken_starts) >= TEXT.index("第三句")


def test_position_not_moved_by_read_ahead(make):
    """Utterances handed to the engine early must not move the position."""
    mgr, log = make(ms_per_char=30)
    mgr.say(TEXT)
    log.wait_for(lambda e: isinstance(e, WordProgress))
    assert mgr.position < TEXT.index("第二句")
    assert mgr.snapshot().queued >= 2  # read-ahead is in flight
    mgr.stop()


def test_read_all_plans_lazily_and_reads_from_offset(make):
    article = Article.from_parts(
        [("heading", 1, "标题"), ("paragraph", 0, TEXT), ("paragraph", 0, "最后一段。")]
    )
    doc = Document.from_article(article)
    mgr, log = make()
    start = article.text.index("第二句")
    mgr.read_all(doc, start)
    log.wait_for(lambda e: isinstance(e, AllDone))
    texts = [e.text for e in log.of(UtteranceStarted)]
    assert texts == ["第二句话很短。", "第三句话也不长。", "最后一段。"]
    assert all(article.text[e.start : e.end] == e.text for e in log.of(UtteranceStarted))


def test_read_all_from_middle_of_sentence_starts_there(make):
    article = Article.from_parts([("paragraph", 0, TEXT)])
    doc = Document.from_article(article)
    mgr, log = make()
    mgr.read_all(doc, 2)
    log.wait_for(lambda e: isinstance(e, AllDone))
    assert log.of(UtteranceStarted)[0].text == "行长说今天很好。"


def test_speak_units_maps_words_to_document_offsets(make):
    article = Article.from_parts([("heading", 1, "标题"), ("paragraph", 0, TEXT)])
    doc = Document.from_article(article)
    mgr, log = make()
    start = article.text.index("第二句")
    mgr.speak_units(doc, start)  # end=None: the sentence at start
    log.wait_for(lambda e: isinstance(e, AllDone))
    starts = log.of(UtteranceStarted)
    assert [e.text for e in starts] == ["第二句话很短。"]
    words = [article.text[e.start : e.end] for e in log.of(WordProgress)]
    assert "".join(words) == "第二句话很短"


def test_rate_change_applies_from_next_utterance(make):
    seen: list[tuple[str, int]] = []
    mgr, log = make(ms_per_char=10)
    original_submit = mgr.driver.submit

    def spy(utt, token, settings):
        seen.append((utt.text, settings.rate))
        original_submit(utt, token, settings)

    mgr.driver.submit = spy
    mgr.say(TEXT)
    log.wait_for(lambda e: isinstance(e, WordProgress))
    mgr.set_rate(80)
    log.wait_for(lambda e: isinstance(e, AllDone), timeout=10)
    heard = [e.text for e in log.of(UtteranceStarted)]
    assert heard == [
        "银行行长说今天很好。",
        "第二句话很短。",
        "第三句话也不长。",
    ]  # none lost, none repeated
    last_rate = {}
    for text, rate in seen:
        last_rate[text] = rate
    assert last_rate["银行行长说今天很好。"] == 30
    assert last_rate["第二句话很短。"] == 80 and last_rate["第三句话也不长。"] == 80


def test_faster_rate_is_faster(make):
    mgr, log = make(ms_per_char=8)
    t0 = time.monotonic()
    mgr.say("第二句话很短。")
    log.wait_for(lambda e: isinstance(e, AllDone))
    slow = time.monotonic() - t0
    log.events.clear()
    mgr.set_rate(100)
    t0 = time.monotonic()
    mgr.say("第二句话很短。")
    log.wait_for(lambda e: isinstance(e, AllDone))
    fast = time.monotonic() - t0
    assert fast < slow * 0.7


def test_empty_and_punctuation_only_text_finish_at_once(make):
    mgr, log = make()
    rid = mgr.say("。。。")
    done = log.wait_for(lambda e: isinstance(e, AllDone), timeout=1)
    assert done.request == rid
    assert mgr.wait(1)


def test_driver_failure_is_one_error_event(make):
    mgr, log = make()

    def broken(utt, token, settings):
        raise OSError("device gone")

    mgr.driver.submit = broken
    mgr.say(TEXT)
    err = log.wait_for(lambda e: isinstance(e, SpeechError))
    assert "device gone" in err.message and "\n" not in err.message
    assert not mgr.speaking


def test_dispatch_runs_listeners_on_callers_thread(make):
    import queue

    inbox: queue.SimpleQueue = queue.SimpleQueue()
    mgr, log = make()
    mgr.dispatch = lambda fn, *a: inbox.put((fn, a))
    mgr.say("你好。")
    threads = set()
    mgr.add_listener(lambda e: threads.add(threading.get_ident()))
    deadline = time.monotonic() + 5
    while not log.of(AllDone) and time.monotonic() < deadline:
        try:
            fn, a = inbox.get(timeout=0.1)
        except queue.Empty:
            continue
        fn(*a)
    assert log.of(AllDone)
    assert threads == {threading.get_ident()}


def test_describe_settings_and_next_voice(make):
    mgr, _ = make()
    mgr.set_rate(55)
    assert "语速55" in mgr.describe_settings()
    assert "rate 55" in mgr.describe_settings("en")
    first = mgr.profile.name
    nxt = mgr.next_voice()
    assert nxt.name != first
    assert mgr.settings == nxt.settings


def test_create_falls_back_with_one_line(monkeypatch):
    from reader.speech import drivers

    monkeypatch.setattr(drivers, "sound_output_present", lambda: False)
    monkeypatch.setattr(drivers.sys, "platform", "linux")
    lines: list[str] = []
    mgr = SpeechManager.create(driver="auto", announce=lines.append, warm=False)
    try:
        assert mgr.driver.name == "silent"
        assert len(lines) == 1 and "reading continues without sound" in lines[0]
    finally:
        mgr.close()


def test_next_voice_skips_profiles_for_other_engines(make):
    mgr, _ = make()
    seen = set()
    for _ in range(6):
        seen.add(mgr.next_voice().name)
    assert "native-chinese" not in seen  # a pyttsx3 profile, not for this (silent) engine
    assert {"mandarin", "english"} <= seen
