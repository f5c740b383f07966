"""The librarian commands speak Chinese by default and English with ``--lang en``.

Driven through the real ``.venv/bin/reader`` console script, one READER_HOME
per test (the ``reader_home`` fixture), so the settings file the commands read
is the test's own.  Each case compares whole lines: what a screen reader would
say, word for word.
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

TEXT = "图书馆延长开放时间\n\n从下个月起，市图书馆每天开放到晚上十点。读者可以在自助借还机上办理手续。\n"


def run(home: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, READER_HOME=str(home), COLUMNS="100")
    env.pop("READER_BUNDLED_ARTICLES", None)
    proc = subprocess.run(
        [str(READER), *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def set_lang(home: Path, lang: str) -> None:
    """Write ``lang`` to the settings file the commands read (the app's setting)."""
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.toml").write_text(f'lang = "{lang}"\n', encoding="utf-8")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """One new text, a copy of it, an empty file and a binary file."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b-copy.txt").write_text(TEXT, encoding="utf-8")
    (folder / "c-empty.txt").write_bytes(b"")
    (folder / "d-binary.txt").write_bytes(bytes(range(256)) * 40)
    return folder


# ---------------------------------------------------------------------- import


def test_import_says_each_result_in_chinese_by_default(reader_home, inbox):
    proc = run(reader_home, "import", str(inbox), check=1)
    lines = proc.stdout.splitlines()
    assert len(lines) == 6, proc.stdout
    assert lines.pop(0) == "找到4个可导入的文件，开始导入"  # said before the import starts
    imported = re.fullmatch(
        rf"{re.escape(str(inbox))}/a\.txt：已导入《图书馆延长开放时间》，编号 (\w+)，编码 utf-8",
        lines[0],
    )
    assert imported, lines[0]
    id = imported.group(1)
    assert lines[1] == f"{inbox}/b-copy.txt：已跳过，与 {id} 内容相同"
    assert lines[2] == f"{inbox}/c-empty.txt：未导入，文件是空的"
    assert lines[3] == f"{inbox}/d-binary.txt：未导入，不是文本文件"
    assert lines[4] == "导入完成：新增1篇，重复跳过1篇，拒绝2篇（共4个文件）"
    assert proc.stderr == ""
    assert (reader_home / "data" / "articles" / f"{id}.md").exists()  # ids are real ids


@pytest.mark.parametrize("where", ["before", "after"])
def test_import_says_each_result_in_english_with_lang_en(reader_home, inbox, where):
    args = ["--lang", "en", "import", str(inbox)]
    if where == "after":  # `reader import --lang en PATH` works as well
        args = ["import", "--lang", "en", str(inbox)]
    proc = run(reader_home, *args, check=1)
    lines = proc.stdout.splitlines()
    assert lines.pop(0) == "found 4 files to import"
    imported = re.fullmatch(
        rf"{re.escape(str(inbox))}/a\.txt: imported as (\w+) \(图书馆延长开放时间\) \[utf-8\]",
        lines[0],
    )
    assert imported, lines[0]
    id = imported.group(1)
    assert lines[1] == f"{inbox}/b-copy.txt: skipped as duplicate of {id}"
    assert lines[2] == f"{inbox}/c-empty.txt: refused: the file is empty"
    assert lines[3].startswith(f"{inbox}/d-binary.txt: refused: ") and "binary" in lines[3]
    assert lines[4] == "1 imported, 1 duplicates skipped, 2 refused (4 files)"


def test_the_lang_setting_chooses_english_and_lang_overrides_it(reader_home, inbox):
    set_lang(reader_home, "en")
    proc = run(reader_home, "import", str(inbox / "c-empty.txt"), check=1)
    assert proc.stdout == (
        f"{inbox}/c-empty.txt: refused: the file is empty\n"
        "0 imported, 0 duplicates skipped, 1 refused (1 files)\n"
    )
    proc = run(reader_home, "--lang", "zh", "import", str(inbox / "c-empty.txt"), check=1)
    assert proc.stdout == (
        f"{inbox}/c-empty.txt：未导入，文件是空的\n"
        "导入完成：新增0篇，重复跳过0篇，拒绝1篇（共1个文件）\n"
    )
    # the setting holds for errors too
    proc = run(reader_home, "remove", "nosuchid", check=2)
    assert proc.stderr == "reader: no article with id 'nosuchid' (try 'reader list')\n"


def test_a_size_refusal_gives_its_numbers_in_either_language(reader_home, tmp_path):
    large = tmp_path / "large.txt"
    large.write_text("大文件\n\n" + "很长的一段文字。" * 2000 + "\n", encoding="utf-8")
    zh = run(reader_home, "import", "--max-size", "10K", str(large), check=1).stdout
    assert zh.splitlines()[0] == f"{large}：未导入，文件太大（46.9 KB，上限 10 KB）"
    en = run(reader_home, "--lang", "en", "import", "--max-size", "10K", str(large), check=1)
    assert en.stdout.splitlines()[0].startswith(f"{large}: refused: ")
    assert "46.9 KB" in en.stdout and "10 KB" in en.stdout


def test_verbose_import_lists_repairs_in_the_language(reader_home, tmp_path):
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(
        "硬换行的文章\n\n这是一段被硬换行切断的\n文字，导入时应当重新\n接起来。\n", encoding="utf-8"
    )
    zh = run(reader_home, "import", "-v", str(wrapped)).stdout.splitlines()
    assert zh[1:4] == ["  已修复：接回硬换行：2", "  已修复：识别标题：1", "  已修复：找到文章：1"]
    other_home = tmp_path / "other-home"  # a library where the file is new again
    en = run(other_home, "--lang", "en", "import", "-v", str(wrapped)).stdout.splitlines()
    assert en[1:4] == [
        "  repaired: hard-wrapped lines rejoined: 2",
        "  repaired: headlines recognised: 1",
        "  repaired: articles found: 1",
    ]


# ---------------------------------------------------------------------- other commands


def imported_id(home: Path, source: Path) -> str:
    out = run(home, "import", str(source)).stdout
    return re.search(r"编号 (\w+)", out).group(1)


def test_edit_remove_restore_in_chinese_and_in_english(reader_home, tmp_path):
    source = tmp_path / "one.txt"
    source.write_text(TEXT, encoding="utf-8")
    id = imported_id(reader_home, source)

    out = run(reader_home, "edit", id, "--title", "夜间开放", "--tag", "公告", "--tag", "通知")
    assert out.stdout == f"{id}：夜间开放  标签：公告、通知\n"
    out = run(reader_home, "edit", id, "--author", "记者甲", "--lang", "en")
    assert out.stdout == f"{id}: 夜间开放  记者甲  tags: 公告, 通知\n"

    out = run(reader_home, "remove", id)
    assert out.stdout == f"已将 {id}（夜间开放）移到回收站；reader restore {id} 可以撤销\n"
    assert run(reader_home, "restore").stdout == f"{id}  夜间开放\n"  # the listing: data only
    out = run(reader_home, "restore", id)
    assert out.stdout == f"已恢复 {id}（夜间开放）\n"
    assert run(reader_home, "restore").stdout == "回收站是空的\n"
    assert run(reader_home, "--lang", "en", "restore").stdout == "the trash is empty\n"

    out = run(reader_home, "--lang", "en", "remove", id)
    assert out.stdout == f"moved {id} (夜间开放) to the trash; 'reader restore {id}' undoes it\n"
    out = run(reader_home, "--lang", "en", "restore", id)
    assert out.stdout == f"restored {id} (夜间开放)\n"


def test_editing_a_bundled_article_explains_the_copy_in_either_language(reader_home):
    original = Article.load(BUNDLED[0])
    out = run(reader_home, "edit", original.id, "--title", "改过的标题").stdout.splitlines()
    assert out[1] == (
        f"{original.id} 是随 reader 附带的文章：已另存为你自己的副本，由它代替原文"
        f"（reader remove {original.id} 可换回原文）"
    )
    out = run(reader_home, "remove", original.id).stdout.splitlines()
    assert out[1] == f"{original.id} 的附带原文已回到文库"
    out = run(reader_home, "--lang", "en", "edit", original.id, "--title", "又改了").stdout
    assert "is bundled with reader: saved your own copy" in out


def test_check_says_its_verdict_in_either_language(reader_home, tmp_path):
    source = tmp_path / "one.txt"
    source.write_text(TEXT, encoding="utf-8")
    imported_id(reader_home, source)
    assert run(reader_home, "check").stdout == "文库一致，无需修复：共4篇文章\n"
    en = run(reader_home, "check", "--lang", "en").stdout
    assert en == "library consistent, nothing to repair: 4 articles\n"
    articles = reader_home / "data" / "articles"
    (victim,) = articles.glob("*.md")
    victim.unlink()
    (articles / ".x.md.tmp-0000").write_text("half", encoding="utf-8")
    assert run(reader_home, "check").stdout.splitlines() == [
        "已修复：删除了未完成的临时文件 .x.md.tmp-0000",
        f"已修复：删除了 {victim.stem} 的目录项：{victim} 已不存在",
        "文库已修复，现在一致：共3篇文章",
    ]


def test_a_rebuilt_catalog_is_told_in_either_language(reader_home, tmp_path):
    source = tmp_path / "one.txt"
    source.write_text(TEXT, encoding="utf-8")
    imported_id(reader_home, source)
    catalog = reader_home / "data" / "catalog.sqlite"
    catalog.write_bytes(b"not sqlite at all\n" * 1000)
    proc = run(reader_home, "search", "借还")
    assert "图书馆延长开放时间" in proc.stdout
    assert re.fullmatch(
        r"reader: 目录文件无法读取（.*）；已根据文章文件重建目录"
        r"（损坏的文件保存为 catalog\.sqlite\.damaged-[\d-]+）\n",
        proc.stderr,
    ), proc.stderr
    catalog.write_bytes(b"not sqlite at all\n" * 1000)
    proc = run(reader_home, "--lang", "en", "search", "借还")
    assert "rebuilt it from the article files (the damaged file is kept as" in proc.stderr


def test_export_says_where_it_wrote_in_either_language(reader_home, tmp_path):
    article = Article.load(BUNDLED[0])
    target = tmp_path / "a.txt"
    out = run(reader_home, "export", article.id, "-o", str(target)).stdout
    assert out == f"已将 {article.id}（{article.title}）导出为 txt：{target}\n"
    out = run(reader_home, "--lang", "en", "export", article.id, "-o", str(target)).stdout
    assert out == f"exported {article.id} ({article.title}) as txt to {target}\n"
    # what goes to standard output is the article itself, the same in both languages
    zh = run(reader_home, "export", article.id, "-o", "-", "--format", "txt").stdout
    en = run(reader_home, "--lang", "en", "export", article.id, "-o", "-", "--format", "txt")
    assert zh == en.stdout == target.read_text(encoding="utf-8")


def test_search_with_no_hit_and_hit_lines(reader_home):
    proc = run(reader_home, "search", "没有这个词语", check=1)
    assert proc.stdout == "" and proc.stderr == "reader: 没有找到与“没有这个词语”相符的文章\n"
    proc = run(reader_home, "--lang", "en", "search", "没有这个词语", check=1)
    assert proc.stderr == "reader: nothing matches '没有这个词语'\n"
    # hit lines are numbers, ids, titles and sentences: the same in both languages
    zh = run(reader_home, "search", "疾人").stdout
    assert zh == run(reader_home, "--lang", "en", "search", "疾人").stdout
    assert "阿里巴巴发布年度助残行动报告" in zh


def test_lexicon_lines_in_either_language_and_the_listing_unchanged(reader_home):
    out = run(reader_home, "lexicon", "add", "长治", "zhang3", "zhi4").stdout
    assert out == "长治 zhang3 zhi4（代替附带的读音）\n"
    out = run(reader_home, "--lang", "en", "lexicon", "add", "长治", "zhang3", "zhi4").stdout
    assert out == "长治 zhang3 zhi4 (overrides the bundled entry)\n"
    zh = run(reader_home, "lexicon", "list", "--user").stdout
    assert zh == "长治\tzhang3 zhi4\tuser\n"  # tab-separated data, for scripts
    assert run(reader_home, "lexicon", "list", "--user", "--lang", "en").stdout == zh
    out = run(reader_home, "lexicon", "remove", "--lang", "en", "长治").stdout
    assert out == "removed 长治 zhang3 zhi4 (the bundled reading chang2 zhi4 applies again)\n"


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (
            ["remove", "nosuchid"],
            "没有编号为 nosuchid 的文章（可用 reader list 查看）",
            "no article with id 'nosuchid' (try 'reader list')",
        ),
        (
            ["edit", "1"],
            "没有要修改的内容：请给出 --title、--author、--tag 或 --untag",
            "nothing to change: give --title, --author, --tag or --untag",
        ),
        (
            ["restore", "nosuchid"],
            "回收站里没有编号为 nosuchid 的文章（可用 reader restore 查看）",
            "no article with id 'nosuchid' in the trash (try 'reader restore')",
        ),
        (
            ["lexicon", "remove", "不存在的词"],
            "“不存在的词”不在读音词典里",
            "'不存在的词' is not in the lexicon",
        ),
        (["say", " "], "没有要说的话：文字是空的", "nothing to say: the text is empty"),
        (
            ["lexicon", "add", "长治", "chang2"],
            "“长治”有2个字，却有1个拼音音节",
            "'长治' has 2 characters but 1 pinyin syllable",
        ),
    ],
)
def test_error_lines_follow_the_language(reader_home, args, zh, en):
    proc = run(reader_home, *args, check=2)
    assert proc.stdout == "" and proc.stderr == f"reader: {zh}\n"
    proc = run(reader_home, "--lang", "en", *args, check=2)
    assert proc.stdout == "" and proc.stderr == f"reader: {en}\n"


def test_export_errors_follow_the_language(reader_home, tmp_path):
    article = Article.load(BUNDLED[0])
    target = tmp_path / "a.xyz"
    proc = run(reader_home, "export", article.id, "-o", str(target), check=2)
    assert proc.stderr == (
        f"reader: {target}：无法从文件名判断格式；请用 --format 指定（md, txt, html, wav, mp3, ogg）\n"
    )
    proc = run(reader_home, "--lang", "en", "export", article.id, "-o", str(tmp_path), check=2)
    assert proc.stderr == (
        f"reader: {tmp_path}: cannot tell the format from the name;"
        " give --format (md, txt, html, wav, mp3, ogg)\n"
    )
    folder = tmp_path / "folder.md"
    folder.mkdir()
    proc = run(reader_home, "export", article.id, "-o", str(folder), check=2)
    assert proc.stderr == f"reader: {folder}：这是文件夹；请给出文件名\n"
    assert not list(folder.iterdir())
    # the speech layer's errors too (raised in reader.speech.export)
    nowhere = tmp_path / "no-such-folder" / "a.wav"
    proc = run(reader_home, "export", article.id, "-o", str(nowhere), check=2)
    assert proc.stderr == f"reader: {nowhere}：文件夹 {nowhere.parent} 不存在\n"
    proc = run(reader_home, "--lang", "en", "export", article.id, "-o", str(nowhere), check=2)
    assert proc.stderr == f"reader: {nowhere}: the folder {nowhere.parent} does not exist\n"


def test_list_and_the_plain_reader_in_either_language(reader_home):
    article = Article.load(BUNDLED[0])
    zh = run(reader_home, "list").stdout.splitlines()
    en = run(reader_home, "--lang", "en", "list").stdout.splitlines()
    length = re.search(r"  \((\d+) 字\)$", next(line for line in zh if article.id in line))
    assert length, zh
    assert next(line for line in en if article.id in line).endswith(
        f"  ({length.group(1)} characters)"
    )

    def read(*options: str) -> list[str]:
        env = dict(os.environ, READER_HOME=str(reader_home))
        proc = subprocess.run(
            [str(READER), *options, "read", article.id, "--plain"],
            input="p\nw\nx\nq\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.splitlines()

    zh = read()
    assert zh[0].endswith("句）。Enter 或 n 下一句，p 上一句，w 位置，q 退出")
    assert zh[2] == "（文章开头）"
    assert zh[3].startswith(f"{article.title}，第1段，共")
    assert zh[4] == "未知命令：Enter 或 n 下一句，p 上一句，w 位置，q 退出"
    en = read("--lang", "en")
    assert en[0].endswith(" sentences). Enter or n next, p previous, w where am I, q quit")
    assert en[2] == "(start of article)"
    assert en[3].startswith(f"{article.title}, paragraph 1 of ")
    assert en[4] == "unknown command: Enter or n next, p previous, w where am I, q quit"
    assert zh[1] == en[1]  # the sentence itself


@pytest.mark.parametrize(
    "command", [["say"], ["lexicon", "remove"], ["remove"], ["export", "-o", "-"]]
)
def test_lang_is_accepted_after_every_command(reader_home, command):
    """Each command takes --lang after its name; here each fails, so the error line tells."""
    args = [*command, "--lang", "en", " "]
    proc = run(reader_home, *args, check=2)
    assert proc.stderr.count("\n") == 1 and re.search(r"[A-Za-z]{4}", proc.stderr)
    assert not re.search(r"[\u4e00-\u9fff]{2}", proc.stderr.replace("' '", "")), proc.stderr
