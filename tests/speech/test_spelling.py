"""Spelling a character: its reading and a common word that has it with that reading."""

from __future__ import annotations

from reader.speech.drivers.espeak import render_ssml
from reader.speech.drivers.silent import SilentDriver
from reader.speech.events import AllDone, UtteranceStarted
from reader.speech.manager import SpeechManager
from reader.speech.settings import VoiceSettings
from reader.speech.spelling import example_word, spell_plan, spell_text


def test_the_word_matches_the_reading_of_a_polyphone():
    assert spell_text("行", "xing2").startswith("行，xíng，")
    assert spell_text("行", "hang2").startswith("行，háng，")
    xing = example_word("行", "xing2")
    hang = example_word("行", "hang2")
    assert "行" in xing and "行" in hang and xing != hang
    assert example_word("长", "chang2") != example_word("长", "zhang3")


def test_spelling_text_shape():
    text = spell_text("银")
    ch, syllable, word = text.split("，")
    assert ch == "银" and syllable == "yín"
    assert word.endswith("的银") and "银" in word[:-2]
    assert spell_text(" ") == "空格"
    assert spell_text("A") == "A"


def test_spell_plan_hands_the_engine_fixed_readings():
    ssml = render_ssml(spell_plan("行", "hang2"), VoiceSettings())
    assert ssml.count("hang2") >= 4  # the character, its syllable, in the word, after 的
    assert "xing2" not in ssml
    assert "de5 hang2" in ssml


def test_manager_spell_reports_the_character_span():
    mgr = SpeechManager(SilentDriver(ms_per_char=1, pause_scale=0.01))
    events = []
    mgr.add_listener(events.append)
    try:
        text = "我去银行。"
        mgr.spell("行", "hang2", doc=type("D", (), {"text": text})(), offset=3)
        assert mgr.wait(5)
        started = [e for e in events if isinstance(e, UtteranceStarted)]
        assert (started[0].start, started[0].end) == (3, 4)
        assert any(isinstance(e, AllDone) for e in events)
    finally:
        mgr.close()
