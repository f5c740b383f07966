"""Help and the command palette name every key in words a listener can hear.

The screen shows compact glyphs (→, ], PgDn); speech goes through the
planner, which drops symbols and spells "Ctrl", so each spoken line is checked
through the same planner and renderer that ``reader say --show`` prints.
"""

from __future__ import annotations

import re

import pytest

from reader.speech.drivers.espeak import render_ssml
from reader.speech.plan import plan_text
from reader.speech.settings import load_profile
from reader.ui import keymap
from tests.ui.helpers import keys, open_first, run_app


def engine_input(text: str) -> list[tuple[str, str]]:
    """(kind, engine text) of every spoken segment of ``text``, as the planner makes them."""
    return [
        (seg.kind, seg.engine_text)
        for utt in plan_text(text)
        for seg in utt.segments
        if seg.kind != "pause"
    ]


def said(text: str) -> str:
    """What the engine receives, markup removed, for comparing two key names."""
    settings = load_profile("mandarin").settings
    return " ".join(
        " ".join(re.sub(r"<[^>]+>", " ", render_ssml(utt, settings)).split())
        for utt in plan_text(text)
    )


@pytest.mark.parametrize(
    ("lang", "shown", "spoken", "heard"),
    [
        ("zh", "→：下一个字", "右方向键：下一个字", "you4 fang1 xiang4 jian4"),
        ("zh", "Ctrl+→：下一个词", "控制加右方向键：下一个词", "kong4 zhi4 jia1 you4 fang1 xiang4 jian4"),
        ("zh", "] / +：加快语速", "右方括号或加号：加快语速", "you4 fang1 kuo4 hao4 huo4 jia1 hao4"),
        ("zh", "}：加大音量", "右花括号：加大音量", "you4 hua1 kuo4 hao4"),
        ("zh", "{：减小音量", "左花括号：减小音量", "zuo3 hua1 kuo4 hao4"),
        ("zh", "/：搜索", "斜杠：搜索", "xie2 gang4"),
        ("zh", "N：上一个搜索结果", "大写N：上一个搜索结果", "da4 xie3"),
        ("zh", "Ctrl+↓ / PgDn：下一段", "控制加下方向键或下翻页：下一段", "xia4 fan1 ye4"),
        ("zh", "Space：朗读/暂停", "空格：朗读/暂停", "kong4 ge2"),
        ("zh", "Enter：打开文章（从上次的位置）", "回车：打开文章（从上次的位置）", "hui2 che1"),
        ("en", "→: next character", "Right arrow: next character", "Right arrow"),
        ("en", "Ctrl+→: next word", "Control plus Right arrow: next word", "Control plus Right arrow"),
        ("en", "] / +: faster", "Right bracket or Plus: faster", "Right bracket or Plus"),
        ("en", "N: previous match", "Shift N: previous match", "Shift"),
        ("en", "Ctrl+↓ / PgDn: next paragraph", "Control plus Down arrow or Page Down: next paragraph", "Page Down"),
    ],
)
def test_help_line_is_shown_with_glyphs_and_said_with_key_names(lang, shown, spoken, heard):
    entries = keymap.help_entries(lang, {})
    assert (shown, spoken) in entries
    assert heard in said(spoken)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_key_of_every_help_line_is_heard_and_no_two_sound_alike(lang):
    """No key part is dropped, nothing is spelled letter by letter, n and N differ."""
    colon = ": " if lang == "en" else "："
    heard_keys: dict[str, set[str]] = {}
    for spec in keymap.SPECS:
        spoken = keymap.keys_spoken(spec, {}, lang)
        segments = engine_input(spoken)
        assert segments, f"{spec.id}: {spoken!r} says nothing"
        for kind, text in segments:
            # a spelled run longer than one letter is "C t r l" or "P g D n"
            assert kind != "spell" or len(text.split()) == 1, (spec.id, spoken, text)
        heard_keys.setdefault(spec.scope, set())
        for key in keymap.effective_keys(spec, {}):
            sound = said(keymap.key_spoken(key, lang))
            assert sound, (spec.id, key)
            assert sound not in heard_keys[spec.scope] or spec.id.startswith("library"), (
                f"{spec.id}: {key} sounds like another key of its screen: {sound}"
            )
            heard_keys[spec.scope].add(sound)
        line = f"{spoken}{colon}{spec.describe(lang)}"
        assert any(said_line == line for _, said_line in keymap.help_entries(lang, {}))
    assert said(keymap.key_spoken("n", lang)) != said(keymap.key_spoken("N", lang))
    assert said(keymap.key_spoken("h", lang)) != said(keymap.key_spoken("H", lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_dialog_lines_name_their_keys_in_words(lang):
    entries = keymap.help_entries(lang, {})
    shown = [s for s, _ in entries]
    spoken = [s for _, s in entries]
    assert not any("{" in line or "}" in line for line in shown[-4:])
    last_shown, last_said = shown[-1], spoken[-1]
    assert "?" in last_shown and "Esc" in last_shown
    question = "问号" if lang == "zh" else "Question mark"
    assert question in last_said and "?" not in last_said
    assert "wen4 hao4" in said(last_said) if lang == "zh" else "Question mark" in said(last_said)


def test_rebinding_changes_what_help_says():
    entries = keymap.help_entries("zh", {"search": "ctrl+f", "rate_up": "plus"})
    assert ("Ctrl+f：搜索", "控制加F：搜索") in entries
    assert ("+：加快语速", "加号：加快语速") in entries


def test_help_screen_speaks_key_names_line_by_line():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "f1")
        assert app.voice.spoken[-1] == "帮助。上下方向键逐行阅读帮助，Escape 返回。"
        await keys(pilot, "down", "down", "down")  # intro, heading (the blank is skipped), Space
        assert app.voice.spoken[-1] == "空格：朗读/暂停"
        await keys(pilot, "down", "down")
        assert app.voice.spoken[-1] == "右方向键：下一个字"
        shown = str(app.screen.query_one("OptionList").get_option_at_index(6).prompt)
        assert shown == "→：下一个字"

    run_app(script)


def test_help_screen_in_english_speaks_key_names():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "f1", *["down"] * 7)
        assert app.voice.spoken[-1] == "Control plus Right arrow: next word"

    run_app(script, lang="en")


@pytest.mark.parametrize(
    ("lang", "spoken"),
    [("zh", "上一个字，左方向键"), ("en", "previous character, Left arrow")],
)
def test_command_palette_entries_say_their_keys(lang, spoken):
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "ctrl+p")
        await pilot.pause(0.3)
        heard: list[str] = []
        for _ in range(40):
            mark = len(app.voice.spoken)
            await keys(pilot, "down")
            heard.extend(app.voice.spoken[mark:])
            if spoken in heard:
                break
        assert spoken in heard, heard
        assert not any("←" in line or "→" in line or "Ctrl" in line for line in heard)

    run_app(script, lang=lang)


def test_palette_entry_is_shown_compact_and_said_in_words():
    spec = keymap.BY_ID["search_prev"]
    assert keymap.palette_entry(spec, "zh", {}) == ("上一个搜索结果 (N)", "上一个搜索结果，大写N")
    assert keymap.palette_entry(spec, "en", {}) == ("previous match (N)", "previous match, Shift N")


def test_press_key_hints_follow_the_live_keymap_and_say_the_key():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "n")  # no search yet: the hint names the search key, rebound
        assert app.voice.spoken[-1] == "还没有搜索，按控制加F搜索"

    from reader.settings import Settings

    settings = Settings()
    settings.keys = {"search": "ctrl+f"}
    run_app(script, settings=settings)


def test_press_key_hint_in_english_names_the_key_in_words():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "n")
        assert app.voice.spoken[-1] == "No search yet; press Slash to search"

    run_app(script, lang="en")


def test_search_box_prompt_shows_esc_and_says_escape():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "slash")
        assert app.voice.spoken[-1] == "搜索：输入文字，回车确定，Escape 取消"
        title = app.screen.query_one(".title")
        assert str(title.render()) == "搜索：输入文字，回车确定，Esc 取消"

    run_app(script)
