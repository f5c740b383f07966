"""Notifications are heard: none is cut off by the next one or by a screen's announcement.

What reaches the speech manager is recorded (text, interrupt): a message is heard
when no interrupting request follows it, since each interrupting ``say`` silences
everything before it.
"""

from __future__ import annotations

import asyncio

import pytest

from reader.speech.manager import SpeechManager
from tests.ui.helpers import keys, run_app


@pytest.fixture
def said(monkeypatch):
    """Every ``say`` the manager receives, in order, with its interrupt flag."""
    calls: list[tuple[str, bool]] = []
    original = SpeechManager.say

    def say(self, text, interrupt=True, lang="zh"):
        calls.append((text, interrupt))
        return original(self, text, interrupt, lang)

    monkeypatch.setattr(SpeechManager, "say", say)
    return calls


def heard(calls: list[tuple[str, bool]], fragment: str) -> bool:
    """``fragment`` is in a request that no later interrupting request cuts off."""
    for i, (text, _) in enumerate(calls):
        if fragment in text and not any(interrupt for _, interrupt in calls[i + 1 :]):
            return True
    return False


def test_startup_warnings_are_not_cut_off_by_the_library_announcement(reader_home, said):
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text(
        'lang = "fr"\nrate = "fast"\n', encoding="utf-8"
    )

    async def script(pilot, app):
        await pilot.pause()
        app.voice.wait_idle()
        assert heard(said, "文库，2篇文章")
        assert heard(said, "设置项 lang 应是 zh、en 之一")
        assert heard(said, "设置项 rate 应是数字")

    run_app(script)


def test_import_summary_and_every_refusal_are_heard(tmp_path, said):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "好文章.txt").write_text("新的文章标题\n\n这是一篇新导入的文章。\n", encoding="utf-8")
    (folder / "空的.txt").write_text("", encoding="utf-8")
    (folder / "二进制.txt").write_bytes(bytes(range(256)) * 8)

    async def script(pilot, app):
        await keys(pilot, "i")
        await pilot.press(*str(folder))
        await keys(pilot, "enter")
        for _ in range(200):
            if any(s.startswith("导入完成") for s in app.voice.spoken):
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        app.voice.wait_idle()
        assert heard(said, "导入完成：新增1篇，重复0篇，拒绝2篇")
        assert heard(said, "空的.txt")
        assert heard(said, "二进制.txt")
        # said with the file's name, not its folder's path
        refusals = [text for text, _ in said if "未导入" in text]
        assert refusals and not any(str(folder) in text for text in refusals), refusals
        # a key still interrupts them
        await keys(pilot, "down")
        assert said[-1][1] is True

    run_app(script)


def test_a_notice_after_a_key_is_queued_behind_the_keys_answer(said):
    async def script(pilot, app):
        await keys(pilot, "down")
        app.notify("第一条", severity="warning")
        app.notify("第二条", severity="warning")
        await pilot.pause()
        app.voice.wait_idle()
        assert said[-3][1] is True  # the key's answer interrupts
        assert said[-2:] == [("第一条", False), ("第二条", False)]

    run_app(script)


def test_an_import_that_fails_outright_is_reported_in_the_interface_language(
    tmp_path, monkeypatch
):
    from reader.errors import UserError
    from reader.library.store import Library

    def fail(self, sources, **options):
        raise UserError('empty path ("")', code="import_empty_path")

    monkeypatch.setattr(Library, "import_paths", fail)

    async def script(pilot, app):
        await keys(pilot, "i")
        await pilot.press(*str(tmp_path))
        await keys(pilot, "enter")
        for _ in range(100):
            if any("路径是空的" in s for s in app.voice.spoken):
                break
            await asyncio.sleep(0.05)
        assert any("路径是空的" in s for s in app.voice.spoken), app.voice.spoken[-3:]

    run_app(script)
