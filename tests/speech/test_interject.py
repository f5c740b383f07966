"""Interjections: a short answer spoken during say-all, after which the reading goes on.

NVDA answers a speed key during say-all with the new speed and reads on from
where the voice was.  The manager's ``interject`` does that: these tests drive
it with the silent driver (real timing, no sound) and check what was heard, in
what order, and from which word the reading went on.
"""

from __future__ import annotations

import pytest

from reader.speech.drivers.silent import SilentDriver
from reader.speech.events import AllDone, UtteranceDone, UtteranceStarted, WordProgress
from reader.speech.manager import SpeechManager
from reader.text.units import Document
from tests.speech.test_manager import Log

TEXT = "银行行长说今天很好。第二句话很短。第三句话也不长。第四句话到此为止。"


@pytest.fixture
def make():
    made: list[SpeechManager] = []

    def factory(ms_per_char: float = 8.0) -> tuple[SpeechManager, Log]:
        mgr = SpeechManager(SilentDriver(ms_per_char=ms_per_char, pause_scale=0.05))
        log = Log()
        mgr.add_listener(log)
        made.append(mgr)
        return mgr, log

    yield factory
    for mgr in made:
        mgr.close()


def _doc() -> Document:
    from reader.library.article import Article

    return Document.from_article(Article.from_parts([("paragraph", 0, TEXT)], id="x", title="t"))


def _reading_words(log: Log, rid: int) -> list[WordProgress]:
    return [e for e in log.of(WordProgress) if e.request == rid]


def test_interjection_during_say_all_is_heard_then_reading_goes_on_from_the_last_word(make):
    mgr, log = make(ms_per_char=8.0)
    rid = mgr.read_all(_doc(), 0)
    second = TEXT.index("第二句")
    log.wait_for(lambda e: isinstance(e, WordProgress) and e.request == rid and e.start > second)
    heard = max(w.start for w in _reading_words(log, rid))
    before = len(log.events)
    ask = mgr.interject("语速35")
    log.wait_for(lambda e: isinstance(e, AllDone))
    after = log.events[before:]
    # the answer is heard whole, then the reading goes on (no AllDone in between)
    asked = [i for i, e in enumerate(after) if getattr(e, "request", None) == ask]
    assert asked and isinstance(after[asked[-1]], UtteranceDone)
    resumed = [e for e in after[asked[-1] :] if isinstance(e, WordProgress) and e.request == rid]
    assert resumed, f"the reading did not go on after the answer: {after}"
    # from the word the voice was on (never skipping ahead, never starting the sentence over)
    assert resumed[0].start <= heard + 4 and resumed[0].start >= heard - 1, (heard, resumed[0])
    assert resumed[-1].end == len(TEXT) - 1  # read to the end (the last word before 。)
    done = log.of(AllDone)
    assert [d.request for d in done] == [rid]  # the say-all's end, reported once


def test_interjection_uses_new_settings_for_the_rest_of_the_reading(make):
    mgr, log = make(ms_per_char=8.0)
    rates: list[tuple[int, int]] = []
    submit = mgr.driver.submit

    def spy(utt, token, settings):
        rates.append((utt.start, settings.rate))
        submit(utt, token, settings)

    mgr.driver.submit = spy
    rid = mgr.read_all(_doc(), 0)
    log.wait_for(lambda e: isinstance(e, WordProgress) and e.request == rid and e.start > 3)
    mgr.set_rate(60)
    mark = len(rates)
    mgr.interject("语速60")
    log.wait_for(lambda e: isinstance(e, AllDone))
    assert rates[mark:] and all(rate == 60 for _, rate in rates[mark:])


def test_interjection_while_paused_is_heard_and_the_reading_stays_paused(make):
    mgr, log = make(ms_per_char=8.0)
    rid = mgr.read_all(_doc(), 0)
    log.wait_for(lambda e: isinstance(e, WordProgress) and e.request == rid and e.start > 3)
    mgr.pause()
    heard = max(w.start for w in _reading_words(log, rid))
    ask = mgr.interject("我在哪里")
    log.wait_for(lambda e: isinstance(e, UtteranceDone) and e.request == ask)
    mark = len(log.events)
    assert mgr.paused and not log.of(AllDone)
    assert not mgr.speaking
    # nothing of the reading was heard while paused
    assert not [e for e in log.events if getattr(e, "request", None) == rid and e.start > heard + 4]
    mgr.resume()
    log.wait_for(lambda e: isinstance(e, AllDone))
    resumed = [e for e in log.events[mark:] if isinstance(e, WordProgress) and e.request == rid]
    assert resumed and heard - 1 <= resumed[0].start <= heard + 4
    assert [d.request for d in log.of(AllDone)] == [rid]


def test_a_second_interjection_cuts_the_first_and_reading_still_goes_on(make):
    mgr, log = make(ms_per_char=8.0)
    rid = mgr.read_all(_doc(), 0)
    log.wait_for(lambda e: isinstance(e, WordProgress) and e.request == rid and e.start > 3)
    first = mgr.interject("语速三十五，这是一句很长的回答，还没说完")
    log.wait_for(lambda e: isinstance(e, UtteranceStarted) and e.request == first)
    second = mgr.interject("语速40")
    log.wait_for(lambda e: isinstance(e, AllDone))
    assert not [e for e in log.of(UtteranceDone) if e.request == first]  # cut
    assert [e for e in log.of(UtteranceDone) if e.request == second]
    assert _reading_words(log, rid)[-1].end == len(TEXT) - 1
    assert [d.request for d in log.of(AllDone)] == [rid]


def test_stop_reading_ends_the_say_all_but_not_the_answer(make):
    mgr, log = make(ms_per_char=8.0)
    rid = mgr.read_all(_doc(), 0)
    log.wait_for(lambda e: isinstance(e, WordProgress) and e.request == rid and e.start > 3)
    ask = mgr.interject("帮助")
    mgr.stop_reading()
    log.wait_for(lambda e: isinstance(e, AllDone))
    assert [d.request for d in log.of(AllDone)] == [ask]
    assert [e for e in log.of(UtteranceDone) if e.request == ask]
    assert not [e for e in log.of(UtteranceStarted) if e.request == rid and e.start > 9]
    assert not mgr.speaking and not mgr.paused


def test_interjection_without_a_say_all_is_a_plain_announcement(make):
    mgr, log = make(ms_per_char=8.0)
    first = mgr.say("第一句话说了很久很久很久。")
    log.wait_for(lambda e: isinstance(e, UtteranceStarted) and e.request == first)
    ask = mgr.interject("语速35")
    log.wait_for(lambda e: isinstance(e, AllDone))
    assert [d.request for d in log.of(AllDone)] == [ask]
    assert not [e for e in log.of(UtteranceDone) if e.request == first]  # cut, as say() cuts


def test_a_notification_during_say_all_comes_between_sentences_not_after_the_reading(make):
    """A notice ("speak after") during a say-all would otherwise wait for the whole
    reading, or be lost if the reader moves: it is heard before the reading's next
    sentence, no sentence is cut for it, and the reading goes on and ends once."""
    mgr, log = make(ms_per_char=8.0)
    rid = mgr.read_all(_doc(), 0)
    log.wait_for(lambda e: isinstance(e, WordProgress) and e.request == rid)
    first = mgr.notify("导入完成：新增1篇")
    second = mgr.notify("拒绝1篇")
    log.wait_for(lambda e: isinstance(e, AllDone))
    order = [
        (e.request, e.start)
        for e in log.events
        if isinstance(e, UtteranceStarted) and e.request in (rid, first, second)
    ]
    notices = [i for i, (r, _) in enumerate(order) if r in (first, second)]
    assert [order[i][0] for i in notices] == [first, second]  # both heard, in order
    assert any(r == rid for r, _ in order[notices[-1] :]), f"the reading stopped: {order}"
    reading = [start for r, start in order if r == rid]
    assert reading == sorted(set(reading))  # no sentence cut and read again
    assert [w.end for w in _reading_words(log, rid)][-1] == len(TEXT) - 1
    assert [d.request for d in log.of(AllDone)] == [rid]


def test_a_notification_without_reading_waits_for_what_is_being_said(make):
    mgr, log = make(ms_per_char=8.0)
    first = mgr.say("打开文章，第1段")
    note = mgr.notify("设置文件有错误")
    log.wait_for(lambda e: isinstance(e, AllDone) and e.request == note)
    done = [e.request for e in log.of(UtteranceDone)]
    assert done.index(first) < done.index(note)  # the announcement was not cut
