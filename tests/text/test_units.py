"""Units and offsets: the spine every other part of reader navigates by."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.article import Article
from reader.text.units import UNIT_KINDS, Document, split_sentences

ARTICLES = sorted((Path(__file__).resolve().parents[2] / "articles").glob("*.md"))


def sample() -> Article:
    return Article.from_parts(
        [
            ("heading", 1, "阿里巴巴发布年度助残行动报告"),
            ("heading", 2, "支持数十万残疾人创业就业"),
            ("paragraph", 0, "近日，阿里巴巴发布报告。现有 2007 位残疾人在阿里巴巴工作！"),
            ("paragraph", 0, "他说，“帮助残疾人，一个都不能少。”淘宝的 OCR 读图技术。"),
            ("caption", 0, "阿里巴巴助残志愿联盟启动"),
            ("paragraph", 0, "从 2016 年到 2022 年 9 月累计支持善款 1.1 亿元……(皮磊)"),
        ]
    )


@pytest.fixture(scope="module")
def doc() -> Document:
    return Document.from_article(sample())


def sentence_texts(doc: Document) -> list[str]:
    return [doc.span_text(s) for s in doc.sentences()]


def test_sentences_split_on_chinese_punctuation_and_keep_closing_quotes(doc: Document) -> None:
    assert sentence_texts(doc) == [
        "阿里巴巴发布年度助残行动报告",
        "支持数十万残疾人创业就业",
        "近日，阿里巴巴发布报告。",
        "现有 2007 位残疾人在阿里巴巴工作！",
        "他说，“帮助残疾人，一个都不能少。”",
        "淘宝的 OCR 读图技术。",
        "阿里巴巴助残志愿联盟启动",
        "从 2016 年到 2022 年 9 月累计支持善款 1.1 亿元……",
        "(皮磊)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello world. Second one! Third?", ["Hello world.", "Second one!", "Third?"]),
        ("价格是 1.5 元。好", ["价格是 1.5 元。", "好"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("他说：“走吧！”她没动。", ["他说：“走吧！”", "她没动。"]),
        ("《书名》。下一句", ["《书名》。", "下一句"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_words_are_jieba_words_with_latin_and_numbers_on_their_own(doc: Document) -> None:
    si = sentence_texts(doc).index("淘宝的 OCR 读图技术。")
    words = [doc.span_text(w) for w in doc.words_in_sentence(si)]
    assert "OCR" in words
    assert "淘宝" in words
    assert "。" in words
    assert " " not in words
    si = sentence_texts(doc).index("现有 2007 位残疾人在阿里巴巴工作！")
    assert "2007" in [doc.span_text(w) for w in doc.words_in_sentence(si)]


def test_unit_at_and_steps(doc: Document) -> None:
    text = doc.text
    offset = text.index("OCR")
    assert doc.span_text(doc.unit_at("word", offset + 1)) == "OCR"
    assert doc.span_text(doc.unit_at("char", offset)) == "O"
    assert doc.span_text(doc.unit_at("sentence", offset)) == "淘宝的 OCR 读图技术。"
    assert doc.unit_at("paragraph", offset).index == 3
    assert doc.span_text(doc.next("word", offset)) == "读图"
    assert doc.span_text(doc.prev("word", offset)) == "的"
    assert doc.span_text(doc.next("sentence", offset)) == "阿里巴巴助残志愿联盟启动"
    assert doc.span_text(doc.prev("sentence", offset)).startswith("他说")
    assert doc.span_text(doc.next("paragraph", offset)) == "阿里巴巴助残志愿联盟启动"
    # Headings: from the body, the previous heading is the section's own heading
    # (the subtitle just above), as NVDA's shift+h; from that heading, the title.
    subtitle = doc.unit_at("heading", offset)
    assert doc.span_text(subtitle) == "支持数十万残疾人创业就业"
    assert doc.next("heading", offset) is None
    assert doc.prev("heading", offset) == subtitle
    assert doc.span_text(doc.prev("heading", subtitle.start)) == "阿里巴巴发布年度助残行动报告"
    assert doc.span_text(doc.prev("heading", subtitle.start + 2)) == "阿里巴巴发布年度助残行动报告"
    assert doc.prev("heading", 0) is None
    assert doc.next("heading", 0) == subtitle


def test_steps_stop_at_the_edges(doc: Document) -> None:
    for kind in UNIT_KINDS:
        first = doc.first(kind)
        last = doc.last(kind)
        assert first is not None and last is not None
        assert doc.prev(kind, first.start) is None, kind
        assert doc.next(kind, last.start) is None, kind


def test_word_steps_cross_sentence_boundaries(doc: Document) -> None:
    end_of_first_para = doc.text.index("工作！") + 2  # the "！"
    nxt = doc.next("word", end_of_first_para)
    assert doc.span_text(nxt) == "他"
    assert doc.span_text(doc.prev("word", nxt.start)) == "！"


def test_chars_skip_block_breaks(doc: Document) -> None:
    first_break = doc.text.index("\n")
    before = doc.unit_at("char", first_break - 1)
    after = doc.next("char", before.start)
    assert doc.text[after.start] != "\n"
    assert after.start == first_break + 1
    assert doc.prev("char", after.start).start == first_break - 1


def test_position_where_am_i(doc: Document) -> None:
    offset = doc.text.index("现有")
    pos = doc.position(offset)
    assert (pos.paragraph, pos.paragraphs) == (3, 6)
    assert (pos.sentence, pos.sentences) == (2, 2)
    assert pos.sentence_in_article == 4
    assert pos.heading == "支持数十万残疾人创业就业"
    assert 0 < pos.percent < 100
    assert doc.position(0).percent == 0
    assert doc.position(len(doc.text) - 1).percent == 100
    assert pos.describe() == "第3段，共6段，第2句，共2句，百分之" + str(pos.percent)
    assert pos.describe("en").startswith("paragraph 3 of 6, sentence 2 of 2")


def round_trip(doc: Document) -> None:
    """Every offset lies in a unit of each kind, and each unit maps back to itself."""
    for offset in range(len(doc.text)):
        if doc.text[offset] == "\n":
            continue
        for kind in ("paragraph", "sentence", "char"):
            unit = doc.unit_at(kind, offset)
            assert unit is not None
            assert doc.unit_at(kind, unit.start) == unit
        para = doc.unit_at("paragraph", offset)
        assert para.start <= offset < para.end
        sentence = doc.unit_at("sentence", offset)
        if not doc.text[offset].isspace():
            assert sentence.start <= offset < sentence.end
    # Walking forward visits every word exactly once and in order, and back again.
    forward = []
    unit = doc.first("word")
    while unit is not None:
        assert doc.unit_at("word", unit.start) == unit
        forward.append((unit.start, unit.end))
        unit = doc.next("word", unit.start)
    assert forward == sorted(set(forward))
    backward = []
    unit = doc.last("word")
    while unit is not None:
        backward.append((unit.start, unit.end))
        unit = doc.prev("word", unit.start)
    assert backward[::-1] == forward
    # Words tile the non-space text of every sentence.
    covered = "".join(doc.text[a:b] for a, b in forward)
    expected = "".join(doc.span_text(s) for s in doc.sentences())
    assert covered == "".join(expected.split())


def test_round_trip_on_sample(doc: Document) -> None:
    round_trip(doc)


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_round_trip_on_bundled_articles(path: Path) -> None:
    article = Article.load(path)
    doc = Document.from_article(article)
    assert doc.count("sentence") > 10
    round_trip(doc)


def test_bundled_articles_exist() -> None:
    assert len(ARTICLES) == 3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="你好世界。！？，“”ab 1.", min_size=1, max_size=40),
        min_size=1,
        max_size=5,
    )
)
def test_round_trip_property(paragraphs: list[str]) -> None:
    article = Article.from_parts([("paragraph", 0, p) for p in paragraphs])
    if not article.text:
        return
    round_trip(Document.from_article(article))


def test_empty_document_answers_none() -> None:
    doc = Document("", [])
    assert doc.unit_at("sentence", 0) is None
    assert doc.next("word", 0) is None
    assert doc.prev("char", 0) is None
