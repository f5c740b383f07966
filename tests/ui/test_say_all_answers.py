"""Keys pressed during continuous reading (say-all): each answers, and the reading goes on.

NVDA's rule: a speed, volume or voice key, or "where am I", during say-all says
its short answer and reads on from where the voice was; a move or a dialog ends
the say-all.  The status line must never say 朗读 (reading) when nothing is
read, and Space must always do what the status says.  The app runs with the
silent driver, which keeps speech's timing and events, so "the reading goes on"
is seen as the caret following the voice again after the answer.
"""

from __future__ import annotations

import time

import pytest

from reader.speech.events import AllDone
from reader.ui.screens import BookmarksScreen, HelpScreen, ReadingScreen
from tests.ui.conftest import ARTICLE_ONE
from tests.ui.helpers import keys, open_first, said_since
from tests.ui.helpers import run_app as _run_app

TEXT = ARTICLE_ONE.text
SECOND_SENTENCE = TEXT.index("今天")


def run_app(script):
    """The app with a silent voice a little faster than a real one (the article in about 3 s)."""
    from reader.speech.drivers.silent import SilentDriver

    return _run_app(script, speech_driver=SilentDriver(ms_per_char=8.0, pause_scale=0.3))


async def _moves_past(pilot, screen, offset: int, timeout: float = 8.0) -> bool:
    """Wait until the voice (the caret following it) is past ``offset``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        await pilot.pause(0.05)
        if screen.caret > offset:
            return True
    return False


async def _still(pilot, screen, seconds: float = 0.6) -> bool:
    """Whether the caret stays put for ``seconds`` (nothing is being read)."""
    at = screen.caret
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await pilot.pause(0.05)
        if screen.caret != at:
            return False
    return True


async def _reading_in_second_sentence(pilot, app):
    await open_first(pilot, app)
    screen = app.screen
    await keys(pilot, "space")
    assert screen.state == "reading"
    assert await _moves_past(pilot, screen, SECOND_SENTENCE), "say-all never started"
    return screen


def _status(app) -> str:
    return str(app.screen.query_one("#status").render())


@pytest.mark.parametrize(
    ("key", "answer"),
    [
        ("right_square_bracket", "语速35"),
        ("left_square_bracket", "语速25"),
        ("left_curly_bracket", "音量90"),
        ("right_curly_bracket", "音量100，已到极限"),
        ("v", "声音 "),
        ("V", "声音 "),
        ("w", "银行发布年度报告，第2段"),
        ("ctrl+b", "提示详细程度"),
        ("t", ""),  # a low-vision toggle (the theme): its answer, then the reading
    ],
)
def test_a_setting_key_or_where_am_i_during_say_all_answers_and_reads_on(key, answer):
    async def script(pilot, app):
        screen = await _reading_in_second_sentence(pilot, app)
        mark = len(app.voice.spoken)
        await keys(pilot, key)
        at = screen.caret
        assert said_since(app, mark) and said_since(app, mark)[0].startswith(answer)
        assert screen.state == "reading" and "朗读" in _status(app)
        assert await _moves_past(pilot, screen, at), f"the reading did not go on after {key}"
        assert screen.state == "reading"
        # and Space still does what the status says: pause, then read on
        await keys(pilot, "space")
        assert screen.state == "paused" and await _still(pilot, screen)
        await keys(pilot, "space")
        assert screen.state == "reading"
        assert await _moves_past(pilot, screen, screen.caret)

    run_app(script)


def test_the_reading_goes_on_at_the_new_speed_and_ends_with_finished():
    async def script(pilot, app):
        screen = await _reading_in_second_sentence(pilot, app)
        await keys(pilot, "right_square_bracket", "right_square_bracket")
        assert app.voice.spoken[-1] == "语速40"
        assert app.voice.manager.settings.rate == 40
        end = time.monotonic() + 15
        while screen.state == "reading" and time.monotonic() < end:
            await pilot.pause(0.05)
        assert screen.state == "stopped" and app.voice.spoken[-1] == "读完了"
        assert screen.caret >= TEXT.index("最后一段")

    run_app(script)


def test_an_answer_while_paused_keeps_the_pause_and_space_reads_on_from_there():
    async def script(pilot, app):
        screen = await _reading_in_second_sentence(pilot, app)
        await keys(pilot, "space")
        assert screen.state == "paused"
        at = screen.caret
        await keys(pilot, "right_square_bracket", "w")
        assert app.voice.spoken[-2:][0] == "语速35"
        assert screen.state == "paused" and "暂停" in _status(app)
        assert await _still(pilot, screen)  # the answers did not restart the reading
        await keys(pilot, "space")
        assert screen.state == "reading"
        assert await _moves_past(pilot, screen, at), "Space after the answers read nothing"
        # it went on from the paused word, not from the top
        assert screen.caret > at

    run_app(script)


def test_keys_with_nothing_to_show_answer_and_read_on():
    """No bookmarks yet, no search yet, a bookmark added: nothing moves, so the reading goes on."""

    async def script(pilot, app):
        screen = await _reading_in_second_sentence(pilot, app)
        for key, answer in (("a", "没有书签"), ("n", "还没有搜索"), ("b", "已添加书签")):
            mark = len(app.voice.spoken)
            await keys(pilot, key)
            at = screen.caret
            assert said_since(app, mark)[0].startswith(answer), said_since(app, mark)
            assert screen.state == "reading"
            assert await _moves_past(pilot, screen, at), f"the reading did not go on after {key}"
        assert len(app.positions.bookmarks(ARTICLE_ONE.id)) == 1

    run_app(script)


@pytest.mark.parametrize("opener", ["question_mark", "ctrl+p", "a", "f2"])
def test_a_dialog_ends_the_say_all_and_space_reads_again_after_it(opener):
    """Help, the palette, the bookmarks, low-vision settings: the status says 停止 and Space reads."""
    if opener == "a":
        from reader.library.positions import Positions

        Positions().add_bookmark(ARTICLE_ONE.id, TEXT.index("报告说"), "报告说")

    async def script(pilot, app):
        screen = await _reading_in_second_sentence(pilot, app)
        await keys(pilot, opener)
        assert app.screen is not screen
        assert screen.state == "stopped"
        assert await _still(pilot, screen), "the reading went on under the dialog"
        await keys(pilot, "escape")
        assert app.screen is screen and screen.state == "stopped" and "停止" in _status(app)
        at = screen.caret
        await keys(pilot, "space")
        assert screen.state == "reading"
        assert await _moves_past(pilot, screen, at), "Space after the dialog read nothing"

    run_app(script)


def test_a_heading_move_ends_the_say_all_and_space_reads_from_the_heading():
    async def script(pilot, app):
        screen = await _reading_in_second_sentence(pilot, app)
        await keys(pilot, "h")
        heading = TEXT.index("第二部分")
        assert screen.caret == heading and app.voice.spoken[-1] == "标题，第二部分"
        assert screen.state == "stopped" and await _still(pilot, screen)
        await keys(pilot, "space")
        assert screen.state == "reading"
        assert await _moves_past(pilot, screen, heading + 1)

    run_app(script)


def test_the_end_of_the_queue_after_the_say_all_is_the_end_of_reading():
    """A notice queued after the say-all makes the last AllDone its own: still "finished"."""

    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "space")
        rid = app.voice.reading_request
        screen.on_speech_event(AllDone(rid - 1))  # an announcement from before: ignored
        assert screen.state == "reading"
        screen.on_speech_event(AllDone(rid + 1))
        assert screen.state == "stopped" and app.voice.spoken[-1] == "读完了"

    run_app(script)


def test_opening_an_article_at_its_title_says_the_title_once():
    async def script(pilot, app):
        await open_first(pilot, app)
        said = app.voice.spoken[-1]
        assert said.startswith("打开 银行发布年度报告，第1段，共6段")
        assert said.count("银行发布年度报告") == 1, said
        # elsewhere the sentence under the caret is still said after the position
        await keys(pilot, "escape", "down", "enter")
        assert isinstance(app.screen, ReadingScreen)

    run_app(script)


def test_deleting_the_last_bookmark_says_the_list_closed_and_where_focus_went():
    from reader.library.positions import Positions

    Positions().add_bookmark(ARTICLE_ONE.id, 9, "今天，银行发布了报告。")

    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "a")
        assert isinstance(app.screen, BookmarksScreen)
        await keys(pilot, "d")
        assert isinstance(app.screen, ReadingScreen)
        assert app.voice.spoken[-1] == "已删除书签，没有书签了，返回阅读"
        assert app.positions.bookmarks(ARTICLE_ONE.id) == []

    run_app(script)


def test_deleting_one_of_two_bookmarks_keeps_the_list_and_names_the_next():
    from reader.library.positions import Positions

    positions = Positions()
    positions.add_bookmark(ARTICLE_ONE.id, 9, "今天，银行发布了报告。")
    positions.add_bookmark(ARTICLE_ONE.id, 95, "最后一段只有一句话。")

    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "a", "d")
        assert isinstance(app.screen, BookmarksScreen)
        assert app.voice.spoken[-1].startswith("已删除书签。百分之91")
        assert not isinstance(app.screen, HelpScreen)

    run_app(script)
