"""Closing a dialog says where focus went; the command palette speaks the UI language."""

from __future__ import annotations

from reader.ui.screens import LibraryScreen, ReadingScreen
from tests.ui.helpers import keys, open_first, run_app


def test_escape_from_each_dialog_is_announced():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "b", "a")
        assert app.voice.spoken[-1].startswith("书签，1个")
        await keys(pilot, "escape")
        assert isinstance(app.screen, ReadingScreen)
        assert app.voice.spoken[-1] == "已关闭书签列表，返回阅读"
        await keys(pilot, "slash", "escape")
        assert app.voice.spoken[-1] == "已取消搜索，返回阅读"
        await keys(pilot, "f1", "escape")
        assert isinstance(app.screen, ReadingScreen)
        assert app.voice.spoken[-1].startswith("已关闭帮助，返回阅读。银行发布年度报告")
        await keys(pilot, "ctrl+p")
        await pilot.pause(0.3)
        await keys(pilot, "escape")
        assert isinstance(app.screen, ReadingScreen)
        assert app.voice.spoken[-1] == "已关闭命令面板，返回阅读"
        await keys(pilot, "backspace")
        assert isinstance(app.screen, LibraryScreen)
        await keys(pilot, "i", "escape")
        assert app.voice.spoken[-1] == "已取消导入，返回文库"
        await keys(pilot, "slash", "escape")
        assert app.voice.spoken[-1] == "已取消搜索，返回文库"

    run_app(script)


def test_escape_from_a_dialog_in_english():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "f1", "escape")
        assert app.voice.spoken[-1].startswith("Help closed, back to reading. ")

    run_app(script, lang="en")


def test_command_palette_placeholder_is_in_the_ui_language_and_typing_is_echoed():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "ctrl+p")
        await pilot.pause(0.3)
        field = app.screen.query_one("CommandInput")
        assert field.placeholder == "搜索命令"
        assert "Search" not in field.placeholder
        mark = len(app.voice.spoken)
        await keys(pilot, "s")
        assert "s" in app.voice.spoken[mark:]
        await keys(pilot, "backspace")
        assert "删除 s" in app.voice.spoken[mark:]

    run_app(script)


def test_command_palette_beside_a_screen_reader_has_no_border_or_emoji():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "ctrl+p")
        await pilot.pause(0.3)
        palette = app.screen
        assert "CommandPalette" in [c.__name__ for c in type(palette).__mro__]
        assert not palette.query_one("SearchIcon").display
        for widget in palette.query("#--input, CommandList, LoadingIndicator, CommandInput"):
            for edge in ("top", "bottom", "left", "right"):
                kind = getattr(widget.styles, f"border_{edge}")[0]
                assert kind in ("", "none", "hidden"), (widget, edge, kind)
        svg = app.export_screenshot()
        assert "▔" not in svg and "🔎" not in svg
        assert "搜" in svg and "命" in svg  # the placeholder (the SVG splits wide characters)

    run_app(script, screen_reader=True)
