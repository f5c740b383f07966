"""The bundled articles are exactly what the importer makes from the raw seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.article import Article
from reader.library.importers import import_file
from reader.library.importers.seed import SEED_DIR, build_articles
from reader.paths import PROJECT_ROOT

ARTICLES = PROJECT_ROOT / "articles"
SEED = SEED_DIR / "000_e8b7355eef64c4a3.txt"


def test_articles_folder_equals_a_fresh_import_of_the_seed() -> None:
    expected = build_articles()
    actual = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.md")}
    assert sorted(actual) == sorted(expected)
    for name, content in expected.items():
        assert actual[name] == content, f"articles/{name} differs from a fresh import"


@pytest.fixture(scope="module")
def stories() -> list[Article]:
    return import_file(SEED).articles


def test_three_stories_with_title_kicker_and_author(stories: list[Article]) -> None:
    meta = [(a.title, a.subtitle, a.author) for a in stories]
    assert meta == [
        ("阿里巴巴发布年度助残行动报告", "支持数十万残疾人创业就业", "皮磊"),
        ("2022 上海落叶艺术公益展吸引市民爱心接力", "呼吁救助城市流浪动物", "李庆"),
        ("阿里巴巴“互联网+乡村振兴”实践入选第三届全球减贫案例", "", "皮磊"),
    ]
    for article in stories:
        first = article.blocks[0]
        assert (first.kind, first.level, article.block_text(first)) == ("heading", 1, article.title)
        if article.subtitle:
            second = article.blocks[1]
            assert (second.kind, second.level) == ("heading", 2)
            assert article.block_text(second) == article.subtitle
        assert "(" not in article.text and "（皮磊）" not in article.text
        assert not article.text.endswith("）")


@pytest.mark.parametrize(
    "joined",
    [
        "听图购物；",
        "“上海领养日”",
        "负责人介绍，",
        "储门及策展人",
        "联合社会力量",
        "100 个县（区）",
    ],
)
def test_cut_paragraphs_are_joined(stories: list[Article], joined: str) -> None:
    text = "\n".join(a.text for a in stories)
    assert joined in text


def test_caption_leaves_the_body_and_follows_the_joined_paragraph(
    stories: list[Article],
) -> None:
    first = stories[0]
    assert first.captions() == ["阿里巴巴助残志愿联盟启动"]
    kinds = [b.kind for b in first.blocks]
    at = kinds.index("caption")
    before = first.block_text(first.blocks[at - 1])
    assert "为盲校孩子提供有声杂志的“爱的留声机”等六个" in before
    assert "启动" not in before


def test_half_width_punctuation_in_chinese_becomes_full_width(stories: list[Article]) -> None:
    text = "\n".join(a.text for a in stories)
    for mark in ",;:()":
        assert mark not in text
    assert "近日，阿里巴巴" in text and "阿里巴巴（太行）数字" in text
    # Everything else is unchanged: spaces around numbers and Latin, percent signs.
    assert "现有 2007 位" in text and "nihao00 你好艺术" in text and "30%来自" in text


def test_source_names_the_seed_file_not_a_path() -> None:
    for path in ARTICLES.glob("*.md"):
        article = Article.load(path)
        assert article.source == f"seed/{SEED.name}"
        assert path.stem == article.id


def test_make_articles_script_writes_the_same_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "articles"
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "make_articles.py"),
            str(SEED_DIR),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    made = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.md")}
    assert made == {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.md")}
