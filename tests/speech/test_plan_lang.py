"""Interface text in English says its numbers in English; article text keeps Mandarin."""

from __future__ import annotations

import threading

from reader.speech.drivers.espeak import render_ssml
from reader.speech.drivers.silent import SilentDriver
from reader.speech.events import AllDone, WordProgress
from reader.speech.manager import SpeechManager
from reader.speech.plan import plan_text
from reader.speech.settings import load_profile

WHERE = "paragraph 1 of 15, sentence 1 of 1, 0 percent, speed 30"


def voiced(text: str, lang: str) -> list[tuple[str, str]]:
    """(voice language, word) for every word the planner hands the engine."""
    return [
        (seg.lang, word.engine)
        for utt in plan_text(text, lang=lang)
        for seg in utt.segments
        for word in seg.words
    ]


def test_english_announcement_numbers_go_to_the_english_voice():
    words = voiced(WHERE, "en")
    assert words == [
        ("en", w)
        for w in "paragraph 1 of 15 sentence 1 of 1 0 percent speed 30".split()
    ]
    ssml = " ".join(render_ssml(u, load_profile("mandarin").settings) for u in plan_text(WHERE, lang="en"))
    assert "cmn-latn-pinyin" not in ssml  # no "yi1", "shi2 wu3", "ling2", "san1 shi2"
    assert "shi2" not in ssml and "yi1" not in ssml


def test_without_the_interface_language_numbers_stay_mandarin():
    # article text and the Chinese interface: unchanged
    words = voiced(WHERE, "zh")
    assert ("zh", "shi2 wu3") in words and ("zh", "san1 shi2") in words
    assert voiced("第1段，共15段", "zh") == voiced("第1段，共15段", "en")


def test_numbers_inside_a_chinese_title_stay_mandarin_in_an_english_announcement():
    text = "Opened 截至 2022 年的报告, paragraph 3 of 15"
    words = voiced(text, "en")
    assert ("zh", "er4 ling2 er4 er4") in words  # the year, next to Chinese words
    assert ("en", "3") in words and ("en", "15") in words
    assert words[0] == ("en", "Opened")


def test_percent_time_and_fullwidth_digits_in_english():
    words = voiced("3% read, at 12:30, item ２ of ５", "en")
    assert ("en", "3%") in words and ("en", "12:30") in words
    assert ("en", "2") in words and ("en", "5") in words
    assert all(lang == "en" for lang, _ in words)


def test_manager_say_in_english_plans_english_numbers_and_keeps_them_after_pause():
    driver = SilentDriver(ms_per_char=20.0, pause_scale=0.05)
    submitted = []
    original = driver.submit

    def record(utterance, token, settings):
        submitted.append(utterance)
        original(utterance, token, settings)

    driver.submit = record  # type: ignore[method-assign]
    mgr = SpeechManager(driver)
    heard = threading.Event()
    done = threading.Event()

    def listen(event):
        if isinstance(event, WordProgress) and event.start >= WHERE.index("of 15"):
            heard.set()
        if isinstance(event, AllDone):
            done.set()

    mgr.add_listener(listen)
    try:
        assert [u.lang for u in mgr.plan(WHERE, lang="en")] == ["en"]
        assert mgr.plan(WHERE)[0].lang == "zh"
        mgr.say(WHERE, lang="en")
        assert heard.wait(5)
        mgr.pause()
        mgr.resume()  # the rest is planned again from the last word heard
        assert done.wait(10)
    finally:
        mgr.close()
    assert len(submitted) >= 2
    for utt in submitted:
        assert utt.lang == "en"
        kinds = {seg.lang for seg in utt.segments if seg.kind != "pause"}
        assert kinds == {"en"}, utt
