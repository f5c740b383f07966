"""A [keys] rebinding that takes another action's key: warned once, and the user's key wins."""

from __future__ import annotations

from reader.settings import Settings
from reader.ui import keymap
from reader.ui.screens import HelpScreen, LibraryScreen, ReadingScreen
from tests.ui.helpers import keys, open_first, run_app


def test_no_default_key_clashes():
    assert keymap.check_overrides({}) == ({}, [])


def test_clash_is_one_line_naming_both_actions_and_the_default_is_unbound():
    good, errors = keymap.check_overrides({"stop": "x"})
    assert good == {"stop": "x", "current_word": keymap.UNBOUND}
    assert errors == ["[keys] 按键冲突：x 现在是 stop（停止），current_word（读当前词）没有按键了"]
    _, errors_en = keymap.check_overrides({"stop": "x"}, "en")
    assert errors_en == [
        "[keys] key clash: x is now stop (stop); current_word (current word) has no key"
    ]
    assert "current_word" not in keymap.textual_keymap(good)
    assert [b.id for b in keymap.bindings("reading", "zh", good)].count("current_word") == 0


def test_a_displaced_action_keeps_its_other_keys():
    good, errors = keymap.check_overrides({"help": "pagedown"}, "en")
    assert good["next_paragraph"] == "ctrl+down"
    assert errors == [
        "[keys] key clash: Page Down is now help (help); "
        "next_paragraph (next paragraph) keeps Control plus Down arrow"
    ]
    assert ("Ctrl+↓: next paragraph", "Control plus Down arrow: next paragraph") in (
        keymap.help_entries("en", good)
    )


def test_keys_on_different_screens_do_not_clash():
    # w is "where am I" in reading and "read current item" in the library: never both live
    assert keymap.check_overrides({"where_am_i": "w"})[1] == []
    good, errors = keymap.check_overrides({"library_where": "i"})
    assert good["library_import"] == keymap.UNBOUND and len(errors) == 1


def test_two_explicit_bindings_on_one_key_the_later_line_wins():
    good, errors = keymap.check_overrides({"stop": "x", "current_char": "x"})
    assert good["current_char"] == "x"
    assert good["stop"] == keymap.UNBOUND and good["current_word"] == keymap.UNBOUND
    assert len(errors) == 2 and all("current_char" in e for e in errors)


def test_in_the_app_the_user_key_wins_and_the_clash_is_said_and_shown():
    async def script(pilot, app):
        warning = "[keys] 按键冲突：x 现在是 stop（停止），current_word（读当前词）没有按键了"
        assert any(warning in said for said in app.voice.spoken)
        assert any(n.message == warning for n in app._notifications)
        await open_first(pilot, app)
        assert isinstance(app.screen, ReadingScreen)
        mark = len(app.voice.spoken)
        for _ in range(5):  # stop: silences the opening announcement, then back to the library
            await keys(pilot, "x")
            if isinstance(app.screen, LibraryScreen):
                break
        assert not any("当前词" in s for s in app.voice.spoken[mark:])
        assert isinstance(app.screen, LibraryScreen)
        await open_first(pilot, app)
        await keys(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        lines = [str(o.prompt) for o in app.screen.query_one("OptionList")._options]
        assert "x：停止；没有朗读时返回文库" in lines
        assert "没有按键：读当前词，按两次逐字拼读" in lines
        assert not any(line.startswith("x：读当前词") for line in lines)

    settings = Settings()
    settings.keys = {"stop": "x"}
    run_app(script, settings=settings)


def test_a_global_key_given_a_screen_default_wins_on_that_screen():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "x")  # was "current word" on the reading screen
        assert isinstance(app.screen, HelpScreen)

    settings = Settings()
    settings.keys = {"help": "x"}
    run_app(script, settings=settings)


def test_bad_key_entries_are_reported_in_the_interface_language():
    _, errors = keymap.check_overrides({"no_such_action": "z", "stop": "", "say_all": "ctrl+zz"})
    assert errors == [
        "[keys] 没有叫 no_such_action 的动作，已忽略",
        "[keys] stop 没有写按键，使用默认按键",
        "[keys] say_all 里的 ctrl+zz 不是按键名（例如 space、ctrl+p、f2、slash），保留默认的 space",
    ]
    _, errors = keymap.check_overrides({"say_all": "ctrl+zz"}, "en")
    assert errors == [
        "[keys]: say_all = 'ctrl+zz' is not a key name (e.g. space, ctrl+p, f2, slash); "
        "default 'space' kept"
    ]
