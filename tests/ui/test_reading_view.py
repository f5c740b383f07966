"""The reading view on a long article: only visible blocks are laid out, the view follows the caret."""

from __future__ import annotations

from reader.library.article import Article
from reader.speech.events import SpeechError, WordProgress
from tests.ui.helpers import keys, open_first, run_app


def _long_article(folder):
    parts = [("heading", 1, "长文章")]
    for i in range(400):
        parts.append(("paragraph", 0, f"这是第{i + 1}段。它有两句话，用来测试很长的文章。"))
    article = Article.from_parts(parts, id="0000long00", title="长文章")
    (folder / "000.md").write_text(article.to_markdown(), encoding="utf-8")
    return article


def test_view_lays_out_only_what_it_shows_and_follows_the_caret(small_library):
    article = _long_article(small_library)

    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        assert screen.article.id == article.id
        view = screen.view
        assert len(view._rows) < 30  # a handful of blocks, not 401
        await keys(pilot, "end")
        assert screen.caret == screen.doc.last("sentence").start  # the last sentence
        rows = view.visible_text()
        assert any("这是第400段" in row for row in rows)
        assert len(view._rows) < 60
        # the voice moves the caret far away: the view goes with it
        await keys(pilot, "home", "space")
        rid = app.voice.reading_request
        target = article.blocks[200].start
        screen.on_speech_event(WordProgress(rid, 1, target, target + 2))
        await pilot.pause()
        assert any("这是第200段" in row for row in view.visible_text())
        offset = view.caret_screen_offset()
        assert offset is not None and view.content_region.contains_point(offset)

    run_app(script)


def test_speech_errors_are_shown_and_spoken_and_reading_stops():
    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "space")
        app.screen.on_speech_event(SpeechError(1, "espeak-ng stopped"))
        await pilot.pause()
        assert app.screen.state == "stopped"
        assert app.voice.spoken[-1] == "错误：espeak-ng stopped"

    run_app(script)


def test_position_is_saved_while_reading_without_leaving(monkeypatch):
    import reader.ui.app as app_module

    monkeypatch.setattr(app_module, "SAVE_INTERVAL", 0.1)

    async def script(pilot, app):
        await open_first(pilot, app)
        await keys(pilot, "down", "down")
        await pilot.pause(0.4)
        from reader.library.positions import Positions

        assert Positions().get("aaaa000001") == 20

    run_app(script)


def test_the_layout_cache_is_bounded(small_library):
    from reader.ui.reading_view import MAX_CACHED_BLOCKS

    _long_article(small_library)

    async def script(pilot, app):
        await open_first(pilot, app)
        view = app.screen.view
        for bi in range(0, len(view.doc.blocks)):
            view.rows(bi)
        assert len(view._rows) == MAX_CACHED_BLOCKS
        # the most recently used survive: the last block is still cached
        assert len(view.doc.blocks) - 1 in view._rows

    run_app(script)
