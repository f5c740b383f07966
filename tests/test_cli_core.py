"""`reader list`, `show` and `read --plain` through the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.article import Article

READER = Path(sys.executable).with_name("reader")


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "bundled"
    folder.mkdir()
    one = Article.from_parts(
        [
            ("heading", 1, "第一篇"),
            ("heading", 2, "引题"),
            ("paragraph", 0, "第一句。第二句！"),
            ("caption", 0, "图片"),
            ("paragraph", 0, "第三句？"),
        ],
        author="皮磊",
    )
    two = Article.from_parts([("heading", 1, "第二篇"), ("paragraph", 0, "正文。")])
    (folder / f"{one.id}.md").write_text(one.to_markdown(), encoding="utf-8")
    (folder / f"{two.id}.md").write_text(two.to_markdown(), encoding="utf-8")
    (folder / "broken.md").write_text("+++\ntitle = [\n+++\n", encoding="utf-8")
    return folder


def run(args: list[str], bundled: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, READER_BUNDLED_ARTICLES=str(bundled))
    return subprocess.run(
        [str(READER), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60
    )


def test_list_shows_articles_and_reports_broken_files(bundled: Path) -> None:
    result = run(["list"], bundled)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert any("第一篇" in line and "皮磊" in line for line in lines)
    assert "broken.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_prints_reading_order_with_headings_marked(bundled: Path) -> None:
    result = run(["show", ident_of("第一篇", bundled)], bundled)
    assert result.returncode == 0
    assert result.stdout.split("\n\n") == [
        "标题：第一篇",
        "标题2：引题",
        "第一句。第二句！",
        "图片说明：图片",
        "第三句？",
        "作者：皮磊\n",
    ]


def test_unknown_id_is_one_line_and_nonzero(bundled: Path) -> None:
    result = run(["show", "nope"], bundled)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "nope" in result.stderr and "Traceback" not in result.stderr


def ident_of(title: str, bundled: Path) -> str:
    line = next(line for line in run(["list"], bundled).stdout.splitlines() if title in line)
    return line.split()[1]


def test_read_plain_moves_by_sentence(bundled: Path) -> None:
    result = run(["read", ident_of("第一篇", bundled), "--plain"], bundled, stdin="\nn\np\nw\nx\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[1:5] == ["第一篇", "引题", "第一句。", "引题"]
    assert out[5].startswith("第一篇，第2段，共5段")
    assert out[6].startswith("未知命令")


def test_read_plain_stops_at_the_end(bundled: Path) -> None:
    result = run(["read", ident_of("第二篇", bundled), "--plain"], bundled, stdin="n\nn\nn\n")
    assert "（文章结束）" in result.stdout
