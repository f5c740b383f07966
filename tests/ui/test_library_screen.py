"""The library screen's search and import, through the real library and catalog."""

from __future__ import annotations

import asyncio

from reader.ui.screens import LibraryScreen, SearchScreen
from tests.ui.helpers import keys, run_app


def test_library_search_filters_and_escape_shows_all():
    async def script(pilot, app):
        await keys(pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        assert app.voice.spoken[-1].startswith("搜索文库")
        await keys(pilot, "长", "治", "enter")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert [e.id for e in screen.entries] == ["aaaa000001"]
        assert app.voice.spoken[-1].startswith("找到1篇文章，Escape 显示全部。银行发布年度报告")
        await keys(pilot, "escape")
        assert len(screen.entries) == 2
        assert app.voice.spoken[-1].startswith("文库，2篇文章。")

    run_app(script)


def test_import_a_file_from_the_library_screen(tmp_path):
    source = tmp_path / "新文章.txt"
    source.write_text("新的文章标题\n\n这是一篇新导入的文章。它有两句话。\n", encoding="utf-8")

    async def script(pilot, app):
        await keys(pilot, "i")
        assert app.voice.spoken[-1].startswith("导入")
        await pilot.press(*str(source))
        await keys(pilot, "enter")
        screen = app.screen
        for _ in range(200):
            if any(s.startswith("导入完成") for s in app.voice.spoken):
                break
            await asyncio.sleep(0.05)
        done = [s for s in app.voice.spoken if s.startswith("导入完成")]
        assert done and done[0].startswith("导入完成：新增1篇，重复0篇，拒绝0篇")
        assert len(screen.entries) == 3

    run_app(script)
