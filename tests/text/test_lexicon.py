"""The pronunciation lexicon: format, validation, user overrides, changes that apply at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader import paths
from reader.errors import UserError
from reader.text import lexicon as lexmod
from reader.text.lexicon import Lexicon, get_lexicon, parse_line, segment_words
from reader.text.pinyin import char_readings
from reader.text.segment import tokenize

BUNDLED = paths.voices_dir() / "lexicon.txt"


def user_file() -> Path:
    return paths.config_dir() / "lexicon.txt"


def test_bundled_lexicon_parses_cleanly_and_documents_its_format() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert text.startswith("#") and "WORD [FREQ] SYLLABLE" in text
    lex = Lexicon(user_path=user_file())
    assert lex.errors == []
    entries = lex.entries("bundled")
    assert len(entries) >= 5
    assert lex.lookup("长治") == ["chang2", "zhi4"]
    for entry in entries:
        assert len(entry.word) == len(entry.syllables)


def test_parse_line_accepts_jieba_frequency_and_tone_marks() -> None:
    entry = parse_line("银行 1000 yín háng  # comment")
    assert entry is not None
    assert (entry.word, entry.freq, entry.syllables) == ("银行", 1000, ("yin2", "hang2"))
    assert parse_line("   # only a comment") is None
    assert parse_line("") is None


@pytest.mark.parametrize(
    ("word", "pinyin", "reason"),
    [
        ("长治", "chang2", "2 characters but 1 pinyin syllable"),
        ("长治", "chang2 zhi4 shi4", "2 characters but 3"),
        ("长治", "chang9 zhi4", "'chang9' is not a pinyin syllable"),
        ("长治", "chang zhix4", "'zhix4' is not a pinyin syllable"),
        ("OK", "ou1 kei1", "only Chinese characters"),
        ("长 治", "chang2 zhi4", "without spaces"),
        # no tone at all would be stored as neutral tones: refused, not guessed
        ("银行", "yin hang", "'yin' has no tone"),
        ("我们", "wo3 men", "'men' has no tone"),
    ],
)
def test_invalid_entries_are_refused_with_one_line_and_change_nothing(
    word: str, pinyin: str, reason: str
) -> None:
    lex = get_lexicon()
    lex.add("平顺", "ping2 shun4")
    before = user_file().read_bytes()
    with pytest.raises(UserError) as info:
        lex.add(word, pinyin)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)
    assert user_file().read_bytes() == before


def test_without_user_lexicon_the_bundled_one_applies() -> None:
    assert not user_file().exists()
    assert char_readings("长治")[:2] == ["chang2", "zhi4"]
    assert get_lexicon().entries("user") == []


def test_user_entry_overrides_bundled_and_takes_effect_at_once() -> None:
    text = "山西省长治市"
    assert char_readings(text)[3:5] == ["chang2", "zhi4"]
    lex = get_lexicon()
    lex.add("长治", "zhang3 zhi4")
    assert char_readings(text)[3:5] == ["zhang3", "zhi4"]  # same process, no reload
    assert "长治 zhang3 zhi4" in user_file().read_text(encoding="utf-8")
    entries = {e.word: e for e in lex.entries()}
    assert entries["长治"].source == "user"
    lex.remove("长治")
    assert char_readings(text)[3:5] == ["chang2", "zhi4"]  # the bundled entry is back


def test_readings_version_changes_with_every_edit() -> None:
    from reader.text.pinyin import readings_version

    first = readings_version()
    assert readings_version() == first  # stable while nothing changes
    get_lexicon().add("长治", "zhang3 zhi4")
    second = readings_version()
    assert second != first
    get_lexicon().remove("长治")
    assert readings_version() not in (first, second)


def test_a_new_word_is_read_and_segmented_as_one_word_at_once() -> None:
    text = "支持罕见病的罕有爱项目"
    assert ("罕有爱", 6, 9) not in tokenize(text)
    lex = get_lexicon()
    lex.add("罕有爱", "han3 you3 ai4")
    assert ("罕有爱", 6, 9) in tokenize(text)
    assert char_readings(text)[6:9] == ["han3", "you3", "ai4"]
    assert ("罕有爱", None) in segment_words()


def test_a_change_made_by_another_process_is_seen_on_the_next_lookup() -> None:
    lex = get_lexicon()
    assert char_readings("银行")[1] == "hang2"
    # another process (reader lexicon add) rewrites the file
    user_file().write_text("银行 yin2 xing2\n", encoding="utf-8")
    stat = user_file().stat()
    os.utime(user_file(), ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert get_lexicon() is lex
    assert char_readings("银行") == ["yin2", "xing2"]


def test_hand_written_lines_survive_a_rewrite_and_bad_ones_are_reported() -> None:
    user_file().write_text("# my notes\n银行 yin2 hang2\n坏行 bad9 hang2\n\n", encoding="utf-8")
    lex = get_lexicon()
    assert any("坏行" in e and "bad9" in e for e in lex.errors)
    lex.add("长治", "chang2 zhi4")
    lex.remove("银行")
    text = user_file().read_text(encoding="utf-8")
    assert "# my notes" in text
    assert "坏行 bad9 hang2" in text  # kept verbatim, never silently dropped
    assert "长治 chang2 zhi4" in text
    assert "银行" not in text.replace("坏行", "")
    leftovers = [p.name for p in user_file().parent.iterdir() if p.name.startswith(".lexicon-")]
    assert leftovers == []


def test_remove_refuses_unknown_and_bundled_words() -> None:
    lex = get_lexicon()
    with pytest.raises(UserError, match="not in the lexicon"):
        lex.remove("没有这个词")
    with pytest.raises(UserError, match="bundled entry"):
        lex.remove("长治")


def test_each_reader_home_has_its_own_lexicon(tmp_path: Path, monkeypatch) -> None:
    get_lexicon().add("长治", "zhang3 zhi4")
    assert char_readings("长治") == ["zhang3", "zhi4"]
    monkeypatch.setenv("READER_HOME", str(tmp_path / "other"))
    assert char_readings("长治") == ["chang2", "zhi4"]
    assert lexmod.get_lexicon().user_path == tmp_path / "other" / "config" / "lexicon.txt"


def test_tones_may_be_numbers_marks_or_5_for_the_neutral_tone() -> None:
    lex = get_lexicon()
    assert lex.add("银行", "yín háng").syllables == ("yin2", "hang2")
    assert lex.add("我们", "wo3 men5").syllables == ("wo3", "men5")
