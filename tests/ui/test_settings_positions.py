"""Settings file and reading positions: round trips, bad input, atomic files."""

from __future__ import annotations

import io
import json

from reader.library.positions import Positions
from reader.settings import Settings
from tests.ui.conftest import ARTICLE_ONE


def test_settings_round_trip_keeps_unknown_tables(reader_home):
    path = Settings.file()
    path.write_text('no_such_setting = "dark"\n', encoding="utf-8")
    settings = Settings.load()
    assert any("unknown setting 'no_such_setting'" in e for e in settings.errors)
    settings.rate = 45
    settings.keys = {"say_all": "p"}
    settings.save()
    text = path.read_text(encoding="utf-8")
    assert 'no_such_setting = "dark"' in text  # another version's key is kept, not lost
    again = Settings.load()
    assert again.rate == 45 and again.keys == {"say_all": "p"}


def test_settings_bad_values_name_the_key():
    settings = Settings()
    settings.apply({"volume": 500, "verbosity": "loud", "keys": {"stop": 3}, "screen_reader": True})
    assert settings.volume is None and settings.verbosity == "normal" and settings.keys == {}
    assert settings.screen_reader == "on"
    assert any("'volume' must be between 0 and 100" in e for e in settings.errors)
    assert any("'verbosity' must be one of brief, normal, verbose" in e for e in settings.errors)
    assert any("'keys'" in e and "'stop'" in e for e in settings.errors)


def test_positions_and_bookmarks_persist(reader_home):
    positions = Positions()
    assert positions.get("x") == 0 and positions.progress("x") == 0
    positions.set("x", 50, 101)
    assert positions.add_bookmark("x", 10, "label") is not None
    assert positions.add_bookmark("x", 10, "again") is None
    again = Positions()
    assert again.get("x") == 50 and again.progress("x") == 50
    assert [(b.offset, b.label) for b in again.bookmarks("x")] == [(10, "label")]
    assert again.remove_bookmark("x", 10) and not again.remove_bookmark("x", 10)
    assert not list((reader_home / "state").glob(".positions.json.*"))  # no temp files left


def test_damaged_positions_file_is_kept_aside(reader_home):
    path = reader_home / "state" / "positions.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    positions = Positions()
    assert positions.error and "positions.json" in positions.error
    positions.set("x", 3)
    assert (path.parent / "positions.json.bad").read_text(encoding="utf-8") == "{not json"
    assert json.loads(path.read_text(encoding="utf-8"))["articles"]["x"]["offset"] == 3


def test_a_damaged_symlinked_positions_file_keeps_its_link(reader_home):
    """A positions.json kept in a dotfiles folder and linked in: setting it aside
    must not replace the link with a plain file."""
    real = reader_home / "dotfiles" / "positions.json"
    real.parent.mkdir()
    real.write_text("{not json", encoding="utf-8")
    path = reader_home / "state" / "positions.json"
    path.parent.mkdir(exist_ok=True)
    path.symlink_to(real)
    positions = Positions()
    positions.set("x", 3)
    assert path.is_symlink() and path.resolve() == real.resolve()
    assert json.loads(real.read_text(encoding="utf-8"))["articles"]["x"]["offset"] == 3
    assert (path.parent / "positions.json.bad").read_text(encoding="utf-8") == "{not json"


def test_plain_reader_resumes_and_saves(reader_home):
    from reader.commands.core import read_plain

    saved: list[int] = []
    out = io.StringIO()
    read_plain(ARTICLE_ONE, io.StringIO("n\nq\n"), out, start_sentence=2, on_move=saved.append)
    lines = out.getvalue().splitlines()
    assert lines[1] == "报告说，[bold]残疾人[/bold]就业人数增加了。"
    assert saved == [20, 48]


def test_read_plain_command_resumes_where_it_stopped(reader_home, small_library):
    import os
    import subprocess
    import sys

    env = {**os.environ, "READER_HOME": str(reader_home), "READER_BUNDLED_ARTICLES": str(small_library)}
    command = [sys.executable, "-m", "reader", "read", "aaaa000001", "--plain"]
    first = subprocess.run(command, input="n\nn\nq\n", capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "报告说，[bold]残疾人[/bold]就业人数增加了。"
    again = subprocess.run(command, input="q\n", capture_output=True, text=True, env=env, timeout=60)
    assert again.stdout.splitlines()[1] == "报告说，[bold]残疾人[/bold]就业人数增加了。"


def test_positions_that_cannot_be_written_are_said_once_and_never_crash(reader_home):
    """positions.json turned into a folder (or a link to /dev/null, a full disk): moves
    and bookmarks go on, the reader hears once why nothing is saved, no traceback."""
    from tests.ui.helpers import keys, open_first, run_app

    async def script(pilot, app):
        await open_first(pilot, app)
        path = app.positions.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        path.mkdir()  # the atomic writer refuses to replace a folder
        mark = len(app.voice.spoken)
        await keys(pilot, "down", "down")
        app.save_position(app.screen.article, app.screen.caret)
        app.save_position(app.screen.article, app.screen.caret + 1)
        await keys(pilot, "b")
        said = app.voice.spoken[mark:]
        assert sum("阅读位置无法保存到 positions.json" in s for s in said) == 1, said
        assert any("书签无法保存到 positions.json" in s for s in said), said
        assert app.is_running and path.is_dir()

    run_app(script)
