"""Every binding of the app, driven by key presses, with what the voice was asked to say."""

from __future__ import annotations

from reader.library.positions import Positions
from reader.speech.events import AllDone, UtteranceStarted, WordProgress
from reader.ui.screens import (
    BookmarksScreen,
    HelpScreen,
    LibraryScreen,
    ReadingScreen,
    SearchScreen,
)
from tests.ui.conftest import ARTICLE_ONE
from tests.ui.helpers import keys, open_first, run_app, said_since

TEXT = ARTICLE_ONE.text


def test_library_lists_articles_and_speaks_them():
    async def script(pilot, app):
        assert isinstance(app.screen, LibraryScreen)
        assert [e.id for e in app.screen.entries] == ["aaaa000001", "bbbb000002"]
        assert app.voice.spoken[0].startswith("文库，2篇文章。银行发布年度报告，皮磊")
        assert "第1项，共2项" in app.voice.spoken[0]
        mark = len(app.voice.spoken)
        await keys(pilot, "down")
        assert said_since(app, mark) == ["第二篇文章，0字，已读百分之0，第2项，共2项".replace("0字", f"{app.screen.entries[1].length}字")]
        mark = len(app.voice.spoken)
        await keys(pilot, "w")
        assert said_since(app, mark)[0].startswith("第二篇文章")

    run_app(script)


def test_enter_opens_where_last_left_and_shows_progress():
    Positions().set("aaaa000001", 69, len(TEXT))

    async def script(pilot, app):
        option = app.screen.query_one("OptionList").get_option_at_index(0)
        assert "已读66%" in option.prompt.plain
        await open_first(pilot, app)
        assert isinstance(app.screen, ReadingScreen)
        assert app.screen.caret == 69
        assert app.voice.spoken[-1].startswith("打开 银行发布年度报告，第5段，共6段")
        assert app.voice.spoken[-1].endswith("长治市的朋友说：“我们很满意。”")

    run_app(script)


def test_sentence_paragraph_heading_and_edges():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        mark = len(app.voice.spoken)
        await keys(pilot, "down")
        assert screen.caret == 9 and said_since(app, mark) == ["今天，银行发布了报告。"]
        await keys(pilot, "down")
        assert TEXT[screen.caret:].startswith("报告说")
        await keys(pilot, "up")
        assert screen.caret == 9
        await keys(pilot, "ctrl+down")
        assert screen.caret == 56
        assert app.voice.spoken[-1] == "图片说明，图为发布会现场"
        await keys(pilot, "pagedown")
        assert screen.caret == 64 and app.voice.spoken[-1] == "标题，第二部分"
        await keys(pilot, "pageup", "ctrl+up")
        assert screen.caret == 9
        await keys(pilot, "h")
        assert screen.caret == 64
        await keys(pilot, "H")
        assert screen.caret == 0
        mark = len(app.voice.spoken)
        await keys(pilot, "H")
        assert said_since(app, mark) == ["没有更多标题"]
        await keys(pilot, "end")
        assert screen.caret == 95 and app.voice.spoken[-1] == "最后一段只有一句话。"
        mark = len(app.voice.spoken)
        await keys(pilot, "down")
        assert said_since(app, mark) == ["文章结尾"]
        await keys(pilot, "home")
        assert screen.caret == 0
        mark = len(app.voice.spoken)
        await keys(pilot, "up")
        assert said_since(app, mark) == ["文章开头"]

    run_app(script)


def test_character_and_word_moves_speak_reading_and_word():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "down")  # 今天，银行…
        await keys(pilot, "ctrl+right")  # over "，" (punctuation is no word stop) to 银行
        assert TEXT[screen.caret : screen.caret + 2] == "银行"
        assert screen.view.word == (screen.caret, screen.caret + 2)
        assert app.voice.spoken[-1] == "银行"
        await keys(pilot, "right")
        assert TEXT[screen.caret] == "行"
        # the reading in context (银行 → háng), and a common word with that reading
        assert app.voice.spoken[-1] == "行，háng，行业的行"
        # what reached the speech layer: a spelling with the reading fixed, not a guess
        assert app.voice.manager.last_request > 0
        await keys(pilot, "left")
        assert app.voice.spoken[-1].startswith("银，yín")
        await keys(pilot, "left")
        assert app.voice.spoken[-1] == "逗号"
        await keys(pilot, "ctrl+left")
        assert TEXT[screen.caret : screen.caret + 2] == "今天"

    run_app(script)


def test_same_unit_key_twice_spells_it():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "down", "ctrl+right")  # on 银行
        mark = len(app.voice.spoken)
        await pilot.press("x")
        await pilot.press("x")
        await pilot.pause()
        assert said_since(app, mark) == ["银行", "银，yín，银行的银；行，háng，行业的行"]
        mark = len(app.voice.spoken)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        spoken = said_since(app, mark)
        assert spoken[0] == "银，yín，银行的银"
        assert spoken[1].startswith("银，yín")
        mark = len(app.voice.spoken)
        await keys(pilot, "s")
        assert said_since(app, mark) == ["今天，银行发布了报告。"]
        await keys(pilot, "p")
        assert app.voice.spoken[-1] == TEXT[9:55]

    run_app(script)


def test_where_am_i_and_speech_settings_are_spoken_and_saved():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "down", "down", "w")
        assert app.voice.spoken[-1] == "银行发布年度报告，第2段，共6段，第2句，共3句，百分之19，语速30"
        await keys(pilot, "right_square_bracket")
        assert app.voice.spoken[-1] == "语速35"
        await keys(pilot, "left_square_bracket", "left_square_bracket")
        assert app.voice.spoken[-1] == "语速25"
        await keys(pilot, "left_curly_bracket")
        assert app.voice.spoken[-1] == "音量90"
        await keys(pilot, "right_curly_bracket")
        assert app.voice.spoken[-1] == "音量100"
        await keys(pilot, "right_curly_bracket")
        assert app.voice.spoken[-1] == "音量100，已到极限"
        await keys(pilot, "v")
        assert app.voice.spoken[-1].startswith("声音 ")
        assert "espeak" not in app.voice.spoken[-1] and "(" not in app.voice.spoken[-1]
        assert app.voice.manager.profile.name != "mandarin"
        await keys(pilot, "V")
        assert app.voice.manager.profile.name == "mandarin"
        status = str(app.screen.query_one("#status").render())
        assert "语速25" in status and "音量100" in status

    app = run_app(script)
    from reader.settings import Settings

    saved = Settings.load()
    assert (saved.rate, saved.volume, saved.voice) == (25, 100, "mandarin")
    assert app.voice.manager is not None


def test_say_all_pause_resume_stop_and_the_view_follows_the_voice():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "space")
        assert screen.state == "reading"
        rid = app.voice.reading_request
        assert rid and rid > 0
        # the manager's events move the caret and the word highlight
        screen.on_speech_event(UtteranceStarted(rid, 1, 9, 20, "今天，银行发布了报告。"))
        screen.on_speech_event(WordProgress(rid, 1, 12, 14))
        assert screen.caret == 12 and screen.view.word == (12, 14)
        assert screen.view.sentence == (9, 20)
        # events of other requests (announcements) never move the caret
        screen.on_speech_event(WordProgress(rid + 100, 1, 0, 2))
        assert screen.caret == 12
        await keys(pilot, "space")
        assert screen.state == "paused"
        await keys(pilot, "space")
        assert screen.state == "reading"
        await keys(pilot, "escape")
        assert screen.state == "stopped" and isinstance(app.screen, ReadingScreen)
        assert app.voice.spoken[-1].startswith("<read_all")  # Esc stops without a word
        await keys(pilot, "space")
        screen.on_speech_event(AllDone(app.voice.reading_request))
        assert screen.state == "stopped" and app.voice.spoken[-1] == "读完了"
        # moving stops the say-all
        await keys(pilot, "space", "down")
        assert screen.state == "stopped"

    run_app(script)


def test_real_say_all_with_the_silent_engine_moves_the_caret():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "space")
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.caret > 9:
                break
        assert screen.caret > 0

    run_app(script)


def test_search_echoes_typing_and_n_N_move_between_matches():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        assert app.voice.spoken[-1].startswith("搜索")
        await keys(pilot, "报", "告", "backspace", "告")
        assert app.voice.spoken[-4:] == ["报", "告", "删除 告", "告"]
        await keys(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        assert screen.caret == 6
        assert app.voice.spoken[-1] == "找到，第1处，共3处。银行发布年度报告"
        await keys(pilot, "n")
        assert screen.caret == 17
        await keys(pilot, "n")
        assert screen.caret == 20
        await keys(pilot, "n")
        assert screen.caret == 6 and app.voice.spoken[-1].startswith("从头继续")
        await keys(pilot, "N")
        assert screen.caret == 20 and app.voice.spoken[-1].startswith("从结尾继续")
        # width and case folding, and traditional script finds simplified text
        await keys(pilot, "slash", "ctrl+a") if False else None
        assert screen.matches("ＢＯＬＤ") == [TEXT.index("bold"), TEXT.index("bold", TEXT.index("bold") + 1)]
        assert screen.matches("銀行") == [0, 12]
        await keys(pilot, "slash", "escape")
        assert app.voice.spoken[-1] == "已取消搜索，返回阅读"
        screen.search_query = "没有的词"
        await keys(pilot, "n")
        assert app.voice.spoken[-1] == "没有找到 没有的词"

    run_app(script)


def test_bookmarks_add_list_go_and_remove():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "a")
        assert app.voice.spoken[-1] == "没有书签，按 b 添加"
        await keys(pilot, "down", "b")
        assert app.voice.spoken[-1] == "已添加书签"
        await keys(pilot, "b")
        assert app.voice.spoken[-1] == "这里已有书签"
        await keys(pilot, "end", "b", "home")
        assert [b.offset for b in app.positions.bookmarks("aaaa000001")] == [9, 95]
        await keys(pilot, "a")
        assert isinstance(app.screen, BookmarksScreen)
        assert app.voice.spoken[-1].startswith("书签，2个。百分之9")
        await keys(pilot, "down")
        assert app.voice.spoken[-1] == "百分之91，最后一段只有一句话，第2项，共2项"
        await keys(pilot, "enter")
        assert app.screen is screen and screen.caret == 95
        await keys(pilot, "a", "delete")
        assert app.voice.spoken[-1].startswith("已删除书签")
        await keys(pilot, "escape")
        assert [b.offset for b in app.positions.bookmarks("aaaa000001")] == [95]

    run_app(script)


def test_help_is_generated_from_the_live_keymap():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = [str(o.prompt) for o in app.screen.query_one("OptionList")._options]
        assert "J / ↓：下一句" in lines
        assert any(line.startswith("Ctrl+↓ / PgDn：下一段") for line in lines)
        assert app.voice.spoken[-1].startswith("帮助")
        await keys(pilot, "down", "down")
        assert app.voice.spoken[-1] == lines[2] or app.voice.spoken[-1] in lines
        await keys(pilot, "escape")
        assert isinstance(app.screen, ReadingScreen)
        await keys(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        await keys(pilot, "f1")
        assert isinstance(app.screen, ReadingScreen)

    from reader.settings import Settings

    settings = Settings()
    settings.keys = {"next_sentence": "J,down"}
    run_app(script, settings=settings)


def test_rebound_key_works_and_bad_keys_are_reported():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "j")
        assert app.screen.caret == 9
        assert any("没有叫 no_such_action 的动作，已忽略" in s for s in app.voice.spoken)

    from reader.settings import Settings

    settings = Settings()
    settings.keys = {"next_sentence": "j", "no_such_action": "z"}
    run_app(script, settings=settings)


def test_command_palette_lists_every_action_with_its_key():
    async def script(pilot, app):
        await open_first(pilot, app)
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert "下一句 (↓)" in titles
        assert "朗读/暂停 (Space)" in titles
        assert "退出（保存位置） (Q / Ctrl+Q)" in titles.__iter__().__next__() or any(t.startswith("退出") for t in titles)
        assert len(commands) >= 30
        await keys(pilot, "ctrl+p")
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        assert "命令面板" in app.voice.spoken
        await pilot.pause(0.3)
        mark = len(app.voice.spoken)
        await keys(pilot, "down")
        await pilot.pause(0.2)
        spoken = said_since(app, mark)
        # the highlighted command, with its key said in words ("上一个字，左方向键")
        from reader.ui import keymap

        said = [keymap.palette_entry(spec, "zh", {})[1] for spec in keymap.SPECS]
        assert spoken and spoken[-1] in said
        await keys(pilot, "escape")
        # run an action through the palette callback
        before = app.screen.caret
        next(c for c in commands if c.help == "next_sentence").callback()
        await pilot.pause()
        await pilot.pause()
        assert app.screen.caret != before

    run_app(script)


def test_q_quits_at_once_and_saves_the_position():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "down", "down", "q")

    app = run_app(script)
    assert app.return_code == 0
    assert Positions().get("aaaa000001") == 20


def test_backspace_and_escape_when_silent_go_back_to_the_library():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "down", "backspace")
        assert isinstance(app.screen, LibraryScreen)
        assert app.voice.spoken[-1].startswith("文库，2篇文章")
        assert "已读" in app.voice.spoken[-1]
        await keys(pilot, "enter")
        assert app.screen.caret == 9
        if app.voice.speaking:  # Esc first silences the voice and stays
            await keys(pilot, "escape")
            assert isinstance(app.screen, ReadingScreen) and not app.voice.speaking
        await keys(pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)

    run_app(script)
    assert Positions().get("aaaa000001") == 9


def test_article_markup_is_shown_literally():
    async def script(pilot, app):
        await open_first(pilot, app)
        rows = app.screen.view.visible_text()
        assert any("[bold]残疾人[/bold]" in row for row in rows)
        lines = [app.screen.view.render_line(y).text for y in range(6)]
        assert any("[bold]残疾人[/bold]" in line for line in lines)

    run_app(script)


def test_characters_reach_the_speech_layer_with_their_reading_fixed():
    async def script(pilot, app):
        await open_first(pilot, app)
        calls = []
        manager = app.voice.manager
        real = manager.spell

        def spy(ch, reading=None, **kwargs):
            calls.append((ch, reading, kwargs.get("offset"), kwargs.get("interrupt")))
            return real(ch, reading, **kwargs)

        manager.spell = spy
        await keys(pilot, "down", "ctrl+right", "right")  # 行 of 银行
        assert calls[-1] == ("行", "hang2", 13, True)
        await pilot.press("x")
        await pilot.press("x")
        await keys(pilot)
        app.voice.wait_idle()
        assert calls[-2:] == [("银", "yin2", 12, True), ("行", "hang2", 13, False)]

    run_app(script)


def test_voice_change_keeps_the_readers_rate_and_volume():
    """]/} then v, V: the new voice speaks at the reader's rate, and status/where say so."""

    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "right_square_bracket", "left_curly_bracket")
        assert app.voice.spoken[-1] == "音量90"
        for key in ("v", "V", "v"):
            await keys(pilot, key)
            assert app.voice.spoken[-1].startswith("声音 ")
            assert app.voice.manager.settings.rate == 35
            assert app.voice.manager.settings.volume == 90
            status = str(app.screen.query_one("#status").render())
            assert "语速35" in status and "音量90" in status
        await keys(pilot, "w")
        assert app.voice.spoken[-1].endswith("语速35")

    run_app(script)
    from reader.settings import Settings

    assert (Settings.load().rate, Settings.load().volume) == (35, 90)


def test_search_in_an_article_that_mixes_spellings_finds_every_one(small_library):
    """台灣 and 臺灣 in one text (common in Taiwanese writing): either spelling, or the
    Simplified one, finds both, at the original offsets."""
    from reader.library.article import Article

    text = "台灣與臺灣都有銀行，银行很多。"
    article = Article.from_parts(
        [("heading", 1, "兩種寫法"), ("paragraph", 0, text)], id="cccc000003", title="兩種寫法"
    )
    (small_library / "003.md").write_text(article.to_markdown(), encoding="utf-8")

    async def script(pilot, app):
        screen = app.screen
        body = screen.doc.text
        start = body.index(text)
        both = [start, start + 3]
        assert screen.matches("台湾") == both
        assert screen.matches("臺灣") == both
        assert screen.matches("台灣") == both
        assert screen.matches("银行") == [start + 7, start + 10]

    run_app(script, open_id="cccc000003")
