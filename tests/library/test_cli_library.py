"""The librarian's commands through the real ``.venv/bin/reader``, one READER_HOME per test.

These tests read the English lines (``--lang en``); the Chinese default and the
choice of language are tested in ``tests/commands/test_cli_language.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader import paths
from reader.library.article import Article

READER = Path(sys.executable).with_name("reader")
BUNDLED = sorted((paths.PROJECT_ROOT / "articles").glob("*.md"))


def run(
    home: Path, *args: str, check: int | None = 0, lang: str | None = "en"
) -> subprocess.CompletedProcess:
    """``reader [--lang LANG] ARGS``; ``lang=None`` leaves the language to its default."""
    env = dict(os.environ, READER_HOME=str(home), COLUMNS="100")
    env.pop("READER_BUNDLED_ARTICLES", None)
    argv = [str(READER), *(["--lang", lang] if lang else []), *args]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def plain_text(article: Article) -> str:
    """A bundled article as a plain text file: title, then paragraphs."""
    return "\n\n".join(article.block_text(b) for b in article.blocks) + "\n"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder of files to import: new texts (UTF-8, GBK, UTF-16), a duplicate, bad input."""
    folder = tmp_path / "inbox"
    (folder / "deeper").mkdir(parents=True)
    (folder / "one.txt").write_text(
        "图书馆延长开放时间\n\n从下个月起，市图书馆每天开放到晚上十点。读者可以在自助借还机上办理手续。\n",
        encoding="utf-8",
    )
    (folder / "deeper" / "two.txt").write_bytes(
        "无障碍电影放映\n\n社区为视障朋友举办无障碍电影放映活动，讲述人现场描述画面。\n".encode(
            "gbk"
        )
    )
    (folder / "deeper" / "three.txt").write_text(
        "盲文图书捐赠\n\n志愿者向学校捐赠了两百册盲文图书和有声读物。\n", encoding="utf-16"
    )
    (folder / "copy-of-one.txt").write_text(
        "图书馆延长开放时间\n\n从下个月起，市图书馆每天开放到晚上十点。读者可以在自助借还机上办理手续。\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    return folder


def ids_in(output: str) -> list[str]:
    return re.findall(r"imported as (\w+)", output)


def test_import_a_folder_one_line_per_file_and_a_summary(tmp_path, inbox):
    home = tmp_path / "home"
    proc = run(home, "import", str(inbox), check=1)
    lines = proc.stdout.splitlines()
    per_file = [line for line in lines if line.startswith(str(inbox))]
    assert len(per_file) == 6, proc.stdout
    assert len(ids_in(proc.stdout)) == 3
    # copy-of-one.txt comes first (folders are walked in name order); one.txt is its duplicate
    first = next(line for line in per_file if "copy-of-one" in line)
    duplicate = next(line for line in per_file if line.startswith(f"{inbox}/one.txt"))
    assert duplicate.endswith(f"skipped as duplicate of {ids_in(first)[0]}")
    assert re.search(
        r"deeper/two\.txt: imported as \w+ \(无障碍电影放映\) \[(gbk|gb18030|gb2312)\]",
        proc.stdout,
        re.I,
    )
    assert re.search(r"three\.txt: imported as \w+ .*\[utf-16", proc.stdout)
    assert re.search(r"empty\.txt: refused: .+", proc.stdout)
    assert re.search(r"binary\.txt: refused: .+", proc.stdout)
    assert lines[-1] == "3 imported, 1 duplicates skipped, 2 refused (6 files)"
    # no progress bar when stderr is not a terminal
    assert "\r" not in proc.stderr and "#" not in proc.stderr

    listing = run(home, "list").stdout
    for title in ("图书馆延长开放时间", "无障碍电影放映", "盲文图书捐赠"):
        assert title in listing
    stored = sorted((home / "data" / "articles").glob("*.md"))
    assert len(stored) == 3
    # importing everything again adds nothing and refuses the same files
    again = run(home, "import", str(inbox), check=1)
    assert "0 imported, 4 duplicates skipped, 2 refused" in again.stdout
    assert sorted((home / "data" / "articles").glob("*.md")) == stored


def test_a_clean_batch_exits_zero_and_verbose_lists_repairs(tmp_path):
    home = tmp_path / "home"
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(
        "硬换行的文章\n\n这是一段被硬换行切断的\n文字，导入时应当重新\n接起来。\n", encoding="utf-8"
    )
    proc = run(home, "import", "-v", str(wrapped))
    assert "imported as" in proc.stdout and "  repaired: " in proc.stdout
    assert "1 imported, 0 duplicates skipped, 0 refused (1 files)" in proc.stdout
    assert "这是一段被硬换行切断的文字" in run(home, "show", "4").stdout


def test_encoding_max_size_and_split_are_passed_through(tmp_path):
    home = tmp_path / "home"
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("臺灣圖書館\n\n讀者可以借閱有聲書籍。\n".encode("big5"))
    proc = run(home, "import", "--encoding", "big5", "--convert", "t2s", str(big5))
    assert "[big5]" in proc.stdout
    assert "台湾图书馆" in run(home, "list").stdout
    large = tmp_path / "large.txt"
    large.write_text("大文件\n\n" + "很长的一段文字。" * 2000 + "\n", encoding="utf-8")
    proc = run(home, "import", "--max-size", "10K", str(large), check=1)
    assert "refused" in proc.stdout and "limit" in proc.stdout
    proc = run(home, "import", "--max-size", "nonsense", str(large), check=2)
    assert "not a size" in proc.stderr


def test_search_chinese_inside_longer_words_through_the_cli(tmp_path, inbox):
    home = tmp_path / "home"
    run(home, "import", str(inbox), check=1)
    # 障碍 sits inside 无障碍; 借还 inside 自助借还机; both must be found
    proc = run(home, "search", "障碍")
    lines = proc.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("无障碍电影放映"))
    assert lines[at + 1].strip().startswith("社区为视障朋友举办无障碍电影放映活动")
    proc = run(home, "search", "借还")
    assert "图书馆延长开放时间" in proc.stdout
    assert "读者可以在自助借还机上办理手续。" in proc.stdout
    # bundled articles are searched too: 残疾人 inside the Alibaba report
    proc = run(home, "search", "疾人")
    assert "阿里巴巴发布年度助残行动报告" in proc.stdout
    proc = run(home, "search", "没有这个词语", check=1)
    assert proc.stdout == "" and "nothing matches" in proc.stderr


def test_edit_remove_restore_round_trip(tmp_path, inbox):
    home = tmp_path / "home"
    out = run(home, "import", str(inbox / "one.txt")).stdout
    id = ids_in(out)[0]
    run(home, "edit", id, "--title", "图书馆夜间开放", "--author", "记者甲", "--tag", "公告")
    listing = run(home, "list").stdout
    assert f"{id}  图书馆夜间开放  记者甲" in listing
    assert "图书馆夜间开放" in run(home, "search", "夜间").stdout
    assert "记者甲" in run(home, "search", "记者甲").stdout
    md = run(home, "export", id, "-o", "-", "--format", "md").stdout
    assert Article.from_markdown(md).tags == ["公告"]

    proc = run(home, "remove", id)
    assert "trash" in proc.stdout
    assert id not in run(home, "list").stdout
    run(home, "search", "夜间", check=1)
    assert id in run(home, "restore").stdout
    run(home, "restore", id)
    assert f"{id}  图书馆夜间开放" in run(home, "list").stdout
    assert "trash is empty" in run(home, "restore").stdout
    proc = run(home, "restore", id, check=2)
    assert proc.stderr.startswith("reader: ") and proc.stderr.count("\n") == 1


def test_bundled_articles_are_read_only_but_can_be_overridden(tmp_path):
    home = tmp_path / "home"
    original = Article.load(BUNDLED[0])
    before = BUNDLED[0].read_bytes()
    proc = run(home, "remove", original.id, check=2)
    assert "bundled" in proc.stderr and proc.stderr.count("\n") == 1
    proc = run(home, "edit", original.id, "--title", "改过的标题")
    assert "own copy" in proc.stdout
    assert BUNDLED[0].read_bytes() == before
    assert f"{original.id}  改过的标题" in run(home, "list").stdout
    run(home, "remove", original.id)
    assert f"{original.id}  {original.title}" in run(home, "list").stdout


def test_export_text_formats(tmp_path):
    home = tmp_path / "home"
    article = Article.load(BUNDLED[0])
    run(home, "export", article.id, "-o", str(tmp_path / "a.md"))
    assert Article.load(tmp_path / "a.md").text == article.text
    run(home, "export", article.id, "-o", str(tmp_path / "a.txt"))
    text = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert text.startswith(article.title) and article.block_text(article.blocks[-1]) in text
    run(home, "export", article.id, "--format", "html", "-o", str(tmp_path / "page"))
    page = (tmp_path / "page").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page and f"<h1>{article.title}</h1>" in page
    assert page.count("<p>") == sum(1 for b in article.blocks if b.kind == "paragraph")
    proc = run(home, "export", article.id, "-o", str(tmp_path / "a.xyz"), check=2)
    assert "--format" in proc.stderr
    proc = run(home, "export", "nosuchid", "-o", str(tmp_path / "b.md"), check=2)
    assert "no article" in proc.stderr and not (tmp_path / "b.md").exists()


def test_html_export_escapes_markup_in_the_text(tmp_path):
    home = tmp_path / "home"
    source = tmp_path / "markup.txt"
    source.write_text("标记<script>\n\n[bold]不是粗体[/bold] <b>也不是</b>。\n", encoding="utf-8")
    id = ids_in(run(home, "import", str(source)).stdout)[0]
    run(home, "export", id, "-o", str(tmp_path / "m.html"))
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;b&gt;也不是&lt;/b&gt;" in page
    assert "[bold]不是粗体[/bold]" in page


def test_check_reports_and_repairs_through_the_cli(tmp_path, inbox):
    home = tmp_path / "home"
    run(home, "import", str(inbox), check=1)
    assert "nothing to repair" in run(home, "check").stdout
    victim = sorted((home / "data" / "articles").glob("*.md"))[0]
    victim.unlink()
    (home / "data" / "articles" / ".x.md.tmp-0000").write_text("half", encoding="utf-8")
    proc = run(home, "check")
    assert "repaired: removed the catalog entry" in proc.stdout
    assert "repaired: deleted the unfinished temporary file .x.md.tmp-0000" in proc.stdout
    assert "library repaired and consistent: 5 articles" in proc.stdout
    assert "nothing to repair" in run(home, "check").stdout


def test_a_corrupt_catalog_is_rebuilt_with_a_clear_line(tmp_path, inbox):
    home = tmp_path / "home"
    run(home, "import", str(inbox), check=1)
    files = sorted((home / "data" / "articles").glob("*.md"))
    (home / "data" / "catalog.sqlite").write_bytes(b"not sqlite at all\n" * 1000)
    proc = run(home, "search", "障碍")
    assert "无障碍电影放映" in proc.stdout
    assert proc.stderr.count("\n") == 1 and "rebuilt it from the article files" in proc.stderr
    assert sorted((home / "data" / "articles").glob("*.md")) == files
    assert "nothing to repair" in run(home, "check").stdout


def test_a_progress_bar_on_a_terminal_and_plain_lines_on_stdout(tmp_path, inbox):
    import pty

    home = tmp_path / "home"
    controller, terminal = pty.openpty()
    env = dict(os.environ, READER_HOME=str(home), COLUMNS="100")
    proc = subprocess.Popen(
        [str(READER), "import", str(inbox)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
    )
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed when the import ended
            break
        if not chunk:
            break
        drawn += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(controller)
    assert proc.returncode == 1
    text = drawn.decode("utf-8", "replace")
    assert "\r[" in text and "] 6/6" in text and "#" in text
    assert text.endswith("\r\x1b[K")  # the bar is wiped at the end
    assert "\x1b" not in out and "\r" not in out  # results stay plain lines
    # the default language: the summary in Chinese
    assert out.splitlines()[-1] == "导入完成：新增3篇，重复跳过1篇，拒绝2篇（共6个文件）"


def test_bad_input_changes_nothing_stored(tmp_path, inbox):
    import sqlite3

    home = tmp_path / "home"
    run(home, "import", str(inbox / "one.txt"))

    def snapshot() -> tuple:
        folder = home / "data" / "articles"
        files = {p.name: p.read_bytes() for p in folder.iterdir()}
        db = sqlite3.connect(home / "data" / "catalog.sqlite")
        rows = db.execute("SELECT id, title, path, mtime_ns FROM articles ORDER BY id").fetchall()
        db.close()
        return files, rows

    before = snapshot()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 100)  # .bin: not even tried
    (bad / "fake.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (bad / "fake.pdf").write_bytes(b"%PDF-1.4 broken")
    (bad / "big.txt").write_text("大" * 400_000, encoding="utf-8")
    proc = run(home, "import", "--max-size", "1M", str(bad), check=1)
    assert proc.stdout.count(": refused: ") == 5, proc.stdout
    assert "0 imported, 0 duplicates skipped, 5 refused (5 files)" in proc.stdout
    assert snapshot() == before
