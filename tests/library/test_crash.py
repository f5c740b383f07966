"""Crash and concurrency: real ``reader import`` processes, killed with SIGKILL or run side by side.

Whatever instant an import dies at, every article file must be whole (its text
exactly what a clean import stores) or absent, ``reader check`` must leave the
catalog matching the files, and running the import again must finish the job
with exactly the articles of a clean import.  Two imports at once must lose
nothing and store nothing twice.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader import paths
from reader.library.article import Article
from reader.library.store import Library

READER = Path(sys.executable).with_name("reader")
ROUNDS = 8
FILES = 40


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ, READER_HOME=str(home))
    env.pop("READER_BUNDLED_ARTICLES", None)
    return env


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty plain-text articles made from the bundled ones, two of them large."""
    folder = tmp_path_factory.mktemp("corpus")
    articles = [Article.load(p) for p in sorted((paths.PROJECT_ROOT / "articles").glob("*.md"))]
    paragraphs = [a.block_text(b) for a in articles for b in a.blocks if b.kind == "paragraph"]
    rng = random.Random(5)
    for i in range(FILES):
        count = 120 if i % 15 == 7 else rng.randint(3, 8)
        body = [rng.choice(paragraphs) for _ in range(count)]
        text = f"第{i}号文章的标题\n\n" + "\n\n".join(body) + "\n"
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    (folder / "999-empty.txt").write_bytes(b"")  # one refusal, so exit status 1 is expected
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """id -> text of a clean, uninterrupted import of the corpus."""
    home = tmp_path_factory.mktemp("reference")
    proc = subprocess.run(
        [str(READER), "import", str(corpus)], env=env_for(home), capture_output=True, text=True
    )
    assert proc.returncode == 1, proc.stderr  # the empty file
    assert f"新增{FILES}篇，重复跳过0篇，拒绝1篇（共{FILES + 1}个文件）" in proc.stdout
    return {
        a.id: a.text for a in (Article.load(p) for p in (home / "data" / "articles").glob("*.md"))
    }


def assert_files_whole(home: Path, reference: dict[str, str]) -> set[str]:
    """Every article file under its real name is complete; returns the ids present."""
    folder = home / "data" / "articles"
    present = set()
    for path in folder.glob("*.md") if folder.exists() else []:
        article = Article.load(path)  # raises on half a file
        assert path.name == f"{article.id}.md"
        assert reference.get(article.id) == article.text, f"{path} differs from a clean import"
        present.add(article.id)
    return present


def assert_catalog_matches(home: Path) -> None:
    """Read the SQLite catalog directly: one row per file, one index entry per row."""
    folder = home / "data" / "articles"
    names = os.listdir(folder) if folder.exists() else []
    files = {str(folder / n) for n in names if n.endswith(".md") and not n.startswith(".")}
    assert not [n for n in names if n.startswith(".")], "temporary files left"
    db = sqlite3.connect(home / "data" / "catalog.sqlite")
    try:
        rows = {p for (p,) in db.execute("SELECT path FROM articles WHERE origin = 'user'")}
        rowids = {r for (r,) in db.execute("SELECT rowid FROM articles")}
        indexed = {r for (r,) in db.execute("SELECT rowid FROM fts")}
        ids = [i for (i,) in db.execute("SELECT id FROM articles WHERE origin = 'user'")]
    finally:
        db.close()
    assert rows == files
    assert rowids == indexed
    assert len(ids) == len(set(ids))


def reader(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(READER), *args], env=env_for(home), capture_output=True, text=True, timeout=120
    )


def test_an_import_killed_at_random_instants_leaves_the_library_consistent(
    corpus: Path, reference: dict[str, str], tmp_path: Path
):
    rng = random.Random(int(os.environ.get("READER_CRASH_SEED", "20261129")))
    start = time.monotonic()
    reader(tmp_path / "timing", "import", str(corpus))
    full = time.monotonic() - start
    half_written = unrecorded = 0
    round_no = 0
    # ROUNDS rounds; then, bounded, a few more aimed at the write windows if no
    # round has caught one yet (a loaded machine can make the test poll too late)
    while round_no < ROUNDS or (round_no < ROUNDS + 6 and not (half_written and unrecorded)):
        home = tmp_path / f"round{round_no}"
        folder = home / "data" / "articles"
        proc = subprocess.Popen(
            [str(READER), "import", str(corpus)],
            env=env_for(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Three kinds of instant, in turn: any time during the import; the moment a
        # temporary file appears (an article half written); the moment more article
        # files appear (renamed into place, their catalog rows not yet committed).
        kind = round_no % 3 if round_no < ROUNDS else (1 if not half_written else 2)
        round_no += 1
        if kind == 0:
            time.sleep(rng.uniform(0.05, full))
        else:
            # a half-written file: not always the first; new article files: the first
            # batch, since a small import may have only one
            skip = rng.randrange(0, 3) if kind == 1 else 0
            deadline = time.monotonic() + 30
            seen = 0
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    names = os.listdir(folder)
                except FileNotFoundError:
                    names = []
                if kind == 1:
                    hit = any(n.startswith(".") for n in names)
                else:
                    hit = sum(n.endswith(".md") and not n.startswith(".") for n in names) > seen
                if hit:
                    if skip == 0:
                        break
                    skip -= 1
                    seen = sum(n.endswith(".md") and not n.startswith(".") for n in names)
                    time.sleep(0.05)
                time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()

        present = assert_files_whole(home, reference)
        check = reader(home, "check")
        assert check.returncode == 0, (round_no, check.stdout, check.stderr)
        assert "文库一致" in check.stdout or "现在一致" in check.stdout
        half_written += "删除了未完成的临时文件" in check.stdout
        unrecorded += any(
            line.startswith("已修复：添加了 ") and str(folder) in line
            for line in check.stdout.splitlines()
        )
        assert "Traceback" not in check.stderr
        assert_catalog_matches(home)
        assert assert_files_whole(home, reference) == present
        again = reader(home, "check")
        assert "无需修复" in again.stdout, again.stdout

        # running the import again completes it: exactly the clean import's articles
        rerun = reader(home, "import", str(corpus))
        assert rerun.returncode == 1 and "Traceback" not in rerun.stderr
        assert f"新增{FILES - len(present)}篇，重复跳过{len(present)}篇" in rerun.stdout
        assert assert_files_whole(home, reference) == set(reference)
        assert_catalog_matches(home)
        with Library(root=home / "data") as library:
            assert len(library.search("号文章的标题", limit=100)) == FILES
    # the kills did land inside writes: a half-written article, a file without its row
    assert half_written >= 1 and unrecorded >= 1, (half_written, unrecorded)


def test_two_imports_at_once_lose_nothing_and_store_nothing_twice(
    corpus: Path, reference: dict[str, str], tmp_path: Path
):
    home = tmp_path / "home"
    files = sorted(str(p) for p in corpus.glob("*.txt"))
    first = subprocess.Popen(
        [str(READER), "import", *files],
        env=env_for(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    second = subprocess.Popen(
        [str(READER), "import", *reversed(files)],
        env=env_for(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)
    checker = reader(home, "check")  # a check in the middle must not disturb them
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert "Traceback" not in err1 + err2 + checker.stderr, err1 + err2 + checker.stderr
    assert first.returncode == second.returncode == 1  # only the empty file
    assert checker.returncode == 0, checker.stdout
    imported = out1.count("：已导入") + out2.count("：已导入")
    duplicates = out1.count("：已跳过，与") + out2.count("：已跳过，与")
    assert (imported, duplicates) == (FILES, FILES)
    assert assert_files_whole(home, reference) == set(reference)
    assert_catalog_matches(home)
    assert "无需修复" in reader(home, "check").stdout
