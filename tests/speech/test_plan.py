"""Plans: what each utterance sends to the engine, and how words map back to the source."""

from __future__ import annotations

import re

import pytest

from reader.speech.drivers.espeak import render_ssml
from reader.speech.plan import PlanStyle, plan_text, render_plain
from reader.speech.settings import (
    ProfileError,
    VoiceSettings,
    load_profile,
    parse_profile,
    profile_names,
)

SETTINGS = VoiceSettings()


def test_one_utterance_per_sentence_and_never_across_blocks():
    text = "第一句。第二句！\n标题\n第三句？"
    utts = plan_text(text)
    assert [u.text for u in utts] == ["第一句。", "第二句！", "标题", "第三句？"]


def test_polyphones_become_tone_numbered_pinyin_in_context():
    (utt,) = plan_text("银行行长走在人行道上。")
    ssml = render_ssml(utt, SETTINGS)
    assert "yin2 hang2 hang2 zhang3" in ssml
    assert "xing2" in ssml  # 人行道
    assert not re.search(r"[\u4e00-\u9fff]", ssml)  # no raw characters reach espeak's pinyin voice


def test_numbers_reach_the_engine_as_words_not_digits():
    (utt,) = plan_text("在2022年增长了22.5%。")
    spoken = re.sub(r"<[^>]*>", "", render_ssml(utt, SETTINGS)).split()
    assert all(re.fullmatch(r"[a-z]+[1-5]", syllable) for syllable in spoken), spoken
    assert " ".join(spoken).startswith("zai4 er4 ling2 er4 er4 nian2")


def test_latin_words_go_to_the_english_voice_and_acronyms_are_spelled():
    (utt,) = plan_text("用OCR识别app的文字。")
    ssml = render_ssml(utt, SETTINGS)
    english = re.findall(r'<voice name="en">(.*?)</voice>', ssml)
    assert english, ssml
    spoken = re.sub(r"<[^>]*>", "", " ".join(english))
    assert "O C R" in spoken and "app" in spoken
    assert 'name="cmn-latn-pinyin"' in ssml


def test_punctuation_becomes_breaks_not_words():
    (utt,) = plan_text("你好，世界；再见。")
    ssml = render_ssml(utt, SETTINGS)
    assert ssml.count("<break") == 2
    assert "，" not in ssml and "；" not in ssml


def test_marks_map_each_word_back_to_its_source_span():
    text = "前言。银行行长说OK了。"
    (_, utt) = plan_text(text)
    words = utt.words()
    ssml = render_ssml(utt, SETTINGS)
    assert ssml.count("<mark ") == len(words)
    for i, w in enumerate(words):
        assert f'<mark name="{i}"/>{w.engine} ' in ssml
    sources = [text[w.start : w.end] for w in words]
    assert sources[0] == "银行行长"
    assert "OK" in sources
    assert all(utt.start <= w.start < w.end <= utt.end for w in words)


def test_ssml_special_characters_are_escaped():
    (utt,) = plan_text("AT&T <b> 好。")
    ssml = render_ssml(utt, SETTINGS)
    body = re.sub(r"<(/?)(speak|voice|mark|break)\b[^>]*>", "", ssml)
    assert "<" not in body and ">" not in body


def test_hanzi_style_keeps_characters_for_native_voices():
    (utt,) = plan_text("银行行长。", style=PlanStyle(script="hanzi"))
    assert render_plain(utt).startswith("银行行长")


def test_profiles_bundled_and_valid():
    names = profile_names()
    assert {"mandarin", "english"} <= set(names)
    for name in names:
        prof = load_profile(name)
        assert 0 <= prof.settings.rate <= 100
    assert load_profile(None).name == "mandarin"


def test_unknown_profile_names_the_valid_ones():
    with pytest.raises(ProfileError) as info:
        load_profile("klingon")
    message = str(info.value)
    assert "klingon" in message and "mandarin" in message and "\n" not in message


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("rate = 300\n", "rate"),
        ('engine = "festival"\n', "engine"),
        ("rate = \n", "not valid TOML"),
        ('language = "fr"\n', "language"),
    ],
)
def test_invalid_profile_is_one_line_naming_file_and_key(tmp_path, body, needle):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        parse_profile(path)
    assert needle in str(info.value) and str(path) in str(info.value)


def test_user_profile_overrides_and_appears(reader_home):
    folder = reader_home / "config" / "voices"
    folder.mkdir(parents=True)
    (folder / "slow.toml").write_text('name = "slow"\nrate = 5\n', encoding="utf-8")
    assert "slow" in profile_names()
    assert load_profile("slow").settings.rate == 5
