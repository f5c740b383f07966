"""The catalog: one SQLite file that lists every article and indexes its text.

The article files are the truth; the catalog is an index over them that can
always be rebuilt (``reader check``, or automatically when the SQLite file is
unreadable).  It holds one row per article file — the bundled ones and the
user's own — with the metadata a listing needs, the plain text (to show the
sentence a search matched) and an FTS5 full-text index.

Chinese has no spaces, so FTS5's tokenizers cannot find words in it by
themselves.  Each article is therefore indexed twice over, as space-separated
text that FTS5's ``unicode61`` tokenizer splits at the spaces:

* ``words``: jieba's words (``reader.text.segment.tokenize``), so a query that
  is a whole word ranks the articles that use it *as a word* first;
* the ``title``/``author``/``tags``/``body`` columns as overlapping character
  bigrams of every run of Han characters (残疾人 → ``残疾 疾人 人``), so any
  query of two or more characters is a phrase of consecutive bigrams and
  matches wherever it occurs, also inside a longer word (疾人 finds 残疾人),
  and a single character is a prefix query on the bigrams.  Latin words and
  numbers stay whole words (prefix-matched, case- and width-folded).

Both the indexed text and the query are *folded* first (:func:`fold`): width
and case (ＡＢＣ, ABC → abc), and script: every Traditional character becomes
its Simplified one (臺灣銀行 → 台湾银行), so 银行 finds 銀行 and 銀行 finds 银行 in a
library that mixes Big5 files from Taiwan or Hong Kong with GB files.  The
script fold is OpenCC's own Traditional→Simplified conversion of each character
on its own (:func:`script_table`), never its phrase conversion, so it maps one
character to one character: a match's offset in the folded text is its offset
in the original, and the sentence a search shows is the original's.  Simplified
text folds to itself, apart from a dozen characters that OpenCC also reads as
Traditional (乾→干, 於→于, 徵→征 …): those fold alike in text and query, so
乾隆 still finds 乾隆 (and 干 finds it too).

A search ranks in two stages (:func:`search_stages`), each with FTS5's bm25
(title and author weighted above the body): first the articles that have the
query in a title, author or tag or as whole words, then those that have it
only inside longer words.  The first stage is what a reader means by a match
and is cheap to rank; the second is only ranked when the first has too few.
If the segmenter learns new words later, articles indexed before are still
found by the bigrams.

The index is *contentless* (FTS5 ``content=''``): it keeps only the terms'
positions, not a second copy of the text.  Removing an entry from such an
index needs exactly the terms it was made from, so each row keeps its text and
where jieba cut it into words, and the terms are recomputed from those;
``index_version()`` names everything the terms depend on, and a catalog made
with another version has its index rebuilt on open.

What keeps the catalog small (schema 3; 10,000 news articles, 50 MB of files:
169 MB in schema 2, see benchmarks/RESULTS.md for today's figure):

* the row's text is stored zlib-compressed (Chinese UTF-8 to about 45%), and
  jieba's words as the lengths of the words, one byte each, compressed
  (the words themselves are slices of the text), instead of as text;
* 16 KB pages, so compressed rows of a few KB do not leave pages half empty;
* ``body`` is the index's *first* column: FTS5 writes a column marker before
  the positions of every column but the first, per term and article, so the
  column with most terms goes first (about a fifth of the index);
* a catalog made by an older schema is emptied and VACUUMed before it is
  filled again from the article files, so the disk space really comes back.

The index keeps FTS5's full detail (positions): phrase queries of bigrams and
bm25 with term frequencies need them.  ``detail=column`` (32 MB instead of
66 MB here) would lose both, since a contentless index cannot check phrases.

Every change happens inside one SQLite transaction; the database runs in WAL
mode with a busy timeout so a search never waits for an import and two
imports wait for each other instead of failing.
"""

from __future__ import annotations

import json
import operator
import re
import sqlite3
import sys
import time
import unicodedata
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from reader.library.atomic import transaction
from reader.text.script import (
    _CharMap,
    _converter_version,
    fold_script,
    has_traditional,
    script_table,
)

SCHEMA_VERSION = "3"

#: How the index terms are made (see :func:`index_version`); grams2: script-folded text.
_TERMS_VERSION = "grams2"



def index_version() -> str:
    """What the index terms are made with, recorded in the catalog.

    When it changes (this code, Python's Unicode tables, the converter's
    version) the index is rebuilt from the rows on open, since deleting an
    entry from a contentless index needs exactly the terms it was made from.
    """
    return f"{_TERMS_VERSION}/unicode-{unicodedata.unidata_version}/{_converter_version()}"


def __getattr__(name: str) -> str:
    # INDEX_VERSION stays importable, computed on first use: it needs the converter's version
    if name == "INDEX_VERSION":
        return index_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Characters that are written without spaces: Han, kana, hangul.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff\u3040-\u30ff\uac00-\ud7af"
_RUN_RE = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")

#: The index's columns; the body first (the column FTS5 stores without a marker).
_COLUMNS = ("body", "words", "title", "author", "tags")

#: bm25 weights, in the order of ``_COLUMNS``.
_WEIGHTS = (1.0, 1.5, 10.0, 6.0, 4.0)

#: SQLite page size of a new catalog.  A row (compressed text, about 2.5 KB for a news
#: article) leaves most of a 4 KB page empty when two do not fit; in 16 KB pages six do.
PAGE_SIZE = 16384

#: An import that adds at least this many articles, and at least this share of the library,
#: ends with an FTS5 ``optimize`` (:meth:`Catalog.optimize_after_import`).
OPTIMIZE_MIN_ARTICLES = 500
OPTIMIZE_MIN_SHARE = 0.25

#: zlib level for the stored text: level 6 compresses Chinese about 3% better than level 1
#: at the same speed.
_ZLEVEL = 6

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
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
    text_z BLOB NOT NULL,
    cuts BLOB NOT NULL,
    UNIQUE (origin, id)
);
CREATE INDEX IF NOT EXISTS articles_content ON articles (content_id);
CREATE INDEX IF NOT EXISTS articles_id ON articles (id);
CREATE TABLE IF NOT EXISTS bad_files (
    path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, reason TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    body, words, title, author, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    content = ''
);
"""


class CatalogCorrupt(Exception):
    """The SQLite file cannot be used; the library rebuilds it from the article files."""


_NFKC: _CharMap | None = None
_FOLD: _CharMap | None = None


def fast_content_id(text: str) -> str:
    """Exactly :func:`reader.library.article.content_id`, several times faster on Chinese.

    ``content_id`` hashes the NFKC form of the text.  NFKC of the text equals
    NFKC of its characters' own NFKC forms, and when that character-wise
    result is already in NFKC (the quick check, nearly always true) it *is*
    the NFKC form; only otherwise is the slow full normalisation run.
    """
    import hashlib

    from reader.library.article import content_id

    global _NFKC
    if _NFKC is None:
        _NFKC = _CharMap(lambda ch: unicodedata.normalize("NFKC", ch))
    mapped = _NFKC(text)
    if not unicodedata.is_normalized("NFKC", mapped):
        return content_id(text)
    return hashlib.sha1("".join(mapped.split()).encode("utf-8")).hexdigest()[:10]


def fold(text: str) -> str:
    """Width-, case- and script-fold, so ＡＢＣ, abc and ABC, and 銀行 and 银行, search alike.

    NFKC, then casefold, then :func:`script_table` character by character, as
    one table.  NFKC may change the length (㍿ → 株式会社); the script step never does.
    """
    global _FOLD
    if text.isascii():
        return text.lower()
    if _FOLD is None:
        # the width/case table, then the script table on its results and on the rest
        script = script_table()
        by_code = {ord(k): v for k, v in script.items()}
        width = _CharMap(lambda ch: unicodedata.normalize("NFKC", ch).casefold()).table
        table = {k: v.translate(by_code) for k, v in width.items()}
        for k, v in script.items():
            table.setdefault(k, v)
        _FOLD = _CharMap(table)
    return _FOLD(text).casefold()


def _grams_folded(folded: str) -> str:
    out: list[str] = []
    for han, other in _RUNS_RE.findall(folded):
        if han:
            if len(han) > 1:
                out.append(" ".join(map(operator.add, han[:-1], han[1:])))
            out.append(han[-1])
        else:
            out.append(other)
    return " ".join(out)


def grams(text: str) -> str:
    """Space-separated index terms: Han bigrams (plus each run's last character), Latin words."""
    return _grams_folded(fold(text))


_HAN_RE = re.compile(f"[{_HAN}]")
_RUNS_RE = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")


def _is_han(ch: str) -> bool:
    return _HAN_RE.match(ch) is not None


def _words_folded(folded: str) -> str:
    from reader.text.segment import words as cut

    # punctuation-only tokens vanish in FTS5's unicode61 tokenizer by themselves
    return " ".join(cut(folded))


def words(text: str) -> str:
    """jieba's words of ``text``, space-separated."""
    return _words_folded(fold(text))


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


_WORDISH_RE = re.compile(r"\w")


def _query_parts(query: str) -> tuple[str, str] | None:
    """``(grams, words)``: the two halves of a query's MATCH expression (words may be "")."""
    parts: list[str] = []
    for match in _RUN_RE.finditer(fold(query)):
        run = match.group()
        if _is_han(run[0]):
            if len(run) == 1:
                parts.append(f"{_quote(run)} *")
            else:
                parts.append(" + ".join(_quote(run[i : i + 2]) for i in range(len(run) - 1)))
        else:
            parts.append(f"{_quote(run)} *")
    if not parts:
        return None
    grams_expr = " AND ".join(f"({p})" for p in parts)
    word_terms = [w for w in words(query).split() if _WORDISH_RE.search(w)]
    return grams_expr, " AND ".join(_quote(w) for w in word_terms)


def build_query(query: str) -> str | None:
    """The FTS5 MATCH expression for everything ``query`` finds, or None if it has nothing to search for.

    Every whitespace-separated part of the query must occur (AND).  A part
    matches as a run of consecutive bigrams anywhere in title, author, tags or
    body, so also inside longer words; or as jieba words.
    """
    halves = _query_parts(query)
    if halves is None:
        return None
    grams_expr, words_expr = halves
    gram_match = f"{{title author tags body}} : ({grams_expr})"
    return f"({gram_match}) OR (words : ({words_expr}))" if words_expr else gram_match


def search_stages(query: str) -> list[str]:
    """MATCH expressions to rank one after the other; together they find what ``build_query`` finds.

    1. the query in a title, author or tag, or as whole words (jieba) anywhere;
    2. the rest: the query only inside longer words of the text (疾人 in 残疾人).

    Ranking the first stage is cheap (short columns and one token per word
    instead of a phrase of bigrams) and it is what a reader means by a match,
    so it comes first; the second is ranked only when the first has too few.
    """
    halves = _query_parts(query)
    if halves is None:
        return []
    grams_expr, words_expr = halves
    everywhere = f"{{title author tags body}} : ({grams_expr})"
    if not words_expr:
        return [f"{{title author tags}} : ({grams_expr})", everywhere]
    return [
        f"({{title author tags}} : ({grams_expr})) OR (words : ({words_expr}))",
        f"({everywhere}) NOT (words : ({words_expr}))",
    ]


@dataclass(frozen=True)
class Row:
    """One catalog row: an article file and what a listing or search shows of it."""

    rowid: int
    id: str
    origin: str
    content_id: str
    title: str
    author: str
    tags: tuple[str, ...]
    length: int
    path: Path
    mtime_ns: int
    size: int

    @property
    def bundled(self) -> bool:
        return self.origin == "bundled"


@dataclass(frozen=True)
class Hit:
    """One search result: which article, how well it matched, and the sentence that matched."""

    id: str
    title: str
    author: str
    sentence: str
    score: float
    bundled: bool
    path: Path


_ROW_COLUMNS = "rowid, id, origin, content_id, title, author, tags, length, path, mtime_ns, size"


def _row(values: Sequence) -> Row:
    return Row(
        values[0],
        values[1],
        values[2],
        values[3],
        values[4],
        values[5],
        tuple(json.loads(values[6])),
        values[7],
        Path(values[8]),
        values[9],
        values[10],
    )


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    has_meta = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return None
    found = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return found[0] if found else None


def _give_back_space(db: sqlite3.Connection) -> None:
    """Shrink the file after the old tables were dropped (SQLite keeps freed pages otherwise).

    The VACUUM also moves the file to :data:`PAGE_SIZE` pages, which SQLite
    allows only outside WAL mode, so the journal mode is switched for it and
    back.  Best effort: if another process has the catalog open, each step
    waits at most a second and gives up; the freed pages are then reused as
    the catalog fills again, only the file is not shortened.
    """
    timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        db.execute("PRAGMA busy_timeout = 1000")
        try:
            if db.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower() == "delete":
                db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            db.execute("VACUUM")
        finally:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        pass
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout)}")


class Catalog:
    """The SQLite catalog file.  Open with :meth:`open`; every method is one transaction."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self.db = db
        #: set by :meth:`open` when the file was made by an older version of reader:
        #: "schema" (emptied: the library fills it again from the files) or "index"
        #: (the index was rebuilt from the rows), so the user can be told why it took long.
        self.upgraded: str | None = None

    # ------------------------------------------------------------------ open

    @classmethod
    def open(cls, path: Path, *, timeout: float = 30.0) -> Catalog:
        """Open (creating if needed) the catalog; raises :class:`CatalogCorrupt` if unusable."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # check_same_thread=False: the Library serialises its use with a lock,
            # and the app searches from a worker thread
            db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise CatalogCorrupt(f"{path}: {exc}") from None
        try:
            db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # takes effect only in a new file
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # pragma: no cover - e.g. a read-only medium
                db.execute("PRAGMA journal_mode = DELETE")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            emptied = False
            index_now = index_version()
            if _meta(db, "schema") != SCHEMA_VERSION:
                with transaction(db):
                    version = _meta(db, "schema")  # again, now that we hold the write lock
                    if version is not None and version != SCHEMA_VERSION:
                        # an older layout: the files are the truth, index them again
                        db.execute("DROP TABLE IF EXISTS fts")
                        db.execute("DROP TABLE IF EXISTS articles")
                        db.execute("DROP TABLE IF EXISTS bad_files")
                        emptied = True
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?), ('index', ?)",
                        (SCHEMA_VERSION, index_now),
                    )
            if emptied:
                _give_back_space(db)
            catalog = cls(path, db)
            if emptied:
                catalog.upgraded = "schema"
            if _meta(db, "index") != index_now:
                with transaction(db):
                    if _meta(db, "index") != index_now:
                        catalog.rebuild_index()
                        catalog.upgraded = catalog.upgraded or "index"
            db.execute("CREATE INDEX IF NOT EXISTS articles_id ON articles (id)")
            db.execute("SELECT count(*) FROM articles").fetchone()
            db.execute("SELECT count(*) FROM fts").fetchone()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise CatalogCorrupt(f"{path}: {exc}") from None
        return catalog

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ rows

    def rows(self) -> list[Row]:
        """Every row, bundled first (by path), then the user's in the order they were added."""
        cur = self.db.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles "
            "ORDER BY origin = 'user', CASE origin WHEN 'bundled' THEN path END, added, rowid"
        )
        return [_row(v) for v in cur]

    def file_states(self) -> dict[str, tuple[int, int]]:
        """path -> (mtime_ns, size) of every file seen: what it looked like when indexed.

        Files that could not be read are included (from ``bad_files``), so an
        unchanged broken file is not parsed again on every open.
        """
        states = {
            p: (m, s) for p, m, s in self.db.execute("SELECT path, mtime_ns, size FROM articles")
        }
        for p, m, s in self.db.execute("SELECT path, mtime_ns, size FROM bad_files"):
            states.setdefault(p, (m, s))
        return states

    def bad_files(self) -> list[tuple[Path, str]]:
        """Article files that could not be read, with the one-line reason."""
        cur = self.db.execute("SELECT path, reason FROM bad_files ORDER BY path")
        return [(Path(p), r) for p, r in cur]

    def mark_bad(self, path: Path, stat, reason: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO bad_files (path, mtime_ns, size, reason) VALUES (?, ?, ?, ?)",
            (str(path), stat.st_mtime_ns, stat.st_size, reason),
        )

    def forget_bad(self, path: Path) -> bool:
        return self.db.execute("DELETE FROM bad_files WHERE path = ?", (str(path),)).rowcount > 0

    def find(self, id: str, origin: str | None = None) -> Row | None:
        sql = f"SELECT {_ROW_COLUMNS} FROM articles WHERE id = ?"
        args: list = [id]
        if origin:
            sql += " AND origin = ?"
            args.append(origin)
        found = self.db.execute(sql + " ORDER BY origin = 'bundled'", args).fetchone()
        return _row(found) if found else None

    def by_content(self, content_id: str) -> Row | None:
        found = self.db.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles WHERE content_id = ? "
            "ORDER BY origin = 'bundled', rowid LIMIT 1",
            (content_id,),
        ).fetchone()
        return _row(found) if found else None

    def by_path(self, path: Path) -> Row | None:
        found = self.db.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles WHERE path = ?", (str(path),)
        ).fetchone()
        return _row(found) if found else None

    # ------------------------------------------------------------------ changes
    # These run inside a transaction the caller opened (see atomic.transaction),
    # so that checking for a duplicate, writing the file and adding the row are
    # one step for any other process.

    def put(
        self,
        article,
        *,
        origin: str,
        path: Path,
        stat,
        index: IndexText | None = None,
        cid: str | None = None,
    ) -> int:
        """Insert or replace the row (and its index entry) for the file at ``path``."""
        from reader.library.article import content_id

        index = index or IndexText.of(article)
        cid = cid or content_id(article.text)
        old = self.db.execute(
            "SELECT rowid, added FROM articles WHERE path = ? OR (origin = ? AND id = ?)",
            (str(path), origin, article.id),
        ).fetchall()
        added = old[0][1] if old else time.time()
        for rowid, _ in old:
            self.delete(rowid)
        cur = self.db.execute(
            "INSERT INTO articles (id, origin, content_id, title, author, tags, length, path,"
            " mtime_ns, size, added, text_z, cuts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                origin,
                cid,
                article.title,
                article.author,
                json.dumps(list(article.tags), ensure_ascii=False),
                article.length,
                str(path),
                stat.st_mtime_ns,
                stat.st_size,
                added,
                index.text_z,
                index.cuts,
            ),
        )
        rowid = cur.lastrowid
        self._index(rowid, index)
        return rowid

    def _index(self, rowid: int, index: IndexText, command: str | None = None) -> None:
        terms = (index.body, index.words, index.title, index.author, index.tags)  # _COLUMNS
        if command is None:
            self.db.execute(
                f"INSERT INTO fts (rowid, {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                (rowid, *terms),
            )
        else:
            self.db.execute(
                f"INSERT INTO fts (fts, rowid, {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (command, rowid, *terms),
            )

    def _stored_index(self, rowid: int, *, recut: bool = False) -> IndexText | None:
        """The exact terms row ``rowid`` was indexed with (the index keeps no copy of them).

        ``recut``: for a row with Traditional characters, cut the script-folded
        text into words again and store the new cuts (the old ones were jieba's
        reading of the Traditional text, which its Simplified dictionary reads
        badly); only while the index is being rebuilt, since the cuts must stay
        what the index holds.
        """
        found = self.db.execute(
            "SELECT title, author, tags, text_z, cuts FROM articles WHERE rowid = ?", (rowid,)
        ).fetchone()
        if found is None:
            return None
        title, author, tags, text_z, cuts = found
        text = unpack_text(text_z)
        if recut and (has_traditional(title) or has_traditional(text)):
            index = IndexText.of_parts(title, author, json.loads(tags), text, text_z=text_z)
            self.db.execute("UPDATE articles SET cuts = ? WHERE rowid = ?", (index.cuts, rowid))
            return index
        return IndexText.of_parts(title, author, json.loads(tags), text, cuts=cuts, text_z=text_z)

    def delete(self, rowid: int) -> None:
        """Remove a row and its index entry (rebuilt from the row: the index is contentless)."""
        index = self._stored_index(rowid)
        if index is not None:
            self._index(rowid, index, "delete")
        self.db.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))

    def rebuild_index(self) -> int:
        """Empty the full-text index and index every row again; returns the number of rows."""
        self.db.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
        rowids = [r for (r,) in self.db.execute("SELECT rowid FROM articles")]
        for rowid in rowids:
            index = self._stored_index(rowid, recut=True)
            if index is not None:
                self._index(rowid, index)
        # one segment instead of many: smaller, and the index is rewritten anyway
        self.db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('index', ?)", (index_version(),)
        )
        return len(rowids)

    def optimize_after_import(self, added: int) -> bool:
        """Merge the index into one segment after a bulk import; returns whether it did.

        An import leaves the index in many segments (FTS5 merges them only
        partly as it goes).  On varied text (2,000 articles of dictionary
        words) one ``optimize`` made the index 9% smaller and searches about a
        fifth faster, for 0.6 s (4% of the import); on repetitive news prose it
        changed little.  It rewrites the whole index, so it runs only when the
        import was a large part of the library (:data:`OPTIMIZE_MIN_ARTICLES`,
        :data:`OPTIMIZE_MIN_SHARE`), e.g. a librarian's first bulk import.
        """
        if added < OPTIMIZE_MIN_ARTICLES:
            return False
        total = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        if added < OPTIMIZE_MIN_SHARE * total:
            return False
        with transaction(self.db):
            self.db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        return True

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Articles matching ``query``, best first; a user's copy hides the bundled original."""
        stages = search_stages(query)
        if not stages:
            return []
        hidden = self.db.execute(
            "SELECT count(*) FROM articles u JOIN articles b"
            " ON b.id = u.id AND b.origin = 'bundled' WHERE u.origin = 'user'"
        ).fetchone()[0]
        # Rank inside the index alone and join only the best rows: joining every
        # match to its (long) article row before sorting costs more than ranking.
        # A user's copy of a bundled article hides the original, so ask for as
        # many extra rows as there are such copies.
        found: list[tuple] = []
        seen: set[int] = set()
        for expr in stages:
            if len(found) >= limit + hidden:
                break
            try:
                rows = self.db.execute(
                    "SELECT a.rowid, a.id, a.title, a.author, a.text_z, a.origin, a.path, best.score"
                    f" FROM (SELECT rowid, bm25(fts, {', '.join(map(str, _WEIGHTS))}) AS score"
                    "       FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?) AS best"
                    " JOIN articles a ON a.rowid = best.rowid"
                    " ORDER BY best.score",
                    (expr, limit + hidden + len(seen)),
                ).fetchall()
            except sqlite3.OperationalError as exc:  # pragma: no cover - a query we built badly
                raise ValueError(f"cannot search for {query!r}: {exc}") from None
            for row in rows:
                if row[0] not in seen:
                    seen.add(row[0])
                    found.append(row[1:])
        overridden = (
            {
                i
                for (i,) in self.db.execute(
                    "SELECT id FROM articles WHERE origin = 'user' AND id IN"
                    " (SELECT id FROM articles WHERE origin = 'bundled')"
                )
            }
            if hidden
            else set()
        )
        hits = []
        for id, title, author, text_z, origin, path, score in found:
            if origin == "bundled" and id in overridden:
                continue
            sentence = matching_sentence(unpack_text(text_z), query, title=title)
            hits.append(Hit(id, title, author, sentence, -score, origin == "bundled", Path(path)))
        return hits[:limit]

    # ------------------------------------------------------------------ checks

    def integrity_problems(self) -> list[str]:
        """What SQLite itself finds wrong with the file and the index (empty if healthy)."""
        problems = []
        try:
            result = [r[0] for r in self.db.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                problems.extend(result[:5])
            self.db.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(str(exc))
        return problems

    def orphan_index_rows(self) -> list[int]:
        """Index entries with no article row, and article rows with no index entry."""
        missing = self.db.execute(
            "SELECT rowid FROM fts EXCEPT SELECT rowid FROM articles"
        ).fetchall()
        return [r[0] for r in missing]

    def unindexed_rows(self) -> list[Row]:
        cur = self.db.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles WHERE rowid NOT IN (SELECT rowid FROM fts)"
        )
        return [_row(v) for v in cur]


@dataclass(frozen=True)
class IndexText:
    """An article's index terms and its row's stored text; computed before any lock is taken.

    ``text_z`` is the text compressed and ``cuts`` where jieba cut it into words
    (see :func:`pack_cuts`): what the row keeps so its terms can be made again
    exactly, to delete them from the contentless index.
    """

    title: str
    author: str
    tags: str
    body: str
    words: str
    text_z: bytes
    cuts: bytes

    @classmethod
    def of(cls, article) -> IndexText:
        return cls.of_parts(article.title, article.author, article.tags, article.text)

    @classmethod
    def of_parts(
        cls,
        title: str,
        author: str,
        tags,
        text: str,
        *,
        cuts: bytes | None = None,
        text_z: bytes | None = None,
    ) -> IndexText:
        """The terms for these fields; ``cuts`` reuses jieba's cuts stored earlier."""
        body = fold(text)
        folded_title = fold(title)
        source = folded_title + "\n" + body
        if cuts is None:
            from reader.text.segment import words as cut

            tokens = cut(source)
            cuts = pack_cuts(tokens, source)
            # punctuation-only tokens vanish in FTS5's unicode61 tokenizer by themselves
            words_text = " ".join(tokens)
        else:
            words_text = unpack_words(cuts, source)
        return cls(
            _grams_folded(folded_title),
            grams(author),
            grams(" ".join(tags)),
            _grams_folded(body),
            words_text,
            text_z if text_z is not None else pack_text(text),
            cuts,
        )


def pack_text(text: str) -> bytes:
    """The text as a row stores it: UTF-8, zlib-compressed."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), _ZLEVEL)


def unpack_text(blob: bytes) -> str:
    try:
        return zlib.decompress(blob).decode("utf-8", "surrogatepass")
    except (zlib.error, UnicodeDecodeError, TypeError) as exc:
        # a damaged row: the library rebuilds the catalog on a plain DatabaseError
        raise sqlite3.DatabaseError(f"a catalog row's text is damaged: {exc}") from None


def pack_cuts(tokens: Sequence[str], source: str) -> bytes:
    """Where the segmenter cut ``source``: the tokens' lengths, one byte each, compressed.

    The tokens are consecutive slices of the text (jieba keeps every character,
    spaces and punctuation included), so their lengths give them back exactly,
    whatever the dictionary says later.  Should a segmenter ever change the
    text it cuts, the words themselves are kept instead.
    """
    lengths = [len(t) for t in tokens]
    if "".join(tokens) != source:
        payload = b"W" + " ".join(tokens).encode("utf-8", "surrogatepass")
    elif max(lengths, default=0) < 256:
        payload = b"B" + bytes(lengths)
    else:
        payload = b"I" + _little_endian(array("I", lengths)).tobytes()
    return zlib.compress(payload, _ZLEVEL)


def _little_endian(numbers: array) -> array:
    """The same array in little-endian byte order (a catalog may move to another machine)."""
    if sys.byteorder == "big":  # pragma: no cover - no big-endian machine in CI
        numbers.byteswap()
    return numbers


def unpack_words(blob: bytes, source: str) -> str:
    """jieba's words of ``source``, space-separated, as :func:`pack_cuts` recorded them."""
    try:
        payload = zlib.decompress(blob)
        kind, data = payload[:1], payload[1:]
        if kind == b"W":
            return data.decode("utf-8", "surrogatepass")
        lengths = data if kind == b"B" else _little_endian(array("I", data))
    except (zlib.error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise sqlite3.DatabaseError(f"a catalog row's word cuts are damaged: {exc}") from None
    ends = list(accumulate(lengths))
    if kind not in (b"B", b"I") or (ends[-1] if ends else 0) != len(source):
        raise sqlite3.DatabaseError("a catalog row's word cuts do not fit its text")
    return " ".join(source[a:b] for a, b in zip([0, *ends], ends, strict=False))


# Sentence ends: Chinese and Western end punctuation, or a block break.
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)》]*|\n|$)")


def matching_sentence(text: str, query: str, max_chars: int = 120, title: str = "") -> str:
    """The sentence of ``text`` that best shows why it matched ``query``.

    The first sentence that contains the whole query (folded), else the one
    containing the most of the query's parts, else the first sentence (the
    match was in the title or author).  A line that merely repeats ``title``
    is not shown, since the result already names it.  Long sentences are cut
    around the match.  The sentence is always the original text's, in its
    own script, whichever script the query was typed in.
    """
    folded_query = fold(query).strip()
    parts = [p for p in folded_query.split() if p]
    # Chinese queries change only their script when folded.  Then look for them in the
    # original text with a pattern that takes either script's characters (银行 → [银銀]行):
    # offsets are the original's, and no text is folded (folding a long Traditional article
    # costs more than the search).  Other queries compare folded sentences.
    plain = folded_query == fold_script(query.strip())
    if plain:
        whole: re.Pattern | str = _either_script(folded_query)
        pieces: list = [_either_script(p) for p in parts]

        def locate(needle, s: str, start: int = 0) -> int:
            found = needle.search(s, start)
            return found.start() if found else -1

        def view(s: str) -> str:
            return s

    else:
        whole, pieces = folded_query, parts

        def locate(needle, s: str, start: int = 0) -> int:
            return s.find(needle, start)

        view = fold
    if plain and folded_query:
        # jump straight to the first occurrence's sentence
        at = locate(whole, text)
        while at >= 0:
            start = max(text.rfind(c, 0, at) for c in "。！？!?；;\n") + 1
            end_match = _SENTENCE_RE.match(text, start)
            sentence = end_match.group().strip() if end_match else ""
            if sentence and sentence != title.strip():
                lead = len(text[start:]) - len(text[start:].lstrip())
                return _cut(sentence, max(0, at - start - lead), max_chars)
            at = locate(whole, text, at + 1)
    best = ""
    best_score = 0
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group().strip()
        if not sentence or (title and sentence == title.strip()):
            continue
        if not best:
            best = sentence
        folded = view(sentence)
        if folded_query and (at := locate(whole, folded)) >= 0:
            return _cut(sentence, at, max_chars)
        score = sum(1 for p in pieces if locate(p, folded) >= 0)
        if score > best_score:
            best, best_score = sentence, score
    if best_score:
        folded_best = view(best)
        at = min((a for p in pieces if (a := locate(p, folded_best)) >= 0), default=0)
        return _cut(best, at, max_chars)
    return _cut(best, 0, max_chars)


_UNFOLD: dict[str, str] | None = None


def _either_script(folded: str) -> re.Pattern:
    """A pattern for ``folded`` (script-folded) that matches it in text of either script."""
    global _UNFOLD
    if _UNFOLD is None:
        unfold: dict[str, str] = {}
        for traditional, simplified in script_table().items():
            unfold[simplified] = unfold.get(simplified, simplified) + traditional
        _UNFOLD = unfold
    return re.compile(
        "".join(f"[{re.escape(_UNFOLD[c])}]" if c in _UNFOLD else re.escape(c) for c in folded)
    )


def _cut(sentence: str, at: int, max_chars: int) -> str:
    if len(sentence) <= max_chars:
        return sentence
    start = max(0, min(at - max_chars // 3, len(sentence) - max_chars))
    piece = sentence[start : start + max_chars]
    return ("…" if start else "") + piece + ("…" if start + max_chars < len(sentence) else "")
