"""The command line's table of words: complete in both languages, and a safe fallback."""

from __future__ import annotations

import argparse
import re
import string
import subprocess
import sys

import pytest

from reader import paths
from reader.commands import strings
from reader.commands.strings import ERRORS, STRINGS, error_line, language, t
from reader.errors import UserError


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_fields(key):
    entry = STRINGS[key]
    assert set(entry) == {"zh", "en"}
    assert entry["zh"], key
    if key == "import_encoding":  # the English import line names the encoding itself
        assert entry["en"] == ""
    else:
        assert fields(entry["zh"]) == fields(entry["en"]), key


#: Latin words a Chinese line may hold: the program, its commands, options, formats and keys.
COMMAND_WORDS = set(
    "reader import restore remove list lexicon add title author tag untag format lang zh"
    " voices txt md html wav mp3 ogg UTF espeak ng Enter n p w q".split()
)


def test_chinese_lines_hold_no_english_words_but_commands_and_options():
    """A Mandarin voice spells English words out letter by letter."""
    tables = {**{key: entry["zh"] for key, entry in STRINGS.items()}, **ERRORS}
    for key, text in tables.items():
        words = set(re.findall(r"[A-Za-z]+", re.sub(r"\{[^}]*\}", "", text)))
        assert words <= COMMAND_WORDS, (key, words - COMMAND_WORDS)


def raised_codes() -> set[str]:
    """Every literal error code raised by the library, the lexicon and the commands."""
    sources = [
        paths.PROJECT_ROOT / "reader" / "library" / "store.py",
        paths.PROJECT_ROOT / "reader" / "text" / "lexicon.py",
        paths.PROJECT_ROOT / "reader" / "speech" / "export.py",
        *sorted((paths.PROJECT_ROOT / "reader" / "commands").glob("*.py")),
    ]
    codes: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        if source.name != "strings.py":
            codes |= set(re.findall(r'user_error\(\s*"(\w+)"', text))
        if source.parent.name != "commands":
            codes |= set(re.findall(r'\bcode="(\w+)"', text))
    return codes


def test_every_error_code_raised_has_chinese_words():
    codes = raised_codes()
    assert {"unknown_article", "nothing_to_edit", "lexicon_unknown_word"} <= codes  # found them
    codes |= {"control_title", "control_author"}  # raised as code=f"control_{name}"
    from reader.library.importers.reasons import REASONS_ZH

    # import refusals (store.py refuses missing or unreadable files itself) are said
    # per file by the import line, from the importers' own table of reasons
    said = set(ERRORS) | set(REASONS_ZH)
    assert codes <= said, codes - said


def test_every_library_note_has_chinese_words():
    import ast

    tree = ast.parse((paths.PROJECT_ROOT / "reader" / "library" / "store.py").read_text("utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Note":
            code = node.args[1]
            if isinstance(code, ast.Constant):
                codes.add(code.value)
            else:  # f"entry_{verb}": verb is "added" or "updated"
                codes |= {"entry_added", "entry_updated"}
    assert len(codes) >= 9, codes
    assert codes <= set(strings.NOTES), codes - set(strings.NOTES)


def test_a_note_is_said_from_its_code_and_keeps_english_without_one():
    from reader.library.store import Note

    note = Note("deleted the unfinished temporary file .a.tmp", "temp_deleted", name=".a.tmp")
    assert note == "deleted the unfinished temporary file .a.tmp"  # still the English str
    assert strings.note_line(note, "zh") == "删除了未完成的临时文件 .a.tmp"
    assert strings.note_line(note, "en") == note
    kept = Note("the catalog is damaged (x); rebuilt", "catalog_damaged", reason="x", kept="c.1")
    assert strings.note_line(kept, "zh") == (
        "目录文件已损坏（x）；已根据文章文件重建目录（损坏的文件保存为 c.1）"
    )
    assert strings.note_line("a plain line", "zh") == "a plain line"
    assert strings.note_line(Note("odd", "temp_deleted"), "zh") == "odd"  # no name detail


def test_an_error_is_said_from_its_code_and_details():
    exc = UserError("no article with id 'x' (try 'reader list')", code="unknown_article", key="x")
    assert error_line(exc, "zh") == "没有编号为 x 的文章（可用 reader list 查看）"
    assert error_line(exc, "en") == "no article with id 'x' (try 'reader list')"


def test_where_a_lexicon_line_is_at_fault_is_said_first():
    exc = UserError("f:3: the word must be one word", code="lexicon_not_one_word", where="f:3")
    assert error_line(exc, "zh") == "f:3：词语必须是一个不含空格的词"
    exc = UserError("the word must be one word", code="lexicon_not_one_word", where="")
    assert error_line(exc, "zh") == "词语必须是一个不含空格的词"


def test_an_error_without_words_keeps_its_english_rather_than_saying_something_wrong():
    assert error_line(UserError("plain English"), "zh") == "plain English"
    assert error_line(UserError("odd code", code="no_such_code"), "zh") == "odd code"
    missing = UserError("no article with id 'x'", code="unknown_article")  # no key detail
    assert error_line(missing, "zh") == "no article with id 'x'"


def test_language_is_the_option_then_the_setting_then_chinese(reader_home):
    settings = paths.config_dir() / "settings.toml"
    assert language(argparse.Namespace()) == "zh"
    assert language(None) == "zh"
    settings.write_text('lang = "en"\n', encoding="utf-8")
    assert language(argparse.Namespace(lang=None)) == "en"
    assert language(argparse.Namespace(lang="zh")) == "zh"
    settings.write_text('lang = "fr"\n', encoding="utf-8")  # refused by the settings: default
    assert language(argparse.Namespace()) == "zh"
    settings.write_text("not toml at all [", encoding="utf-8")
    assert language(argparse.Namespace()) == "zh"


def test_t_formats_and_falls_back_to_chinese():
    assert t("restored", "en", id="a1", title="标题") == "restored a1 (标题)"
    assert t("restored", "fr", id="a1", title="标题") == "已恢复 a1（标题）"


def test_repair_steps_are_said_in_chinese_and_unknown_ones_kept():
    assert strings.repair_step("hard-wrapped lines rejoined: 2", "zh") == "接回硬换行：2"
    assert strings.repair_step("hard-wrapped lines rejoined: 2", "en") == (
        "hard-wrapped lines rejoined: 2"
    )
    assert strings.repair_step("something new: 3", "zh") == "something new: 3"
    from reader.library.repair import _STEP_TEXT

    assert set(_STEP_TEXT) <= set(strings.REPAIR_STEPS_ZH)


def test_the_commands_never_import_textual():
    code = (
        "import sys, reader.cli, reader.commands.strings, reader.commands.library;"
        "reader.cli.build_parser();"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual');"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
