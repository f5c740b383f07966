"""Word movement over punctuation, punctuation said by name, bookmark labels cut between words.

Driven by key presses with the silent voice (audit 2, findings 4 and 13): a
listener must never hear silence after a key, and a label is never cut inside
a number.
"""

from __future__ import annotations

from pathlib import Path

from reader.library.article import Article
from reader.text.units import Document, is_punctuation
from tests.ui.conftest import ARTICLE_ONE
from tests.ui.helpers import keys, open_first, run_app, said_since

TEXT = ARTICLE_ONE.text

NUMBERS = (
    "这份由阿里巴巴公益基金会发布的年度助残报告显示，截至 2022 年 9 月，累计支持善款 1.1 亿元。"
)
MARKS = "。。。，，，！！！"

ODD = Article.from_parts(
    [
        ("heading", 1, "标点与数字"),
        ("paragraph", 0, NUMBERS),
        ("paragraph", 0, MARKS),
        ("paragraph", 0, "“最后一句。”"),
    ],
    id="cccc000003",
    title="标点与数字",
    author="",
)


def use_odd_article(folder: Path) -> None:
    """Make ``ODD`` the first article of the test library (the one Enter opens)."""
    (folder / "001.md").write_text(ODD.to_markdown(), encoding="utf-8")


def test_ctrl_right_never_stops_on_punctuation_and_always_says_a_word():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "down")  # 今天，银行发布了报告。报告说，…
        end_of_paragraph = TEXT.index("高兴！") + 3
        said = []
        while screen.caret < end_of_paragraph:
            mark = len(app.voice.spoken)
            await keys(pilot, "ctrl+right")
            said += said_since(app, mark)
            assert not is_punctuation(TEXT[screen.caret]), (screen.caret, said)
        # every stop said something, and no stop was a bare mark
        assert said and all(s.strip() and not is_punctuation(s) for s in said), said
        assert "，" not in said and "。" not in said and "！" not in said
        assert said[:3] == ["银行", "发布", "了"]
        # and back: Ctrl+← from 银行 goes over "，" to 今天
        await keys(pilot, "home", "down", "ctrl+right", "ctrl+left")
        assert TEXT[screen.caret : screen.caret + 2] == "今天"
        assert app.voice.spoken[-1] == "今天"

    run_app(script)


def test_x_on_punctuation_says_its_name():
    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "down", "right", "right")  # 今 天 ，
        assert TEXT[screen.caret] == "，"
        mark = len(app.voice.spoken)
        await keys(pilot, "x")
        assert said_since(app, mark) == ["逗号"]  # was silence: the mark itself was "spoken"

    run_app(script)


def test_a_unit_made_only_of_punctuation_is_named_never_silent(small_library):
    use_odd_article(small_library)

    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        assert screen.article.id == ODD.id
        marks_at = ODD.text.index(MARKS)
        await keys(pilot, "down", "down")  # the paragraph of marks
        assert screen.caret == marks_at
        said = app.voice.spoken[-1]
        assert said == "3个句号", said  # its first sentence, "。。。"
        await keys(pilot, "p")
        assert app.voice.spoken[-1] == "3个句号；3个逗号；3个叹号"
        await keys(pilot, "down")
        assert app.voice.spoken[-1] == "3个逗号；3个叹号"
        await keys(pilot, "x")
        assert app.voice.spoken[-1] == "逗号"  # the word at the caret: one "，" (jieba's token)
        # word movement crosses the whole paragraph: from it, → word is the next real word
        await keys(pilot, "ctrl+right")
        assert app.voice.spoken[-1] == "最后"
        await keys(pilot, "ctrl+left")  # back over the marks paragraph and "。"
        assert app.voice.spoken[-1] == "亿元"
        # past the last word (only "。”" follows) there is nothing: said so
        await keys(pilot, "end", "ctrl+right", "ctrl+right", "ctrl+right")
        assert app.voice.spoken[-1] == "文章结尾"

    run_app(script)


def test_opening_on_a_punctuation_sentence_names_it(small_library):
    article = Article.from_parts(
        [("paragraph", 0, MARKS)], id="dddd000004", title="punct", author=""
    )
    (small_library / "001.md").write_text(article.to_markdown(), encoding="utf-8")

    async def script(pilot, app):
        await open_first(pilot, app)
        opened = next(s for s in reversed(app.voice.spoken) if s.startswith("打开"))
        assert opened.endswith("。3个句号"), opened  # was "打开 punct …。。。。" (silence)

    run_app(script)


def test_bookmark_label_is_not_cut_inside_a_number(small_library):
    use_odd_article(small_library)

    async def script(pilot, app):
        await open_first(pilot, app)
        screen = app.screen
        await keys(pilot, "down")  # the paragraph with the numbers
        assert screen.caret == ODD.text.index(NUMBERS)
        await keys(pilot, "b")
        (mark,) = app.positions.bookmarks(ODD.id)
        # the old cut was NUMBERS[:30] = "…截至 202" (spoken 截至二百零二)
        assert NUMBERS[:30].endswith("截至 202")
        assert mark.label == "这份由阿里巴巴公益基金会发布的年度助残报告显示，截至"
        doc = Document.from_article(ODD)
        assert mark.label == doc.label_at(screen.caret)
        await keys(pilot, "a")
        assert "截至" in app.voice.spoken[-1] and "202" not in app.voice.spoken[-1]

    run_app(script)
