"""Units and offsets: the spine every other part of reader navigates by."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.article import Article
from reader.text.units import UNIT_KINDS, Document, is_punctuation, split_sentences

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
    # back over the "！" that ends the paragraph before: it is not a word stop
    assert doc.span_text(doc.prev("word", nxt.start)) == "工作"


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
    # Walking forward visits every word that is not punctuation exactly once and
    # in order, and back again; the punctuation tokens are exactly the ones skipped.
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
    every = [w for si in range(doc.count("sentence")) for w in doc.words_in_sentence(si)]
    assert forward == [w for w in every if not is_punctuation(doc.span_text(w))]
    # Words (punctuation included) tile the non-space text of every sentence,
    # and each one, punctuation or not, is the word at its own start.
    covered = "".join(doc.text[a:b] for a, b in every)
    expected = "".join(doc.span_text(s) for s in doc.sentences())
    assert covered == "".join(expected.split())
    for a, b in every:
        unit = doc.unit_at("word", a)
        assert (unit.start, unit.end) == (a, b)


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


# ---------------------------------------------------------------- words and punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("，", True),
        ("。", True),
        ("“", True),
        ("”", True),
        ("—", True),
        ("……", True),
        ("、", True),
        ("●", True),  # a bullet the voice does not say
        ("#", True),
        (" ", True),
        ("\u200b", True),  # zero-width space
        ("。。。，，，！！！", True),
        ("", False),
        ("他", False),
        ("2022", False),
        ("OCR", False),
        ("50%", False),
        ("+", False),  # 加
        ("℃", False),  # 摄氏度
        ("①", False),  # 一
        ("&", False),  # 和
        ("“你好”", False),
    ],
)
def test_is_punctuation_means_the_voice_would_say_nothing(text: str, expected: bool) -> None:
    assert is_punctuation(text) is expected


def quoted() -> Document:
    return Document.from_article(
        Article.from_parts(
            [
                ("paragraph", 0, "“记者获悉，自 11 月 28 日起，展览开幕。”"),
                ("paragraph", 0, "……"),
                ("paragraph", 0, "他说：“好！”"),
            ]
        )
    )


def walk(doc: Document) -> list[str]:
    out, unit = [], doc.first("word")
    while unit is not None:
        out.append(doc.span_text(unit))
        unit = doc.next("word", unit.start)
    return out


def test_word_movement_skips_punctuation_like_nvda() -> None:
    doc = quoted()
    words = walk(doc)
    assert words[:4] == ["记者", "获悉", "自", "11"]
    assert words[-4:] == ["开幕", "他", "说", "好"]
    assert not any(is_punctuation(w) for w in words)
    # the paragraph made only of "……" has no word stop: it is crossed
    assert "…" not in "".join(words)


def test_word_steps_from_punctuation_reach_the_neighbouring_words() -> None:
    doc = quoted()
    comma = doc.text.index("，")
    # the caret can rest on a comma (character movement puts it there) ...
    assert doc.span_text(doc.unit_at("word", comma)) == "，"
    # ... and a word step from it goes to a real word either way
    assert doc.span_text(doc.next("word", comma)) == "自"
    assert doc.span_text(doc.prev("word", comma)) == "获悉"
    # from the "……" paragraph: forward to 他, back to 开幕 over "。”"
    dots = doc.text.index("……")
    assert doc.span_text(doc.next("word", dots)) == "他"
    assert doc.span_text(doc.prev("word", dots)) == "开幕"


def test_first_and_last_word_are_not_punctuation() -> None:
    doc = quoted()
    assert doc.text.startswith("“")
    assert doc.span_text(doc.first("word")) == "记者"
    assert doc.span_text(doc.last("word")) == "好"
    assert doc.prev("word", doc.first("word").start) is None
    assert doc.next("word", doc.last("word").start) is None
    assert doc.next("word", len(doc.text) - 1) is None  # from the closing "”"


def test_only_punctuation_has_no_words_but_still_has_units() -> None:
    text = "。。。，，，！！！"
    doc = Document.from_article(Article.from_parts([("paragraph", 0, text)]))
    assert doc.first("word") is None and doc.last("word") is None
    assert doc.next("word", 0) is None and doc.prev("word", 5) is None
    # the sentences and the word at the caret are still there to be named
    assert [doc.span_text(u) for u in doc.sentences()] == ["。。。", "，，，！！！"]
    assert is_punctuation(doc.span_text(doc.unit_at("word", 0)))


# ---------------------------------------------------------------- numbers and labels


def one_paragraph(text: str) -> Document:
    return Document.from_article(Article.from_parts([("paragraph", 0, text)]))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("共1,000,000元", "1,000,000"),
        ("时间是12:30分", "12:30"),
        ("ＯＣＲ技术", "ＯＣＲ"),
        ("截至２０２２年", "２０２２"),
        ("don't stop", "don't"),
        ("气温-5℃左右", "-5℃"),
        ("增长了22.5%", "22.5%"),
        ("比分3-2", "3-2"),
    ],
)
def test_a_number_or_latin_word_jieba_cuts_up_is_one_word(text: str, word: str) -> None:
    doc = one_paragraph(text)
    words = [doc.span_text(w) for w in doc.words_in_sentence(0)]
    assert word in words
    start = text.index(word)
    assert doc.span_text(doc.unit_at("word", start + 1)) == word
    # a word step from before it lands on the whole number, not on its first digits
    if start > 0:
        assert doc.span_text(doc.next("word", start - 1)) == word


def test_a_list_with_ascii_commas_stays_separate_numbers() -> None:
    doc = one_paragraph("1,2,3个")
    assert [doc.span_text(w) for w in doc.words_in_sentence(0)][:3] == ["1", ",", "2"]


LONG = "截至 2022 年 9 月，阿里巴巴累计支持善款 1.1 亿元，帮助 2,500 位残疾人就业。"


def test_label_is_cut_between_words_never_inside_a_number() -> None:
    doc = one_paragraph(LONG)
    # the old cut ([:30]) fell inside numbers; every limit now ends on a word
    for limit in range(1, len(LONG) + 5):
        label = doc.label_at(0, limit)
        assert LONG.startswith(label)
        ends = {b - 0 for _, b in doc.words_in_sentence(0)}
        assert len(label) in ends, (limit, label)
        assert len(label) <= limit or label == "截至"  # only a first word may be longer
    assert doc.label_at(0, 4) == "截至"
    assert doc.label_at(0, 7) == "截至 2022"  # not "截至 2" (spoken 截至二)
    assert doc.label_at(0, 6) == "截至"
    for limit in (20, 21, 22, 23, 24):
        assert not doc.label_at(0, limit).endswith(("1", "1."))  # never "1" of 1.1
    assert doc.label_at(0, 100) == LONG


def test_label_starts_at_the_word_under_the_caret() -> None:
    doc = one_paragraph(LONG)
    inside = LONG.index("2022") + 2  # the caret on the "2" in the middle of 2022
    assert doc.label_at(inside).startswith("2022 年")
    latin = one_paragraph("淘宝的 OCR 读图技术。")
    assert latin.label_at(latin.text.index("CR")).startswith("OCR")


def test_label_of_a_long_latin_word_keeps_it_whole() -> None:
    word = "Supercalifragilisticexpialidocious"
    doc = one_paragraph(f"{word} 是一个词。")
    assert doc.label_at(0, 10) == word


def test_label_between_paragraphs_is_the_next_sentence() -> None:
    doc = Document.from_article(
        Article.from_parts([("paragraph", 0, "第一段。"), ("paragraph", 0, "第二段的开头。")])
    )
    gap = doc.text.index("\n")
    assert doc.label_at(gap) == "第二段的开头。"
    assert Document("", []).label_at(0) == ""
