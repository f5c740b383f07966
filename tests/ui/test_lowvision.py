"""Low-vision keys, the settings screen and large print in the running app."""

from __future__ import annotations

import tomllib

from reader.layout.theme import builtin_themes
from reader.settings import Settings
from reader.ui.largeprint import LargePrint
from reader.ui.lowvision import LowVisionScreen, Presentation
from reader.ui.reading_view import ReadingView
from tests.ui.helpers import keys, open_first, run_app


def saved(reader_home) -> dict:
    return tomllib.loads((reader_home / "config" / "settings.toml").read_text(encoding="utf-8"))


def test_direct_keys_change_speak_and_save(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        assert isinstance(view.presentation, Presentation)
        assert view.presentation.theme.name == "ansi"
        await keys(pilot, "t")
        assert view.presentation.theme.name == "white-on-black"
        assert app.voice.spoken[-1] == "配色：黑底白字"
        assert app.theme == "reader-white-on-black"
        await keys(pilot, "y")
        assert view.layout_options().pinyin == "all"
        assert app.voice.spoken[-1] == "拼音：全文"
        rows = [view.rows(bi) for bi in range(2)]
        assert any(r.kind == "ruby" for block in rows for r in block)
        await keys(pilot, "f")
        assert view.presentation.focus == "sentence"
        await keys(pilot, "less_than_sign")  # from the window's width, one step narrower
        narrower = view.content_size.width - 2
        assert view.max_width == narrower and view.layout_options().width == narrower
        data = saved(reader_home)
        assert data["theme"] == "white-on-black" and data["pinyin"] == "all"
        assert data["focus"] == "sentence" and data["measure"] == narrower

    run_app(script)


def test_settings_survive_a_restart(reader_home):
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text(
        'theme = "yellow-on-black"\npinyin = "sentence"\nletter_spacing = true\n', encoding="utf-8"
    )

    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        assert view.presentation.theme.name == "yellow-on-black"
        opts = view.layout_options()
        assert opts.pinyin == "sentence" and opts.letter_spacing

    run_app(script)


def test_settings_screen_is_keyboard_only_spoken_and_saved(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "f2")
        assert isinstance(app.screen, LowVisionScreen)
        assert app.voice.spoken[-1].startswith("低视力设置")
        await keys(pilot, "right")  # theme: ansi -> white-on-black
        assert app.voice.spoken[-1] == "配色：黑底白字"
        assert app.settings.theme == "white-on-black"
        await keys(pilot, "down")
        assert app.voice.spoken[-1].startswith("文字宽度")
        await keys(pilot, "down", "right")  # letter spacing on
        assert app.voice.spoken[-1] == "字间距：开"
        preview = app.screen.query_one("#lv-preview")
        assert preview._rows  # previewed at once
        assert saved(reader_home)["letter_spacing"] is True
        await keys(pilot, "escape")
        view = app.screen.query_one(ReadingView)
        assert view.layout_options().letter_spacing

    run_app(script)


def test_large_print_follows_the_caret(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "z")
        assert app.voice.spoken[-1] == "大字：当前词"
        panel = app.screen.query_one(LargePrint)
        assert panel.available
        first = panel.rows_text()
        assert len(first) >= panel.glyph_size and any(set(r) & set("▀▄█") for r in first)
        await keys(pilot, "down")  # next sentence
        assert panel.rows_text() != first
        await keys(pilot, "z")  # sentence
        await keys(pilot, "z")  # off
        assert not app.screen.query(LargePrint)

    run_app(script)


def test_no_color_uses_the_monochrome_theme(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        assert view.presentation.theme.name == "mono"
        await keys(pilot, "t")
        assert view.presentation.theme.name == "mono"
        assert "NO_COLOR" in app.voice.spoken[-1]

    run_app(script, settings=Settings())


def test_every_theme_draws_the_view(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        seen = set()
        for _ in builtin_themes():
            seen.add(view.presentation.theme.name)
            strip = view.render_line(2)
            assert strip.cell_length == view.content_size.width
            await keys(pilot, "t")
        assert seen == set(builtin_themes())

    run_app(script)


def test_focus_keeps_the_current_line_at_one_height(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "f")
        view = app.screen.query_one(ReadingView)
        heights = []
        for _ in range(6):
            await keys(pilot, "down")
            offset = view.caret_screen_offset()
            assert offset is not None
            heights.append(offset.y)
        # once the text above is long enough, the line being read stays put
        assert len(set(heights[-3:])) == 1, heights

    run_app(script, settings=Settings(line_spacing=2, paragraph_spacing=3, measure=20))


def test_no_large_print_panel_beside_a_screen_reader(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        assert not app.screen.query(LargePrint)

    run_app(script, settings=Settings(large_print="word"), screen_reader=True)


def test_large_print_without_a_cjk_font_says_so_in_one_line(reader_home, monkeypatch):
    monkeypatch.setenv("READER_CJK_FONT", str(reader_home / "no-such-font.ttc"))

    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "z")
        assert "fonts-wqy-zenhei" in app.voice.spoken[-1]
        panel = app.screen.query_one(LargePrint)
        assert not panel.available
        assert len(panel.rows_text()) == 1 and "fonts-wqy-zenhei" in panel.rows_text()[0]

    run_app(script)


def test_unknown_theme_and_broken_theme_files_are_reported_in_one_line(reader_home):
    (reader_home / "config" / "themes").mkdir(parents=True)
    (reader_home / "config" / "themes" / "broken.toml").write_text("name = \n", encoding="utf-8")
    (reader_home / "config" / "settings.toml").write_text('theme = "purple"\n', encoding="utf-8")

    async def script(pilot, app):
        spoken = " ".join(app.voice.spoken)
        assert "broken.toml" in spoken and "not valid TOML" in spoken
        assert "'purple' not found" in spoken
        await open_first(pilot, app)
        assert app.screen.query_one(ReadingView).presentation.theme.name == "ansi"

    run_app(script)


def test_setting_values_step_clamp_and_survive_junk():
    from reader.ui.lowvision import announce_setting, get, step_value

    class Junk:
        theme = 42
        measure = "wide"
        line_spacing = 99
        pinyin = "loud"
        letter_spacing = True

    assert get(Junk, "theme") == "ansi" and get(Junk, "measure") == 0
    assert get(Junk, "line_spacing") == 3 and get(Junk, "pinyin") == "off"
    assert get(Junk, "large_print_size") == 6
    # the text width steps from what is on screen (window 100 cells; 0 is "随窗口")
    assert step_value("measure", 0, -1, 100) == 98  # narrower: the window's width minus a step
    assert step_value("measure", 0, 1, 100) == 0  # wider: already the widest
    assert step_value("measure", 96, 1, 100) == 98
    assert step_value("measure", 98, 1, 100) == 0  # up to the window's width: "随窗口" again
    assert step_value("measure", 99, 1, 100) == 0  # (an odd width too)
    assert step_value("measure", 120, -1, 80) == 78  # wider than the window counts as the window
    assert step_value("measure", 120, 1, 80) == 0
    assert step_value("measure", 40, 1, 100) == 42 and step_value("measure", 40, -1, 100) == 38
    assert step_value("measure", 10, -1, 80) == 10  # the narrowest stays (it never jumps to wide)
    assert step_value("measure", 11, -1, 80) == 11
    assert step_value("pinyin", "sentence", 1) == "off"  # choices wrap
    assert step_value("large_print_size", 8, 1) == 8  # numbers clamp
    assert announce_setting("pinyin_style", "colors", "en") == "Pinyin style: tone colours"
    assert announce_setting("measure", 0, "zh") == "文字宽度：随窗口"


def test_a_lexicon_edit_redraws_the_ruby_at_once(reader_home):
    """Issue 6: a correction shows at the next key, in the ruby and in spelling."""
    from reader.text.lexicon import get_lexicon

    def first_ruby(view) -> str:
        return view.render_line(0).text  # the heading 银行发布年度报告, pinyin above it

    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        await keys(pilot, "y")
        assert view.layout_options().pinyin == "all"
        assert first_ruby(view).startswith("yín háng")
        assert app.screen.reading_of(1) == "háng"
        get_lexicon().add("银行", "yin2 xing2")  # as `reader lexicon add` would
        await keys(pilot, "down")
        assert first_ruby(view).startswith("yín xíng")
        assert app.screen.reading_of(1) == "xíng"

    run_app(script)


def test_low_vision_row_cache_is_bounded():
    """Reading a whole book line by line does not keep every drawn line."""
    from reader.ui import lowvision

    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        for _ in range(12):
            await keys(pilot, "down")
        lines = view.__dict__["_lv_rows"]["lines"]
        assert 0 < len(lines) <= lowvision.MAX_CACHED_LINES

    old = getattr(lowvision, "MAX_CACHED_LINES", None)
    lowvision.MAX_CACHED_LINES = 3
    try:
        run_app(script)
    finally:
        if old is None:
            del lowvision.MAX_CACHED_LINES
        else:
            lowvision.MAX_CACHED_LINES = old


def test_library_cursor_is_not_colour_alone_in_ansi_and_mono():
    """Without colour (mono, NO_COLOR, a monochrome terminal) the cursor still shows."""
    for theme in ("ansi", "mono"):

        async def script(pilot, app, theme=theme):
            option_list = app.screen.query_one("#library-list")
            style = option_list.get_component_rich_style("option-list--option-highlighted")
            assert style.underline and style.bold, (theme, style)
            await keys(pilot, "f1")  # the help list and other lists too
            style = app.screen.query_one("#help-list").get_component_rich_style(
                "option-list--option-highlighted"
            )
            assert style.underline and style.bold, (theme, style)

        run_app(script, settings=Settings(theme=theme))


def test_text_width_keys_go_the_right_way_from_the_window_width(reader_home):
    """Audit 2, finding 9: from "随窗口" `<` did nothing and `>` jumped to 40 columns."""

    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        window = view.content_size.width
        assert view.layout_options().width == window  # the default: the window's width
        await keys(pilot, "greater_than_sign")  # wider than the window: stays, and says so
        assert view.layout_options().width == window and not view.max_width
        assert app.voice.spoken[-1] == "文字宽度：随窗口，已最宽"
        await keys(pilot, "less_than_sign")  # narrower: one step less than the window
        assert view.layout_options().width == window - 2
        assert app.voice.spoken[-1] == f"文字宽度：{window - 2}"
        await keys(pilot, "less_than_sign")
        assert view.layout_options().width == window - 4
        await keys(pilot, "greater_than_sign", "greater_than_sign")  # back up to the window
        assert view.layout_options().width == window and not view.max_width
        assert app.voice.spoken[-1] == "文字宽度：随窗口"
        assert saved(reader_home)["measure"] == 0

    run_app(script)


def test_text_width_stops_at_the_narrowest(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.query_one(ReadingView)
        await keys(pilot, "less_than_sign")
        assert view.layout_options().width == 10
        assert app.voice.spoken[-1] == "文字宽度：10，已最窄"

    run_app(script, settings=Settings(measure=10))


def test_the_settings_screen_steps_the_width_the_same_way(reader_home):
    async def script(pilot, app):
        await open_first(pilot, app)
        window = app.screen.query_one(ReadingView).content_size.width
        await keys(pilot, "f2")
        assert isinstance(app.screen, LowVisionScreen)
        await keys(pilot, "down")  # 文字宽度
        await keys(pilot, "left")
        assert app.settings.measure == window - 2
        assert app.voice.spoken[-1] == f"文字宽度：{window - 2}"
        await keys(pilot, "right", "right")
        assert app.settings.measure == 0
        assert app.voice.spoken[-1] == "文字宽度：随窗口，已最宽"

    run_app(script)
