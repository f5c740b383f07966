"""In the app: a settings file with a typo survives key presses, and the warning is in the UI language.

Audit 2, finding 3 (and section 13): a missing quote in settings.toml, then ``]``
(one speed step), replaced the whole file with ``rate = 35``; the warning was
spoken in English with the full path in the Chinese interface.
"""

from __future__ import annotations

import tomllib

from reader.settings import Settings
from tests.ui.helpers import keys, open_first, run_app

TYPO = 'lang = "zh"\ntheme = "yellow-on-black\npinyin = "sentence"\n[keys]\nsay_all = "space,p"\n'
SPOKEN_ZH = "设置文件 settings.toml 第2行第25列有错误，已使用默认设置，修改不会保存"


def write(text: str) -> bytes:
    path = Settings.file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path.read_bytes()


def test_a_typo_file_stays_byte_for_byte_after_a_change_in_the_app():
    before = write(TYPO)

    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "right_square_bracket")
        assert app.voice.spoken[-1] == "语速35"
        assert Settings.file().read_bytes() == before
        await keys(pilot, "right_square_bracket", "left_curly_bracket")
        assert (app.settings.rate, app.settings.volume) == (40, 90)  # kept in memory
        assert Settings.file().read_bytes() == before
        status = str(app.screen.query_one("#status").render())
        assert "语速40" in status
        # told once, at the start; the key presses do not repeat it
        assert sum("修改" in s for s in app.voice.spoken) == 1

    run_app(script)
    assert Settings.file().read_bytes() == before


def test_the_settings_warning_is_spoken_in_chinese_without_the_path_and_shown_with_it():
    write(TYPO)

    async def script(pilot, app):
        await pilot.pause()
        app.voice.wait_idle()
        spoken = "\n".join(app.voice.spoken)
        assert SPOKEN_ZH in spoken
        assert str(Settings.file().parent) not in spoken and "not valid TOML" not in spoken
        shown = [n.message for n in app._notifications]
        assert any(
            m.startswith(f"设置文件 {Settings.file()} 第2行第25列有错误") and m.endswith("修改不会保存")
            for m in shown
        ), shown

    run_app(script)


def test_the_settings_warning_follows_the_interface_language():
    write(TYPO)

    async def script(pilot, app):
        await pilot.pause()
        spoken = "\n".join(app.voice.spoken)
        assert "settings.toml: not valid TOML at line 2, column 25; defaults used" in spoken
        assert "设置文件" not in spoken

    run_app(script, lang="en")


def test_a_file_broken_while_the_app_runs_is_not_overwritten_and_the_user_is_told_once():
    write('# mine\nrate = 30\n')

    async def script(pilot, app):
        await open_first(pilot, app)
        before = write('# mine\nrate = 30\nvolume = \n')  # being edited in another window
        await keys(pilot, "right_square_bracket")
        assert Settings.file().read_bytes() == before
        said = [s for s in app.voice.spoken if "修改没有保存" in s]
        assert said == ["设置文件 settings.toml 第3行第10列有错误，修改没有保存，改正后会保存"]
        await keys(pilot, "right_square_bracket")
        assert sum("修改没有保存" in s for s in app.voice.spoken) == 1
        assert Settings.file().read_bytes() == before
        # fixed: the next change is saved, with the user's lines kept
        write('# mine\nrate = 30\nvolume = 80\n')
        await keys(pilot, "right_square_bracket")
        text = Settings.file().read_text(encoding="utf-8")
        assert text.startswith("# mine\n")
        assert tomllib.loads(text) == {"rate": 45, "volume": 80}

    run_app(script)
