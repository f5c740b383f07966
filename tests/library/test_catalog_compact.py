"""The compact catalog (schema 3): what it stores, how it migrates, how it stays exact.

The text of each row is stored compressed and jieba's words as the lengths of
the words; the index is contentless, so deleting a row's index entry depends
on getting its terms back exactly, even after the segmenter has learnt new
words.  A catalog made by schema 2 is emptied, shrunk and filled again from
the article files the first time a library opens it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader import paths
from reader.library.article import Article, content_id
from reader.library.catalog import (
    PAGE_SIZE,
    SCHEMA_VERSION,
    Catalog,
    IndexText,
    grams,
    pack_cuts,
    unpack_words,
    words,
)
from reader.library.store import Library

from .test_catalog_golden import corpus

#: The schema-2 layout exactly as it shipped (reader/library/catalog.py before the compact rows).
SCHEMA_2 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('user', 'bundled')),
    content_id TEXT NOT NULL,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    tags TEXT NOT NULL,
    length INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    added REAL NOT NULL,
    text TEXT NOT NULL,
    words BLOB NOT NULL,
    UNIQUE (origin, id)
);
CREATE INDEX articles_content ON articles (content_id);
CREATE INDEX articles_id ON articles (id);
CREATE TABLE bad_files (
    path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, reason TEXT NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5 (
    title, author, tags, body, words,
    tokenize = 'unicode61 remove_diacritics 2',
    content = ''
);
"""


def write_schema_2_catalog(path: Path, files: list[Path]) -> None:
    """A catalog of ``files`` as schema 2 wrote it: plain text and words in the rows."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN")
    for statement in SCHEMA_2.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('schema', '2'), ('index', 'grams1/old')")
    for rowid, file in enumerate(files, 1):
        a = Article.load(file)
        st_ = file.stat()
        w = words(a.title + "\n" + a.text)
        db.execute(
            "INSERT INTO articles VALUES (?, ?, 'user', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (
                rowid,
                a.id,
                content_id(a.text),
                a.title,
                a.author,
                json.dumps(list(a.tags), ensure_ascii=False),
                a.length,
                str(file),
                st_.st_mtime_ns,
                st_.st_size,
                a.text,
                zlib.compress(w.encode("utf-8"), 1),
            ),
        )
        db.execute(
            "INSERT INTO fts (rowid, title, author, tags, body, words) VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, grams(a.title), grams(a.author), grams(" ".join(a.tags)), grams(a.text), w),
        )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def test_a_schema_2_catalog_is_rebuilt_from_the_files_and_gives_its_space_back(no_bundled):
    articles = corpus(150)
    lib = Library()
    lib.add_many([(a, None) for a in articles])
    lib.close()
    catalog_path = paths.data_dir() / "catalog.sqlite"
    files = sorted((paths.data_dir() / "articles").glob("*.md"))
    assert len(files) == 150
    for suffix in ("", "-wal", "-shm"):
        Path(str(catalog_path) + suffix).unlink(missing_ok=True)
    write_schema_2_catalog(catalog_path, files)
    old_size = catalog_path.stat().st_size

    lib = Library()
    assert {e.id for e in lib.entries()} == {a.id for a in articles}
    rare = [a.id for a in articles if "专用阅读器" in a.text]
    assert rare and sorted(h.id for h in lib.search("专用阅读器")) == sorted(rare)
    assert len(lib.search("疾人", limit=1000)) == sum("疾人" in a.text for a in articles)
    db = lib.catalog.db
    assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == SCHEMA_VERSION
    columns = [r[1] for r in db.execute("PRAGMA table_info(articles)")]
    assert "text" not in columns and "text_z" in columns and "cuts" in columns
    assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert lib.catalog.integrity_problems() == []
    lib.close()
    db = sqlite3.connect(catalog_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    # the old tables' pages were given back, not kept as free pages inside the file
    assert catalog_path.stat().st_size < 0.75 * old_size, (catalog_path.stat().st_size, old_size)


def test_migration_still_works_while_another_process_reads_the_old_catalog(no_bundled):
    articles = corpus(12)
    Library().add_many([(a, None) for a in articles])
    catalog_path = paths.data_dir() / "catalog.sqlite"
    files = sorted((paths.data_dir() / "articles").glob("*.md"))
    for suffix in ("", "-wal", "-shm"):
        Path(str(catalog_path) + suffix).unlink(missing_ok=True)
    write_schema_2_catalog(catalog_path, files)
    reader = sqlite3.connect(catalog_path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 12
    try:
        lib = Library()
        assert {e.id for e in lib.entries()} == {a.id for a in articles}
        assert lib.search("阿里巴巴")
        assert lib.catalog.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        lib.close()
    finally:
        reader.execute("COMMIT")
        reader.close()


OPEN_AND_COUNT = """
from reader.library.store import Library
lib = Library()
print(len(lib.entries()), len(lib.search("阿里巴巴", limit=1000)))
lib.close()
"""


def test_two_processes_opening_a_schema_2_catalog_at_once_migrate_it_once(no_bundled):
    articles = corpus(40)
    Library().add_many([(a, None) for a in articles])
    data = paths.data_dir()
    catalog_path = data / "catalog.sqlite"
    files = sorted((data / "articles").glob("*.md"))
    for suffix in ("", "-wal", "-shm"):
        Path(str(catalog_path) + suffix).unlink(missing_ok=True)
    write_schema_2_catalog(catalog_path, files)
    expected_hits = sum("阿里巴巴" in a.text or "阿里巴巴" in a.title for a in articles)
    assert 0 < expected_hits < 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_COUNT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
        assert out.split() == ["40", str(expected_hits)], (out, err[-2000:])
    db = sqlite3.connect(catalog_path)
    try:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == "3"
        paths_ = sorted(p for (p,) in db.execute("SELECT path FROM articles"))
        rowids = {r for (r,) in db.execute("SELECT rowid FROM articles")}
        indexed = {r for (r,) in db.execute("SELECT rowid FROM fts")}
    finally:
        db.close()
    assert paths_ == sorted(map(str, files))  # every file once
    assert rowids == indexed


#: Run in a child process: teaching the segmenter a word changes its word frequencies for
#: every later cut in the process (other tests' rankings included).
LEARNS_A_WORD = """
from reader.library.article import Article
from reader.library.catalog import IndexText, words
from reader.library.store import Library
from reader.text.segment import add_words

text = "鼋鼍蛟鳄栖于深潭。鼋鼍蛟鳄不见于城市。"
article = Article.from_parts([("heading", 1, "深潭"), ("paragraph", 0, text)])
lib = Library()
lib.add(article)
before = words(text)
indexed = IndexText.of(article).words
add_words([("鼍蛟鳄", 10**7)])
after = words(text)
assert before != after and "鼍蛟鳄" in after.split(), (before, after)  # the cut really changed
stored = lib.catalog._stored_index(lib.catalog.find(article.id).rowid)
assert stored.words == indexed, (stored.words, indexed)  # the words it was indexed with
assert IndexText.of(article).words != indexed
lib.remove(article.id)
db = lib.catalog.db
# no index entry is left behind for the removed row, under the old words or the new
for term in set(before.split()) | set(after.split()):
    if any(ch.isalnum() for ch in term):
        found = db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", ('"' + term + '"',))
        assert found.fetchall() == [], term
assert lib.catalog.integrity_problems() == []
lib.close()
print("ok")
"""


def test_stored_cuts_give_back_the_words_even_after_the_segmenter_learns_a_word(no_bundled):
    proc = subprocess.run(
        [sys.executable, "-c", LEARNS_A_WORD], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-3000:]


@given(st.text(max_size=300), st.text(max_size=20))
@settings(max_examples=200, deadline=None)
def test_cuts_round_trip_to_the_same_index_terms(text, title):
    fresh = IndexText.of_parts(title, "", (), text)
    again = IndexText.of_parts(title, "", (), text, cuts=fresh.cuts, text_z=fresh.text_z)
    assert again == fresh


def test_cuts_keep_long_tokens_and_tokens_that_are_not_slices():
    source = "a" * 300 + " 中文"
    tokens = ["a" * 300, " ", "中文"]
    assert unpack_words(pack_cuts(tokens, source), source) == " ".join(tokens)
    changed = ["x", "y"]
    assert unpack_words(pack_cuts(changed, "ab"), "ab") == "x y"


def test_a_damaged_row_makes_the_library_rebuild_the_catalog(no_bundled):
    articles = corpus(5)
    lib = Library()
    lib.add_many([(a, None) for a in articles])
    db = lib.catalog.db
    db.execute("UPDATE articles SET text_z = x'00112233'")
    hits = lib.search("阿里巴巴")  # reads a damaged row: rebuilt from the files, then answered
    assert hits and all(h.sentence for h in hits)
    assert any("rebuilt it from the article files" in n for n in lib.notices)
    lib.close()


def test_the_catalog_is_small_beside_the_text_it_indexes(no_bundled):
    lib = Library()
    lib.add_many([(a, None) for a in corpus(240)])
    lib.close()
    data = paths.data_dir()
    db = sqlite3.connect(data / "catalog.sqlite")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    text_bytes = sum(p.stat().st_size for p in (data / "articles").glob("*.md"))
    size = (data / "catalog.sqlite").stat().st_size
    # schema 2 took 3.97 bytes of catalog per byte of article files on this corpus, 3.4 on
    # 10,000 articles; schema 3 2.56 here (a small library: fixed costs weigh more), 1.95 there
    assert size < 2.8 * text_bytes, (size, text_bytes)


def test_a_new_catalog_has_large_pages_and_wal(tmp_path):
    cat = Catalog.open(tmp_path / "catalog.sqlite")
    assert cat.db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    assert cat.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cat.close()
