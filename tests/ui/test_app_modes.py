"""Settings the app honours: language, screen-reader mode, verbosity, bad settings."""

from __future__ import annotations

from reader.settings import Settings
from reader.ui.first_words import detect_screen_reader
from reader.ui.screens import ReadingScreen
from tests.ui.helpers import keys, open_first, run_app


def test_english_interface():
    async def script(pilot, app):
        assert app.voice.spoken[0].startswith("Library, 2 articles.")
        await open_first(pilot, app)
        await keys(pilot, "down", "w")
        assert app.voice.spoken[-1].startswith("银行发布年度报告, paragraph 2 of 6, sentence 1 of 3")
        assert "speed 30" in app.voice.spoken[-1]
        status = str(app.screen.query_one("#status").render())
        assert "paragraph 2/6" in status

    run_app(script, lang="en")


def test_language_from_settings_file(reader_home):
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text('lang = "en"\n', encoding="utf-8")

    async def script(pilot, app):
        assert app.lang == "en"
        assert app.voice.spoken[0].startswith("Library")

    run_app(script)


def test_screen_reader_mode_is_silent_and_places_the_cursor():
    async def script(pilot, app):
        assert app.voice.spoken == []
        assert app.has_class("-screen-reader")
        assert app.animation_level == "none"
        # the library cursor sits on the highlighted item
        option_list = app.screen.query_one("OptionList")
        assert app.cursor_position.y == option_list.content_region.y
        await keys(pilot, "down")
        assert app.cursor_position.y == option_list.content_region.y + 1
        await keys(pilot, "up", "enter")
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        await keys(pilot, "down", "ctrl+right")  # over "，" to 银行
        await pilot.pause()
        view = screen.view
        assert app.cursor_position == view.caret_screen_offset()
        # the cursor is on the character at the caret: row of the paragraph, column of 银
        region = view.content_region
        row = app.cursor_position.y - region.y
        assert view.visible_text()[row].startswith("今天，银行")
        assert app.cursor_position.x - region.x == 6  # 今天， = three wide cells
        # explicit questions are answered in the status line, in plain words
        await keys(pilot, "w")
        status = str(screen.query_one("#status").render())
        assert status.startswith("银行发布年度报告，第2段，共6段")
        assert app.voice.spoken == []
        # no footer of key glyphs, no decoration
        assert not app.screen.query_one("Footer").display

    run_app(script, screen_reader=True)


def test_screen_reader_detection_from_environment():
    assert detect_screen_reader({"READER_SCREEN_READER": "1"}) is True
    assert detect_screen_reader({"READER_SCREEN_READER": "0"}) is False


def test_screen_reader_setting():
    settings = Settings()
    settings.screen_reader = "on"

    async def script(pilot, app):
        assert app.screen_reader and app.voice.spoken == []

    run_app(script, settings=settings)


def test_verbosity_brief_drops_counts_and_ctrl_b_cycles():
    settings = Settings()
    settings.verbosity = "brief"

    async def script(pilot, app):
        assert "第1项" not in app.voice.spoken[0]
        await keys(pilot, "ctrl+b")
        assert app.voice.spoken[-1] == "提示详细程度：正常"
        assert app.settings.verbosity == "normal"
        await keys(pilot, "down")
        assert "第2项，共2项" in app.voice.spoken[-1]

    run_app(script, settings=settings)
    assert Settings.load().verbosity == "normal"


def test_bad_settings_are_reported_in_one_line_and_defaults_used(reader_home):
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text(
        'lang = "fr"\nrate = "fast"\n[keys]\nsay_all = "p"\n', encoding="utf-8"
    )

    async def script(pilot, app):
        assert app.lang == "zh"
        spoken = "\n".join(app.voice.spoken)
        # in the interface language, the file named but not its folder (audit 2, section 13)
        assert "设置文件 settings.toml：设置项 lang 应是 zh、en 之一，已使用默认值" in spoken
        assert "设置文件 settings.toml：设置项 rate 应是数字，已使用默认值" in spoken
        assert str(reader_home) not in spoken
        assert app.key_overrides["say_all"] == "p"  # kept; p was current_paragraph's:
        assert "current_paragraph" in spoken  # that clash is reported too

    run_app(script)


def test_unreadable_settings_file_is_reported(reader_home):
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text("lang = \n", encoding="utf-8")

    async def script(pilot, app):
        assert any("设置文件 settings.toml 第1行第8列有错误" in s for s in app.voice.spoken)

    run_app(script)


def test_open_straight_into_an_article():
    async def script(pilot, app):
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        assert app.screen.article.id == "bbbb000002"
        assert app.voice.spoken[-1].startswith("打开 第二篇文章")

    run_app(script, open_id="bbbb000002")


def test_cli_maps_no_command_and_read_to_the_app(monkeypatch):
    import reader.commands.app as app_command
    from reader import cli

    calls = []
    monkeypatch.setattr(app_command, "_run", lambda args, article_id: calls.append((args, article_id)) or 0)
    assert cli.main(["--lang", "en", "--screen-reader"]) == 0
    args, article_id = calls[-1]
    assert article_id is None and args.lang == "en" and args.screen_reader is True
    assert cli.main(["read", "2"]) == 0
    assert calls[-1][1] == "bbbb000002"
    assert cli.main(["open", "aaaa"]) == 0
    assert calls[-1][1] == "aaaa000001"
    assert cli.main(["open", "nope"]) == 2  # one line on stderr, no traceback


def test_verbose_adds_key_hints():
    settings = Settings()
    settings.verbosity = "verbose"

    async def script(pilot, app):
        assert app.voice.spoken[0].endswith("上下方向键选择，回车打开，斜杠搜索，F1 帮助")
        await open_first(pilot, app)
        assert "空格朗读，上下方向键逐句，w 我在哪里，F1 帮助" in app.voice.spoken[-1]

    run_app(script, settings=settings)


def test_app_without_a_terminal_points_to_plain_reading_and_exits():
    """stdin/stdout not a terminal: one line naming the plain commands, exit 2, no hang."""
    import subprocess
    import sys

    for stdin, stdout in ((subprocess.DEVNULL, subprocess.PIPE), (None, subprocess.PIPE)):
        done = subprocess.run(
            [sys.executable, "-m", "reader"],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=20,
            text=True,
        )
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert "reader read ID --plain" in lines[0] and "reader list" in lines[0]
        assert done.stdout == ""


def test_bad_key_name_is_reported_and_the_default_key_stays(reader_home):
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text(
        '[keys]\nsay_all = "ctrl+zz"\nbookmark = "m"\n', encoding="utf-8"
    )

    async def script(pilot, app):
        assert app.key_overrides == {"bookmark": "m"}
        errors = [s for s in app.voice.spoken if "ctrl+zz" in s]
        assert len(errors) == 1 and "say_all" in errors[0] and "\n" not in errors[0]
        await open_first(pilot, app)
        await keys(pilot, "space")
        assert app.screen.state == "reading"  # Space still reads
        footer = " ".join(str(b) for b in app.screen.active_bindings)
        assert "ctrl+zz" not in footer

    run_app(script)


def test_no_sound_fallback_is_said_and_shown_in_the_interface_language(monkeypatch):
    """The speech layer's English fallback line reaches a Chinese UI in Chinese."""
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/reader-test/native")

    async def script(pilot, app):
        await pilot.pause()
        spoken = "\n".join(app.voice.spoken)
        assert "没有找到声卡或声音服务器" in spoken
        assert "reading continues without sound" not in spoken
        shown = [n.message for n in app._notifications]
        assert any("没有找到声卡或声音服务器" in m for m in shown)
        assert not any("install espeak-ng" in m for m in shown)

    run_app(script, speech_driver="auto")

    async def english(pilot, app):
        await pilot.pause()
        assert any(s.startswith("no sound device or sound server found") for s in app.voice.spoken)
        assert not any("install espeak-ng" in s for s in app.voice.spoken)

    run_app(english, speech_driver="auto", lang="en")
