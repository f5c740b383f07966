"""With --lang en, the app's announcements reach the planner as English (numbers in English)."""

from __future__ import annotations

from tests.ui.helpers import keys, open_first, run_app


def _record_plans(app) -> list:
    """Every utterance the speech manager hands its driver from now on."""
    driver = app.voice.manager.driver
    submitted: list = []
    original = driver.submit

    def record(utterance, token, settings):
        submitted.append(utterance)
        original(utterance, token, settings)

    driver.submit = record
    return submitted


def test_where_am_i_in_english_says_its_numbers_in_english():
    async def script(pilot, app):
        await open_first(pilot, app)
        submitted = _record_plans(app)
        await keys(pilot, "w")
        said = app.voice.spoken[-1]
        assert "paragraph 1 of" in said and "speed" in said
        await pilot.pause(0.2)
        planned = [u for u in submitted if "paragraph" in u.text or "speed" in u.text]
        assert planned and all(u.lang == "en" for u in planned)
        for utt in planned:
            for seg in utt.segments:
                for word in seg.words:
                    if any(ch.isdigit() for ch in utt.source[word.start : word.end]) and not any(
                        "\u4e00" <= ch <= "\u9fff" for ch in utt.source[word.start : word.end]
                    ):
                        assert seg.lang == "en", (word, utt.text)

    run_app(script, lang="en")


def test_where_am_i_in_chinese_keeps_mandarin_numbers():
    async def script(pilot, app):
        await open_first(pilot, app)
        submitted = _record_plans(app)
        await keys(pilot, "w")
        await pilot.pause(0.2)
        planned = [u for u in submitted if "语速" in u.text]
        assert planned and all(u.lang == "zh" for u in planned)
        assert any(seg.lang == "zh" and seg.kind == "zh" for u in planned for seg in u.segments)

    run_app(script)
