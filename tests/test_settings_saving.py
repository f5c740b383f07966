"""Saving settings never destroys what the user wrote in settings.toml.

Audit 2, finding 3: one typo, then one key press, and the whole file was
replaced by ``rate = 35``; a valid file lost its comments and had refused
values rewritten to defaults.  These tests use real files under READER_HOME.
"""

from __future__ import annotations

import tomllib

import pytest

from reader import settings as settings_module
from reader.settings import Settings

TYPO = 'lang = "zh"\ntheme = "yellow-on-black\npinyin = "sentence"\n[keys]\nsay_all = "space,p"\n'

MINE = """# my settings
lang = "zh"   # 中文界面
measure = -3
from_a_newer_version = "kept"
theme = "yellow-on-black"

[keys]
# reading keys
say_all = "space,p"  # Space or p
"""


def write(text: str) -> bytes:
    path = Settings.file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path.read_bytes()


def test_a_file_with_a_typo_is_not_touched_by_a_save():
    before = write(TYPO)
    settings = Settings.load()
    assert settings.theme == "ansi" and settings.keys == {}  # defaults used meanwhile
    settings.rate = 35
    settings.keys = {"stop": "x"}
    assert settings.save() is None  # already told at load: not said again
    assert settings.save() is None
    assert Settings.file().read_bytes() == before
    assert settings.rate == 35  # the change is kept in memory
    assert not [p.name for p in Settings.file().parent.iterdir() if p.name != "settings.toml"]


def test_the_typo_warning_is_chinese_names_the_line_and_column_and_keeps_the_path_for_the_screen():
    write(TYPO)
    settings = Settings.load()
    [(shown, spoken)] = settings.messages("zh")
    assert spoken == "设置文件 settings.toml 第2行第25列有错误，已使用默认设置，修改不会保存"
    assert shown.startswith(f"设置文件 {Settings.file()} 第2行第25列有错误")
    assert shown.endswith("，已使用默认设置，修改不会保存")
    [(shown_en, spoken_en)] = settings.messages("en")
    assert spoken_en == (
        "settings.toml: not valid TOML at line 2, column 25; defaults used, "
        "changes will not be saved until the file is fixed"
    )
    assert str(Settings.file()) in shown_en and "\n" not in shown_en
    assert settings.errors == [shown_en]  # the English line, for the command line and logs


def test_changes_made_while_the_file_was_broken_are_saved_once_it_is_fixed():
    write(TYPO)
    settings = Settings.load()
    settings.rate = 35
    settings.save()
    fixed = TYPO.replace('"yellow-on-black\n', '"yellow-on-black"  # fixed\n')
    write(fixed)
    assert settings.save() is None
    text = Settings.file().read_text(encoding="utf-8")
    assert text.startswith(fixed.split("[keys]")[0].rstrip("\n"))  # the user's lines, unchanged
    assert 'say_all = "space,p"' in text
    data = tomllib.loads(text)
    assert data["rate"] == 35 and data["theme"] == "yellow-on-black"


def test_a_file_broken_after_loading_is_not_overwritten_and_the_user_is_told_once():
    write('rate = 40\n')
    settings = Settings.load()
    before = write('rate = 40\nvolume = \n')  # the user is editing it in another window
    settings.rate = 45
    problem = settings.save()
    assert problem is not None
    assert problem.text("zh", spoken=True) == "设置文件 settings.toml 第2行第10列有错误，修改没有保存，改正后会保存"
    assert str(Settings.file()) in problem.text("zh")
    settings.rate = 50
    assert settings.save() is None  # said once, not at every key press
    assert Settings.file().read_bytes() == before


def test_a_file_that_is_not_utf8_is_not_overwritten():
    path = Settings.file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes('theme = "黄底黑字"\n'.encode("gbk"))
    before = path.read_bytes()
    settings = Settings.load()
    [(shown, spoken)] = settings.messages("zh")
    assert spoken == "设置文件 settings.toml 无法读取（不是 UTF-8 编码），已使用默认设置，修改不会保存"
    assert shown.startswith(f"设置文件 {path} 无法读取")
    settings.volume = 80
    settings.save()
    assert path.read_bytes() == before


def test_comments_order_and_unknown_keys_survive_a_save():
    write(MINE)
    settings = Settings.load()
    settings.rate = 35
    settings.lang = "en"
    settings.keys = {"say_all": "space,p", "stop": "x"}
    settings.save()
    text = Settings.file().read_text(encoding="utf-8")
    expected_lines = MINE.replace('lang = "zh"   # 中文界面', 'lang = "en"   # 中文界面').splitlines()
    lines = text.splitlines()
    # every line the user wrote is still there, in the same order (the new ones are added)
    it = iter(lines)
    assert all(any(line == got for got in it) for line in expected_lines), text
    assert lines.count("rate = 35") == 1 and lines.count('stop = "x"') == 1
    assert lines.index('stop = "x"') > lines.index("[keys]")  # in the table, not above it
    again = Settings.load()
    assert (again.rate, again.lang, again.keys) == (35, "en", {"say_all": "space,p", "stop": "x"})


def test_an_invalid_value_is_reported_left_in_place_and_replaced_only_when_changed_in_the_app():
    write(MINE)
    settings = Settings.load()
    assert settings.measure == 0
    assert ("设置文件 settings.toml：设置项 measure 应在0到200之间，已使用默认值"
            in [spoken for _, spoken in settings.messages("zh")])
    settings.theme = "black-on-white"
    settings.save()
    text = Settings.file().read_text(encoding="utf-8")
    assert "measure = -3\n" in text and 'theme = "black-on-white"\n' in text
    settings.measure = 40
    settings.save()
    text = Settings.file().read_text(encoding="utf-8")
    assert "measure = 40\n" in text and "measure = -3" not in text
    assert text.startswith("# my settings\n")


def test_a_save_with_nothing_changed_writes_nothing():
    odd = 'rate=30\n\n\n[keys]\nsay_all="p"\n'
    before = write(odd)
    Settings.load().save()
    assert Settings.file().read_bytes() == before


def test_only_the_changed_binding_is_touched_and_removed_bindings_go():
    write('[keys]\nsay_all = "p"  # mine\nstop = "x"\nbookmark = "m"\n')
    settings = Settings.load()
    settings.keys = {"say_all": "p", "bookmark": "b"}
    settings.save()
    assert Settings.file().read_text(encoding="utf-8") == '[keys]\nsay_all = "p"  # mine\nbookmark = "b"\n'


def test_edits_made_in_the_file_while_the_app_runs_are_kept():
    write('rate = 30\n')
    settings = Settings.load()
    write('rate = 30\n# added by hand\nvoice = "mandarin"\n')
    settings.volume = 70
    settings.save()
    data = tomllib.loads(Settings.file().read_text(encoding="utf-8"))
    assert data == {"rate": 30, "voice": "mandarin", "volume": 70}
    assert "# added by hand" in Settings.file().read_text(encoding="utf-8")


def test_windows_line_ends_stay_windows_line_ends():
    path = Settings.file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'# mine\r\nrate = 30\r\n[keys]\r\nsay_all = "p"\r\n')
    settings = Settings.load()
    settings.volume = 70
    settings.save()
    raw = path.read_bytes()
    assert raw.startswith(b"# mine\r\nrate = 30\r\n") and b"volume = 70\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_a_new_file_holds_only_what_was_changed():
    settings = Settings.load()
    settings.rate = 35
    settings.save()
    assert Settings.file().read_text(encoding="utf-8") == "rate = 35\n"


def test_saves_go_through_the_one_atomic_writer(monkeypatch: pytest.MonkeyPatch):
    from reader.library import atomic

    calls = []
    original = atomic.write_text

    def spy(target, text, **kwargs):
        calls.append(target)
        return original(target, text, **kwargs)

    monkeypatch.setattr(atomic, "write_text", spy)
    write("rate = 30\n")
    settings = Settings.load()
    settings.rate = 31
    settings.save()
    assert calls == [Settings.file()]
    assert sorted(p.name for p in Settings.file().parent.iterdir()) == ["settings.toml"]
    assert settings_module.Settings.load().rate == 31


def test_one_bad_binding_is_reported_and_the_other_rebindings_stay():
    """Audit 3, finding 6: ``rate_up = ""`` used to drop the whole [keys] table."""
    write('[keys]\nstop = "x"\nrate_up = ""\nbookmark = "m"\n')
    settings = Settings.load()
    assert settings.keys == {"stop": "x", "bookmark": "m"}
    assert len(settings.errors) == 1 and "rate_up" in settings.errors[0]
    settings.keys = {**settings.keys, "bookmark": "n"}
    settings.save()  # the refused entry stays as the user wrote it
    assert Settings.file().read_text(encoding="utf-8") == (
        '[keys]\nstop = "x"\nrate_up = ""\nbookmark = "n"\n'
    )
