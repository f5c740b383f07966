"""The article file format: what a librarian edits by hand must round-trip exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.article import Article, ArticleFormatError, content_id, join_lines


def test_round_trip_keeps_text_blocks_and_metadata() -> None:
    article = Article.from_parts(
        [
            ("heading", 1, "标题"),
            ("heading", 2, "副标题"),
            ("paragraph", 0, "# 不是标题，是正文。"),
            ("paragraph", 0, "![不是图片说明]()"),
            ("caption", 0, "图片说明"),
            ("paragraph", 0, "[bold]看起来像标记[/bold]，原样保留。"),
        ],
        subtitle="副标题",
        author="皮磊",
        source="seed.txt",
        tags=["新闻", "公益"],
    )
    again = Article.from_markdown(article.to_markdown())
    assert again.text == article.text
    assert again.blocks == article.blocks
    assert (again.id, again.title, again.subtitle, again.author, again.source, again.tags) == (
        article.id,
        "标题",
        "副标题",
        "皮磊",
        "seed.txt",
        ["新闻", "公益"],
    )
    assert again.captions() == ["图片说明"]


def test_blocks_index_the_text() -> None:
    article = Article.from_parts(
        [("heading", 1, "题"), ("paragraph", 0, "一\n二"), ("paragraph", 0, "  ")]
    )
    assert article.text == "题\n一 二"
    assert [article.block_text(b) for b in article.blocks] == ["题", "一 二"]
    assert article.length == 4


def test_wrapped_paragraph_lines_are_joined_without_spaces_between_chinese() -> None:
    source = '+++\nid = "x1"\ntitle = "T"\n+++\n\n第一行\n第二行\nand English\nwords\n'
    article = Article.from_markdown(source)
    assert article.text == "第一行第二行and English words"
    assert join_lines(["abc", "def"]) == "abc def"
    assert join_lines(["中文", "English"]) == "中文English"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("+++\nid = 1\n", "never closed"),
        ("+++\nid = [\n+++\n正文", "not valid TOML"),
        ("+++\ntitle = 3\n+++\n正文", "'title' must be a string"),
        ('+++\ntags = "a"\n+++\n正文', "'tags' must be a list"),
        ('+++\ntitle = "t"\n+++\n\n', "no text"),
    ],
)
def test_bad_files_give_one_line_reasons(source: str, reason: str) -> None:
    with pytest.raises(ArticleFormatError) as info:
        Article.from_markdown(source, name="bad.md")
    message = str(info.value)
    assert message.startswith("bad.md: ")
    assert reason in message
    assert "\n" not in message


def test_load_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.md"
    path.write_bytes("正文".encode("gbk"))
    with pytest.raises(ArticleFormatError, match=r"gbk\.md: not UTF-8"):
        Article.load(path)


def test_content_id_ignores_whitespace_and_width() -> None:
    assert content_id("你好 世界") == content_id("你好世界")
    assert content_id("ＡＢＣ１") == content_id("ABC1")
    assert content_id("你好") != content_id("您好")


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["heading", "paragraph", "caption"]),
            st.integers(1, 6),
            st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=30),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_round_trip_property(parts) -> None:
    article = Article.from_parts(parts)
    if not article.text:
        return
    again = Article.from_markdown(article.to_markdown())
    assert again.text == article.text
    assert [b.kind for b in again.blocks] == [b.kind for b in article.blocks]


@pytest.mark.parametrize("heading", ["0#", "#", "C#", "a # #", "x ##"])
def test_headings_ending_in_hashes_survive(heading: str) -> None:
    article = Article.from_parts([("heading", 1, heading), ("paragraph", 0, "正文")])
    assert Article.from_markdown(article.to_markdown()).text == article.text
