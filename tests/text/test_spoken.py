"""The spoken form: a table of readings a reviewer can check, and the offset map.

The readings live in ``spoken_cases.tsv`` (input, expected spoken text,
category), one test per row.  Every row is also run through the offset-map
checks, and a Hypothesis property test throws arbitrary text at ``to_spoken``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text.spoken import Piece, Spoken, spoken_text, to_spoken
from reader.text.units import split_sentences

HERE = Path(__file__).parent
REPO = HERE.parent.parent
CASES_FILE = HERE / "spoken_cases.tsv"
KINDS = {"zh", "latin", "spell", "pause"}


def load_cases() -> list[tuple[str, str, str]]:
    rows = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 3, f"{CASES_FILE.name}:{number}: want 3 tab-separated fields"
        rows.append((fields[0], fields[1], fields[2]))
    return rows


CASES = load_cases()
IDS = [f"{cat}:{src}" for src, _, cat in CASES]


def check_map(source: str, spoken: Spoken, base: int = 0) -> None:
    """Pieces in source order, no overlap, only whitespace left out; a monotonic map."""
    assert spoken.text == "".join(p.text for p in spoken.pieces)
    assert (spoken.start, spoken.end) == (base, base + len(source))
    previous_end = base
    for piece in spoken.pieces:
        assert isinstance(piece, Piece)
        assert piece.kind in KINDS
        assert base <= piece.start <= piece.end <= base + len(source), piece
        assert piece.start >= previous_end, f"{piece} overlaps the piece before"
        skipped = source[previous_end - base : piece.start - base]
        assert skipped.strip() == "", f"{skipped!r} before {piece} is not spoken"
        if piece.kind != "pause":
            assert piece.text, piece
        if piece.end == piece.start:
            assert piece.kind == "pause", piece
        previous_end = piece.end
    assert source[previous_end - base :].strip() == ""

    last = base
    index = 0
    for piece in spoken.pieces:
        for k in range(len(piece.text)):
            offset = spoken.source_offset(index + k)
            assert offset >= last, f"map goes backwards at spoken index {index + k}"
            last = offset
            if piece.end > piece.start:
                assert piece.start <= offset < piece.end, (piece, offset)
            else:
                assert offset == piece.start
        index += len(piece.text)
    end = spoken.source_offset(len(spoken.text))
    assert last <= end <= base + len(source)

    # the inverse map: monotonic, and speech started there never begins before the caret
    previous = 0
    for offset in range(base, base + len(source) + 1):
        index = spoken.spoken_offset(offset)
        assert previous <= index <= len(spoken.text)
        previous = index
        if index < len(spoken.text):
            assert spoken.source_offset(index) >= offset


# --------------------------------------------------------------------------- the table


def test_the_table_is_big_and_covers_every_category() -> None:
    assert len(CASES) >= 200
    categories = {cat for _, _, cat in CASES}
    wanted = {
        "seed", "integer", "liang", "ordinal", "year", "decimal", "percent", "fraction",
        "date", "time", "score", "money", "unit", "phone", "code", "version", "negative",
        "range", "large", "fullwidth", "latin", "address", "spacing",
    }  # fmt: skip
    assert wanted <= categories, wanted - categories


@pytest.mark.parametrize(("source", "expected", "category"), CASES, ids=IDS)
def test_reading(source: str, expected: str, category: str) -> None:
    assert spoken_text(source) == expected


@pytest.mark.parametrize(("source", "expected", "category"), CASES, ids=IDS)
def test_offset_map_of_every_case(source: str, expected: str, category: str) -> None:
    check_map(source, to_spoken(source))
    check_map(source, to_spoken(source, base=1000), base=1000)


# --------------------------------------------------------------------------- pieces


def kinds(text: str) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in to_spoken(text).pieces]


def test_pieces_of_a_sentence_with_a_number() -> None:
    spoken = to_spoken("现有 2007 位残疾人。", base=10)
    assert [(p.text, p.start, p.end, p.kind) for p in spoken.pieces] == [
        ("现有", 10, 12, "zh"),
        ("两千零七", 13, 17, "zh"),
        ("位残疾人", 18, 22, "zh"),
        ("。", 22, 23, "pause"),
    ]
    # every spoken character of 两千零七 points into "2007"; 位 points at 位
    assert [spoken.source_offset(i) for i in range(2, 6)] == [13, 14, 15, 16]
    assert spoken.source_offset(6) == 18
    assert spoken.spoken_offset(13) == 2
    assert spoken.spoken_offset(18) == 6
    assert spoken.spoken_offset(12) == 2  # the space: speech resumes at the number


def test_acronyms_are_spelled_and_words_are_latin() -> None:
    assert kinds("AI") == [("spell", "AI")]
    assert kinds("OCR") == [("spell", "OCR")]
    assert kinds("APP") == [("latin", "APP")]
    assert kinds("iPhone") == [("latin", "iPhone")]
    assert kinds("nihao00") == [("latin", "nihao"), ("zh", "零零")]
    assert kinds("The OCR tool") == [
        ("latin", "The"),
        ("pause", " "),
        ("spell", "OCR"),
        ("pause", " "),
        ("latin", "tool"),
    ]
    assert kinds("hello big world") == [("latin", "hello big world")]


def test_latin_is_never_left_to_the_chinese_voice() -> None:
    for text in ("淘宝的 OCR 读图", "15 款 APP", "基地 AI 人工智能", "nihao00 你好艺术"):
        for piece in to_spoken(text).pieces:
            if piece.kind == "zh":
                assert not re.search(r"[A-Za-z]", piece.text), (text, piece)


def test_punctuation_becomes_pauses_that_keep_the_mark() -> None:
    got = kinds("你好，世界。真的吗？！")
    assert got == [
        ("zh", "你好"),
        ("pause", "，"),
        ("zh", "世界"),
        ("pause", "。"),
        ("zh", "真的吗"),
        ("pause", "？！"),
    ]


def test_the_units_of_a_reading_are_separate_pieces() -> None:
    assert kinds("25kg") == [("zh", "二十五"), ("zh", "千克")]
    assert kinds("128GB") == [("zh", "一百二十八"), ("spell", "GB")]
    assert kinds("2022-01-28") == [("zh", "二零二二年"), ("zh", "一月"), ("zh", "二十八日")]


def test_empty_and_blank_text() -> None:
    assert to_spoken("") == Spoken("", [], 0, 0)
    spoken = to_spoken("   ", base=5)
    assert spoken.text == "" and spoken.pieces == []
    assert spoken.source_offset(0) == 5


def test_no_arabic_digit_survives_in_the_bundled_articles() -> None:
    """Every sentence of every bundled article, read as the speech layer will read it."""
    from reader.library.article import Article

    files = sorted((REPO / "articles").glob("*.md"))
    assert files, "the bundled articles are missing"
    numbers = 0
    for path in files:
        article = Article.load(path)
        for start, end in split_sentences(article.text):
            sentence = article.text[start:end]
            spoken = to_spoken(sentence, base=start)
            check_map(sentence, spoken, base=start)
            assert not re.search(r"[0-9０-９%％]", spoken.text), (path.name, spoken.text)
            numbers += len(re.findall(r"[0-9]+", sentence))
    assert numbers >= 40  # the articles really do hold the numbers listed in the table


def test_every_number_of_the_bundled_articles_is_in_the_table() -> None:
    from reader.library.article import Article

    in_articles = set()
    for path in sorted((REPO / "articles").glob("*.md")):
        in_articles |= set(re.findall(r"[0-9][0-9.,]*%?", Article.load(path).text))
    in_table = set()
    for source, _, category in CASES:
        if category == "seed":
            in_table |= set(re.findall(r"[0-9][0-9.,]*%?", source))
    assert in_articles, "no numbers found in the bundled articles"
    assert in_articles <= in_table, sorted(in_articles - in_table)


def test_seed_file_converts_whole() -> None:
    seed = REPO.parent / "shared" / "seed" / "000_e8b7355eef64c4a3.txt"
    text = seed.read_text(encoding="utf-8")
    spoken = to_spoken(text)
    check_map(text, spoken)
    assert "两千零七位" in spoken.text and "二零一六年" in spoken.text


# --------------------------------------------------------------------------- property

_ALPHABET = st.sampled_from(
    list("0123456789０１２.,:/-~+±%‰°℃$¥€£@#&=<>×½ \t\nabcxyzAIOCRvV")
    + list("年月日号个位第比分电话邮编版本万亿元，。！？“”《》（）—…、")
    + ["HK$", "km/h", "m²", "http://", "www.", ".com", "kg", "\u3000", "ｚ", "𠀀"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.integers(0, 10_000))
def test_never_crashes_and_the_map_stays_in_range(text: str, base: int) -> None:
    spoken = to_spoken(text, base=base)
    check_map(text, spoken, base=base)
    # no digit is ever left for the voice to guess, no Latin letter goes to the Chinese voice
    assert not re.search(r"[0-9０-９]", spoken.text), spoken.text
    for piece in spoken.pieces:
        if piece.kind == "zh":
            assert not re.search(r"[A-Za-zＡ-Ｚａ-ｚ]", piece.text), piece


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode(text: str) -> None:
    check_map(text, to_spoken(text))
