"""``reader pinyin`` and ``reader lexicon`` through the real console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader import paths

READER = Path(sys.executable).with_name("reader")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(READER), *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_pinyin_words_separated_by_spaces() -> None:
    out = run("pinyin", "山西省长治市的银行")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "shan1xi1sheng3 chang2zhi4shi4 de5 yin2hang2\n"


def test_pinyin_styles() -> None:
    assert run("pinyin", "--style", "marks", "女儿去银行了").stdout == "nǚ'ér qù yínháng le\n"
    assert run("pinyin", "--style", "none", "绿色").stdout == "lüse\n"


def test_per_char_one_item_per_character() -> None:
    out = run("pinyin", "--per-char", "B超，银行了")
    assert out.stdout == "B chao1 ， yin2 hang2 le5\n"


def test_sandhi_flag_gives_the_spoken_tones() -> None:
    assert run("pinyin", "--per-char", "一个不是").stdout == "yi1 ge4 bu4 shi4\n"
    assert run("pinyin", "--per-char", "--sandhi", "一个不是").stdout == "yi2 ge4 bu2 shi4\n"


def test_standard_input_one_output_line_per_input_line() -> None:
    out = run("pinyin", "--per-char", stdin="长治\n\nOK 了\n银行")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n") == ["chang2 zhi4", "", "O K le5", "yin2 hang2", ""]


def test_bad_style_is_one_line_and_nonzero() -> None:
    out = run("pinyin", "--style", "colour", "银行")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr


def test_lexicon_add_list_remove_through_the_cli(reader_home: Path) -> None:
    assert run("pinyin", "长治").stdout == "chang2zhi4\n"
    out = run("lexicon", "add", "长治", "zhang3", "zhi4")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "长治 zhang3 zhi4（代替附带的读音）\n"
    assert run("pinyin", "长治").stdout == "zhang3zhi4\n"
    listing = run("lexicon", "list", "--user").stdout
    assert listing == "长治\tzhang3 zhi4\tuser\n"
    assert "太行\ttai4 hang2\tbundled" in run("lexicon", "list").stdout
    out = run("lexicon", "remove", "长治")
    assert out.returncode == 0
    assert out.stdout == "已删除 长治 zhang3 zhi4（恢复附带的读音 chang2 zhi4）\n"
    assert run("pinyin", "长治").stdout == "chang2zhi4\n"
    assert (paths.config_dir() / "lexicon.txt").exists()


def test_lexicon_add_accepts_tone_marks_in_one_argument() -> None:
    out = run("lexicon", "add", "叶小姐", "yè xiǎo jiě")
    assert out.stdout == "叶小姐 ye4 xiao3 jie3\n"
    assert run("pinyin", "--per-char", "叶小姐来了").stdout == "ye4 xiao3 jie3 lai2 le5\n"


def test_invalid_pinyin_is_refused_with_one_line() -> None:
    for args in (["长治", "chang2"], ["长治", "chang7", "zhi4"], ["ABC", "a1", "b1", "c1"]):
        out = run("lexicon", "add", *args)
        assert out.returncode == 2
        assert out.stdout == ""
        assert out.stderr.startswith("reader: ") and out.stderr.count("\n") == 1, out.stderr
    assert run("lexicon", "list", "--user").stdout == ""


def test_remove_unknown_word_is_an_error() -> None:
    out = run("lexicon", "remove", "不存在的词")
    assert out.returncode == 2 and out.stderr == "reader: “不存在的词”不在读音词典里\n"


def test_lexicon_check_lists_uncertain_words_of_the_bundled_articles() -> None:
    out = run("lexicon", "check")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines, "the bundled articles have uncertain readings to review"
    ids = {p.stem for p in paths.bundled_articles_dir().glob("*.md")}
    for line in lines:
        _word, article_id, readings, count = line.split("\t")
        assert article_id in ids
        assert "reader=" in readings and "pypinyin=" in readings and "model=" in readings
        assert count.startswith("×")
    words = {line.split("\t")[0] for line in lines}
    assert "为" in words  # the model and pypinyin disagree on 为 in these articles
    assert "长治" not in words  # settled by the lexicon


def test_lexicon_check_unknown_id() -> None:
    out = run("lexicon", "check", "nosuchid")
    assert out.returncode == 2
    assert out.stderr == "reader: 没有编号为 nosuchid 的文章（可用 reader list 查看）\n"


def test_toneless_pinyin_is_refused_in_the_interface_language() -> None:
    out = run("lexicon", "add", "银行", "yin", "hang")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "reader: “银行”：“yin”没有声调；请写声调数字或调号（yin1-4，轻声写 yin5）\n"
    out = run("--lang", "en", "lexicon", "add", "银行", "yin", "hang")
    assert out.stderr.startswith("reader: '银行': 'yin' has no tone"), out.stderr
    out = run("lexicon", "add", "银行", "hangg2", "yin2")
    assert out.stderr == "reader: “银行”：“hangg2”不是带声调（1-5）的拼音音节\n"


def test_a_one_character_entry_for_a_polyphone_warns_which_words_it_changes() -> None:
    out = run("lexicon", "add", "行", "xing2")
    assert out.returncode == 0 and out.stdout == "行 xing2\n"
    assert "所有词里都读 xing2" in out.stderr and "“行业”" in out.stderr, out.stderr
    assert run("pinyin", "行业").stdout == "xing2ye4\n"  # the warning told the truth
    out = run("lexicon", "add", "我", "wo3")  # one reading only: nothing to warn about
    assert out.returncode == 0 and out.stderr == ""
