"""What the librarian commands do with odd paths: "", links, FIFOs, missing folders, tool folders.

Through the real ``.venv/bin/reader`` with one READER_HOME per test.  Every
file is under ``tmp_path``: device nodes are stood in for by FIFOs
(``os.mkfifo``), which are refused the same way; ``/dev/null`` is only ever
checked with ``stat`` in ``tests/library/test_atomic_targets.py``.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.article import Article

READER = Path(sys.executable).with_name("reader")

TEXT = "图书馆延长开放时间\n\n从下个月起，市图书馆每天开放到晚上十点。\n"


def run(
    home: Path, *args: str, check: int | None = 0, lang: str = "en", cwd: Path | None = None
) -> subprocess.CompletedProcess:
    env = dict(os.environ, READER_HOME=str(home), COLUMNS="100")
    env.pop("READER_BUNDLED_ARTICLES", None)
    proc = subprocess.run(
        [str(READER), "--lang", lang, *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def stored(home: Path) -> list[Path]:
    folder = home / "data" / "articles"
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == "" and proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr


# ---------------------------------------------------------------------- import ""


@pytest.mark.parametrize("empty", ["", "  "])
def test_import_of_an_empty_path_is_refused_not_the_current_folder(tmp_path, empty):
    home = tmp_path / "home"
    work = tmp_path / "work"
    (work / "deeper").mkdir(parents=True)
    (work / "deeper" / "a.txt").write_text(TEXT, encoding="utf-8")  # what "." would import
    en = one_line_error(run(home, "import", empty, check=None, cwd=work))
    assert en.startswith("reader: an empty path") and "file or folder" in en
    zh = one_line_error(run(home, "import", str(work), empty, check=None, lang="zh", cwd=work))
    assert "路径是空的" in zh
    assert stored(home) == []  # nothing at all was imported, not even the good path


def test_the_library_refuses_an_empty_path_too(tmp_path):
    from reader.library.store import Library

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        results = Library().import_paths([""])
    finally:
        os.chdir(cwd)
    assert [(r.status, r.code) for r in results] == [("refused", "empty_path")]
    assert results[0].reason_in("zh") == "路径是空的，不是文件或文件夹"


# ---------------------------------------------------------------------- folder imports


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder as a librarian's working folder really looks: articles among tools' files."""
    root = tmp_path / "project"
    for folder in (
        ".git/objects",
        ".venv/lib",
        "node_modules/pkg",
        "__pycache__",
        "env/lib",
        "sub",
    ):
        (root / folder).mkdir(parents=True)
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub" / "b.md").write_text(
        "无障碍电影\n\n社区举办无障碍电影放映活动。\n", encoding="utf-8"
    )
    (root / "sub" / "新闻 2023.10.05").write_text(  # no real extension: sniffed as text
        "盲文图书捐赠\n\n志愿者向学校捐赠了盲文图书。\n", encoding="utf-8"
    )
    (root / "sub" / "blob").write_bytes(bytes(range(256)) * 40)  # no extension, binary
    (root / "main.cpp").write_text("// 注释：不是文章\nint main() {}\n", encoding="utf-8")
    (root / "lib.so").write_bytes(b"\x7fELF" + bytes(200))
    (root / "data.json").write_text('{"标题": "不是文章"}', encoding="utf-8")
    for folder in (".git/objects", ".venv/lib", "node_modules/pkg", "__pycache__", "env/lib"):
        (root / folder / "notes.txt").write_text(f"{folder}\n\n工具文件夹里的文字。\n")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")  # a virtualenv by another name
    return root


def test_a_folder_import_reads_only_article_formats_and_says_how_many_first(tmp_path, project):
    home = tmp_path / "home"
    proc = run(home, "import", str(project))  # the binary "blob" is not even tried
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "found 3 files to import (4 files of other kinds left out; 5 hidden, version-control"
        " or virtualenv folders skipped: name one to import it)"
    )
    named = sorted(line.split(": ")[0] for line in lines[1:-1])
    assert named == [
        str(project / "a.txt"),
        str(project / "sub" / "b.md"),
        str(project / "sub" / "新闻 2023.10.05"),
    ]
    assert lines[-1] == "3 imported, 0 duplicates skipped, 0 refused (3 files)"
    assert len(stored(home)) == 3
    zh = run(tmp_path / "home2", "import", str(project), lang="zh").stdout
    assert zh.splitlines()[0] == (
        "找到3个可导入的文件（另有4个其他格式的文件不导入；跳过5个隐藏、版本库或虚拟环境文件夹，"
        "要导入请直接写出它们），开始导入"
    )


def test_a_skipped_folder_named_explicitly_is_imported(tmp_path, project):
    home = tmp_path / "home"
    for folder in ("node_modules", ".git"):
        proc = run(home, "import", str(project / folder))
        assert "1 imported" in proc.stdout.splitlines()[-1], proc.stdout
    assert len(stored(home)) == 2


def test_every_format_in_the_importers_table_is_picked_and_others_are_not(tmp_path):
    from reader.library.importers import importable, scan_folder
    from reader.library.importers.core import EXTENSIONS

    for ext in EXTENSIONS:
        (tmp_path / f"x{ext}").write_text("x")
        (tmp_path / f"Y{ext.upper()}").write_text("x")
    for other in ("x.cpp", "x.inc", "x.so", "x.json", "x.toml", "x.sqlite", "x.mp3"):
        (tmp_path / other).write_text("x")
    scan = scan_folder(tmp_path)
    assert len(scan.files) == 2 * len(EXTENSIONS) and scan.other == 7
    assert all(importable(path) for path in scan.files)


def test_a_folder_holding_the_library_does_not_import_the_library(tmp_path):
    """READER_HOME inside the folder: its articles, catalog and lock are not "imported"."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    home = folder / "home"
    first = run(home, "import", str(folder))
    assert first.stdout.splitlines()[-1] == "1 imported, 0 duplicates skipped, 0 refused (1 files)"
    again = run(home, "import", str(folder))  # exit 0: nothing refused
    assert again.stdout.splitlines()[-1] == "0 imported, 1 duplicates skipped, 0 refused (1 files)"
    assert f"reader's own folder {home / 'data'} skipped" in again.stdout.splitlines()[0]
    assert "catalog" not in again.stdout and "lock" not in again.stdout


# ---------------------------------------------------------------------- search ""


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_not_a_search(tmp_path, query):
    home = tmp_path / "home"
    en = one_line_error(run(home, "search", query, check=None))
    assert "empty query" in en
    zh = one_line_error(run(home, "search", query, check=None, lang="zh"))
    assert "搜索词是空的" in zh and "没有找到" not in zh


# ---------------------------------------------------------------------- export -o


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_export_writes_through_a_symlink_and_keeps_it(tmp_path, out):
    home = tmp_path / "home"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "target.md").write_text("old\n", encoding="utf-8")
    (out / "link.md").symlink_to(elsewhere / "target.md")
    run(home, "export", "1", "-o", str(out / "link.md"))
    assert (out / "link.md").is_symlink()
    assert Article.load(elsewhere / "target.md").title  # the target now holds the article
    assert sorted(p.name for p in elsewhere.iterdir()) == ["target.md"]


def test_export_refuses_a_fifo_and_leaves_it(tmp_path, out):
    home = tmp_path / "home"
    fifo = out / "pipe.md"
    os.mkfifo(fifo)
    en = one_line_error(run(home, "export", "1", "-o", str(fifo), check=None))
    assert (
        en
        == f"reader: {fifo}: is a FIFO, not a regular file; give a file name, or - for standard output\n"
    )
    zh = one_line_error(run(home, "export", "1", "-o", str(fifo), check=None, lang="zh"))
    assert "不是普通文件" in zh
    link = out / "link.txt"
    link.symlink_to(fifo)
    one_line_error(run(home, "export", "1", "-o", str(link), check=None))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
    assert sorted(p.name for p in out.iterdir()) == ["link.txt", "pipe.md"]


def test_export_refuses_a_folder_even_with_a_format(tmp_path, out):
    proc = run(tmp_path / "home", "export", "1", "--format", "md", "-o", str(out), check=None)
    assert "is a folder" in one_line_error(proc)


def test_export_refuses_a_missing_folder_and_creates_none(tmp_path, out):
    target = out / "no" / "such" / "a.md"
    en = one_line_error(run(tmp_path / "home", "export", "1", "-o", str(target), check=None))
    assert en == f"reader: {target}: the folder {out / 'no' / 'such'} does not exist\n"
    zh = one_line_error(
        run(tmp_path / "home", "export", "1", "-o", str(target), check=None, lang="zh")
    )
    assert f"文件夹 {out / 'no' / 'such'} 不存在" in zh
    assert list(out.iterdir()) == []


def test_export_to_standard_output_with_a_dash(tmp_path):
    proc = run(tmp_path / "home", "export", "1", "-o", "-")
    assert proc.stdout.startswith("+++\n")  # the article's own Markdown, with no --format


# ---------------------------------------------------------------------- audio export targets

SHORT = Article.from_parts([("heading", 1, "短文"), ("paragraph", 0, "你好。")])


def test_audio_export_refuses_a_fifo_beside_it_before_any_work(out):
    from reader.errors import UserError
    from reader.speech.export import export_audio

    os.mkfifo(out / "story.vtt")  # the timing file's name
    with pytest.raises(UserError, match="FIFO") as caught:
        export_audio(SHORT, out / "story.wav")
    assert caught.value.code == "export_is_fifo"
    assert sorted(p.name for p in out.iterdir()) == ["story.vtt"]  # no story.wav, no temporaries
    os.mkfifo(out / "song.wav")
    with pytest.raises(UserError, match="FIFO"):
        export_audio(SHORT, out / "song.wav")
    assert stat.S_ISFIFO(os.lstat(out / "song.wav").st_mode)


def test_audio_export_command_refuses_a_fifo_given_as_the_path(tmp_path, out):
    """``-o pipe --format wav`` must not write ``pipe.wav`` and ``pipe.vtt`` beside it."""
    os.mkfifo(out / "pipe")
    proc = run(
        tmp_path / "home", "export", "1", "--format", "wav", "-o", str(out / "pipe"), check=None
    )
    assert "is a FIFO" in one_line_error(proc)
    missing = out / "none" / "x.wav"
    proc = run(tmp_path / "home", "export", "1", "-o", str(missing), check=None)
    assert "does not exist" in one_line_error(proc)
    assert sorted(p.name for p in out.iterdir()) == ["pipe"]


def test_audio_export_writes_through_links(tmp_path, out):
    from reader.speech.export import export_audio, read_webvtt

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "story.wav").symlink_to(elsewhere / "real.wav")
    (out / "story.vtt").symlink_to(elsewhere / "real.vtt")
    (elsewhere / "real.wav").write_bytes(b"old")
    (elsewhere / "real.wav").chmod(0o600)
    export_audio(SHORT, out / "story.wav")
    assert (out / "story.wav").is_symlink() and (out / "story.vtt").is_symlink()
    assert (elsewhere / "real.wav").read_bytes()[:4] == b"RIFF"
    assert stat.S_IMODE((elsewhere / "real.wav").stat().st_mode) == 0o600
    assert read_webvtt((elsewhere / "real.vtt").read_text(encoding="utf-8"))
    assert sorted(p.name for p in elsewhere.iterdir()) == ["real.vtt", "real.wav"]


def test_a_fifo_is_never_read_by_an_import(tmp_path):
    """Opening a FIFO blocks until someone writes: named, it is refused; in a folder, left out."""
    home = tmp_path / "home"
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe")  # no extension: would be opened to sniff it
    proc = run(home, "import", str(folder))  # run() times out rather than hang
    assert (
        proc.stdout.splitlines()[0] == "found 1 files to import (2 files of other kinds left out)"
    )
    assert proc.stdout.splitlines()[-1] == "1 imported, 0 duplicates skipped, 0 refused (1 files)"
    proc = run(home, "import", str(folder / "pipe.txt"), check=1)
    assert f"{folder / 'pipe.txt'}: refused: not a regular file" in proc.stdout
    zh = run(home, "import", str(folder / "pipe.txt"), check=1, lang="zh").stdout
    assert "这不是普通文件" in zh
