"""The library: the bundled articles plus the user's own, looked up, searched and changed.

Layout under ``reader.paths.data_dir()``::

    articles/<id>.md     the user's articles, in the ``articles/`` file format
    trash/<id>.md        removed articles (``reader restore`` brings them back)
    catalog.sqlite       the catalog and full-text index (see ``catalog.py``)
    library.lock         held shared by every writer, exclusively by ``reader check``

The article files are the truth and the catalog is an index over them.  Every
time a :class:`Library` first touches the catalog it compares the folders with
it (names, sizes and modification times: cheap) and brings it up to date, so a
file a librarian fixed in an editor, or an import killed between writing a
file and recording it, is picked up without anyone asking.  If the SQLite file
itself is unreadable it is set aside and rebuilt from the files, with a notice.

Writes are ordered so that a crash at any instant leaves each article wholly
present or wholly absent: the file is written atomically first (temporary file,
fsync, rename), then the catalog row is added in one transaction.  A crash in
between leaves a complete file without a row, which the next open adds.  The
whole step runs under SQLite's write lock (``BEGIN IMMEDIATE``), so two
imports at once see each other's articles and never store one twice.

Bundled articles (``reader.paths.bundled_articles_dir()``) appear in every
library and are never written to.  Editing one saves the user's own copy under
the same id, which from then on overrides the original everywhere; removing
that copy brings the original back.  Removing a bundled original is refused.

For the app (all of it usable from a worker thread; nothing here imports Textual)::

    library = Library()
    library.entries()                       # [Entry(id, title, author, length, path, bundled, tags)]
    library.get(id) -> Article
    library.search("疾人", limit=20)         # [Hit(id, title, author, sentence, score, bundled, path)]
    library.import_paths(paths, progress=lambda done, total, path, results: ...)
                                            # -> [ImportResult]; result.line("zh") to speak it
    library.edit(id, title=..., author=..., add_tags=[...], remove_tags=[...])
    library.remove(id); library.trash(); library.restore(id)
    library.check() -> CheckReport(fixes, problems, articles)
    library.notices                         # one-line messages to show (catalog rebuilt …)
    library.errors                          # unreadable article files, one line each
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reader import paths
from reader.errors import UserError
from reader.library import atomic
from reader.library.article import Article, ArticleFormatError, content_id
from reader.library.catalog import Catalog, CatalogCorrupt, Hit, IndexText, fast_content_id

#: Default largest file ``reader import`` accepts (settings: ``max_import_mb``).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_SAFE_ID_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class UnknownArticle(UserError, LookupError):
    """No article has that id; the message is a one-line answer for the user."""


class Note(str):
    """A line for the user (a repair, a notice): English text, plus a ``code`` and
    ``details`` from which the command line says it in Chinese
    (:func:`reader.commands.strings.note_line`).  It is a ``str``, so callers
    that only want the English line need not know."""

    code: str
    details: dict[str, object]

    def __new__(cls, text: str, code: str = "", **details: object) -> Note:
        note = super().__new__(cls, text)
        note.code = code
        note.details = details
        return note


@dataclass(frozen=True)
class Entry:
    """What a listing needs to know about one article without loading its text."""

    id: str
    title: str
    author: str
    length: int
    path: Path
    bundled: bool
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrashEntry:
    """A removed article waiting in the trash."""

    id: str
    title: str
    path: Path
    removed: float


@dataclass
class ImportResult:
    """What happened to one file (or one article of a file that held several)."""

    path: Path
    status: Literal["imported", "duplicate", "refused"]
    id: str = ""  # the new article's id, or the id it duplicates
    title: str = ""
    reason: str = ""  # why it was refused, in English (what ``reader --lang en import`` prints)
    encoding: str | None = None
    repairs: list[str] = field(default_factory=list)
    #: the refusal as data: a stable code ("binary", "too_large"…) and its details
    #: (sizes, format, errno), from which ``line("zh")`` says the reason in Chinese
    code: str = ""
    details: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "refused"

    def reason_in(self, lang: str = "en") -> str:
        """Why the file was refused; in Chinese when the code has a rendering, else English."""
        if lang == "zh" and self.code:
            try:
                from reader.library.importers.reasons import chinese_reason
            except ImportError:  # no importers installed: the English text still says it
                return self.reason
            return chinese_reason(self.code, self.details) or self.reason
        return self.reason

    def line(self, lang: str = "en", *, short: bool = False) -> str:
        """The one line ``reader import`` prints for this result (``lang="zh"``: in Chinese).

        ``short`` names the file without its folder: what the app says aloud, where a
        folder's path repeated for every file would hide the reasons.
        """
        name = display_path(Path(self.path).name if short else self.path)
        if lang == "zh":
            if self.status == "imported":
                title = f"《{self.title}》" if self.title else ""
                return f"{name}：已导入{title}，编号 {self.id}"
            if self.status == "duplicate":
                return f"{name}：已跳过，与 {self.id} 内容相同"
            return f"{name}：未导入，{self.reason_in('zh')}"
        if self.status == "imported":
            extra = f" ({self.title})" if self.title else ""
            enc = f" [{self.encoding}]" if self.encoding else ""
            return f"{name}: imported as {self.id}{extra}{enc}"
        if self.status == "duplicate":
            return f"{name}: skipped as duplicate of {self.id}"
        return f"{name}: refused: {self.reason}"


@dataclass
class CheckReport:
    """What ``reader check`` found and did: each repair, and what it could not repair."""

    fixes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    articles: int = 0

    @property
    def consistent(self) -> bool:
        return not self.problems


ProgressCallback = Callable[[int, int, Path, list[ImportResult]], None]


def display_path(path: Path | str) -> str:
    """A file name safe to print: control characters (a terminal escape, a newline) made visible."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(path))


class Library:
    """Bundled articles (read-only) and the user's articles, with their catalog."""

    def __init__(
        self,
        bundled_dir: Path | None = None,
        user_dir: Path | None = None,
        *,
        root: Path | None = None,
    ) -> None:
        self.root = root or (user_dir.parent if user_dir else paths.data_dir())
        self.bundled_dir = bundled_dir or paths.bundled_articles_dir()
        self.user_dir = user_dir or (self.root / "articles")
        self.trash_dir = self.root / "trash"
        self.catalog_path = self.root / "catalog.sqlite"
        #: files that could not be read, one line each (kept in the catalog until fixed).
        self.errors: list[str] = []
        #: one-line messages for the user, e.g. that the catalog was rebuilt.
        self.notices: list[str] = []
        self._catalog: Catalog | None = None
        # the app may search from a worker thread: one catalog user at a time
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ catalog

    @property
    def catalog(self) -> Catalog:
        """The open catalog, brought up to date with the files on first use."""
        with self._lock:
            if self._catalog is None:
                started = time.monotonic()
                self._catalog = self._open_catalog()
                self.sync()
                if self._catalog.upgraded:
                    self._note_upgrade(self._catalog, time.monotonic() - started)
            return self._catalog

    def _note_upgrade(self, catalog: Catalog, seconds: float) -> None:
        """Say that the catalog was rebuilt for this version of reader (else a silent long wait)."""
        count = catalog.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        what = "catalog" if catalog.upgraded == "schema" else "search index"
        self.notices.append(
            Note(
                f"the {what} was made by an older version of reader: rebuilt it"
                f" ({count} articles, {seconds:.1f} s)",
                f"{catalog.upgraded}_upgraded",
                count=count,
                seconds=f"{seconds:.1f}",
            )
        )

    def _open_catalog(self) -> Catalog:
        try:
            return Catalog.open(self.catalog_path)
        except CatalogCorrupt as exc:
            kept = self._set_aside_catalog()
            self.notices.append(
                Note(
                    f"the catalog could not be read ({exc}); rebuilt it from the article files"
                    + (f" (the damaged file is kept as {kept.name})" if kept else ""),
                    "catalog_unreadable",
                    reason=str(exc),
                    kept=kept.name if kept else "",
                )
            )
            return self._open_fresh()

    def _open_fresh(self) -> Catalog:
        """Open a new catalog after setting a damaged one aside; a plain error if even that fails."""
        try:
            return Catalog.open(self.catalog_path)
        except CatalogCorrupt as exc:
            raise UserError(f"cannot create the catalog: {exc}") from None

    def _set_aside_catalog(self) -> Path | None:
        """Move a damaged catalog (and its WAL files) out of the way; never touches articles."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.catalog_path.with_name(f"{self.catalog_path.name}.damaged-{stamp}")
        moved = None
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.catalog_path) + suffix)
            if not source.exists():
                continue
            try:
                os.replace(source, Path(str(kept) + suffix))
            except OSError:
                continue
            moved = moved or kept
        return moved

    def _rebuild(self, reason: str) -> None:
        if self._catalog is not None:
            with contextlib.suppress(sqlite3.Error):
                self._catalog.close()
            self._catalog = None
        kept = self._set_aside_catalog()
        self.notices.append(
            Note(
                f"the catalog is damaged ({reason}); rebuilt it from the article files"
                + (f" (the damaged file is kept as {kept.name})" if kept else ""),
                "catalog_damaged",
                reason=reason,
                kept=kept.name if kept else "",
            )
        )
        self._catalog = self._open_fresh()
        self.sync()

    def _guarded(self, action: Callable[[], object]):
        """Run a catalog action; if SQLite finds the file damaged, rebuild once and retry."""
        with self._lock:
            try:
                return action()
            except sqlite3.DatabaseError as exc:
                if type(exc) is not sqlite3.DatabaseError:  # locked, constraint …: not damage
                    raise
                self._rebuild(str(exc))
                return action()

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ files and sync

    def _scan(self) -> dict[str, tuple[str, os.stat_result]]:
        """path -> (origin, stat) of every article file in the bundled and user folders."""
        found: dict[str, tuple[str, os.stat_result]] = {}
        for origin, folder in (("bundled", self.bundled_dir), ("user", self.user_dir)):
            try:
                items = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            for item in items:
                if item.name.startswith(".") or not item.name.endswith(".md"):
                    continue
                try:
                    if not item.is_file():
                        continue
                    st = item.stat()
                except FileNotFoundError:  # removed while we looked
                    continue
                found[str(Path(folder) / item.name)] = (origin, st)
        return found

    def temp_files(self) -> list[Path]:
        """Temporary files left by a write that was killed half-way."""
        out = []
        for folder in (self.user_dir, self.root):
            with contextlib.suppress(FileNotFoundError):
                out.extend(
                    Path(folder) / n for n in sorted(os.listdir(folder)) if atomic.is_temp_name(n)
                )
        return out

    def sync(self) -> list[str]:
        """Bring the catalog up to date with the files; returns one line per change."""
        catalog = self._catalog or self.catalog
        fixes: list[str] = []

        def run() -> None:
            files = self._scan()
            states = catalog.file_states()
            if states.keys() == files.keys() and all(
                states[p] == (st.st_mtime_ns, st.st_size) for p, (_, st) in files.items()
            ):
                return
            with atomic.transaction(catalog.db):
                # look again under the write lock: another process may have just fixed it
                files = self._scan()
                states = catalog.file_states()
                self._apply_changes(catalog, files, states, fixes)

        self._guarded(run)
        self.errors = [
            f"{display_path(p)}: {r}" if str(p) not in r else r for p, r in catalog.bad_files()
        ]
        return fixes

    def _apply_changes(
        self,
        catalog: Catalog,
        files: dict[str, tuple[str, os.stat_result]],
        states: dict[str, tuple[int, int]],
        fixes: list[str],
    ) -> None:
        for path in sorted(states.keys() - files.keys()):
            row = catalog.by_path(Path(path))
            if row is not None:
                catalog.delete(row.rowid)
                fixes.append(
                    Note(
                        f"removed the catalog entry for {row.id}: {display_path(path)} is gone",
                        "entry_removed",
                        id=row.id,
                        path=display_path(path),
                    )
                )
            catalog.forget_bad(Path(path))
        # bundled first, so a user's copy of a bundled article is seen as an override
        for path, (origin, st) in sorted(files.items(), key=lambda i: (i[1][0] != "bundled", i[0])):
            if states.get(path) == (st.st_mtime_ns, st.st_size):
                continue
            known = catalog.by_path(Path(path))
            try:
                article = Article.load(Path(path))
            except ArticleFormatError as exc:
                if known is not None:
                    catalog.delete(known.rowid)
                catalog.mark_bad(Path(path), st, str(exc))
                fixes.append(
                    Note(
                        f"cannot read {display_path(path)}: {exc}; left it in place",
                        "article_unreadable",
                        path=display_path(path),
                        reason=str(exc),
                    )
                )
                continue
            other = catalog.find(article.id, origin)
            if other is not None and str(other.path) != path:
                reason = f"same id {article.id} as {display_path(other.path)}; not listed"
                catalog.mark_bad(Path(path), st, reason)
                fixes.append(
                    Note(
                        f"{display_path(path)}: {reason}",
                        "same_id",
                        path=display_path(path),
                        id=article.id,
                        other=display_path(other.path),
                    )
                )
                continue
            catalog.forget_bad(Path(path))
            catalog.put(article, origin=origin, path=Path(path), stat=st)
            verb = "updated" if known is not None else "added"
            fixes.append(
                Note(
                    f"{verb} the catalog entry for {article.id} ({display_path(path)})",
                    f"entry_{verb}",
                    id=article.id,
                    path=display_path(path),
                )
            )

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the library's lock shared while writing, so ``check`` never deletes our temp files."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "library.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    # ------------------------------------------------------------------ reading

    def entries(self) -> list[Entry]:
        """Every readable article, bundled first; a user's copy stands in for its original."""
        rows = self._guarded(lambda: self.catalog.rows())
        user = {r.id: r for r in rows if not r.bundled}
        result: list[Entry] = []
        shown: set[str] = set()
        for row in rows:
            if row.bundled and row.id in user:
                row = user[row.id]
            if row.id in shown and not row.bundled:
                continue
            shown.add(row.id)
            result.append(
                Entry(row.id, row.title, row.author, row.length, row.path, row.bundled, row.tags)
            )
        return result

    def entry(self, key: str) -> Entry:
        """The entry whose id is ``key``, or is number ``key`` in the list, or whose id starts with it."""
        entries = self.entries()
        matches = [e for e in entries if e.id == key]
        # a short number is a position in 'reader list' before it is an id prefix
        # (ids are hex, so "4" could be either; nobody types 1-4 digits of an id)
        if not matches and key.isdigit() and len(key) <= 4 and 1 <= int(key) <= len(entries):
            matches = [entries[int(key) - 1]]
        matches = matches or [e for e in entries if e.id.startswith(key)]
        if not matches:
            raise UnknownArticle(
                f"no article with id {key!r} (try 'reader list')", code="unknown_article", key=key
            )
        if len(matches) > 1:
            ids = ", ".join(e.id for e in matches)
            raise UnknownArticle(
                f"id {key!r} is ambiguous: {ids}", code="ambiguous_article", key=key, ids=ids
            )
        return matches[0]

    def get(self, key: str) -> Article:
        """The article whose id is ``key``, or starts with it, or is number ``key`` in the list."""
        return Article.load(self.entry(key).path)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Articles matching ``query`` in title, author, tags or text, best first.

        Each hit carries the sentence that matched.  Chinese queries match
        anywhere, also inside longer words; several words separated by spaces
        must all occur.
        """
        return self._guarded(lambda: self.catalog.search(query, limit))

    # ------------------------------------------------------------------ adding

    def add(self, article: Article, *, index: IndexText | None = None) -> tuple[str, str]:
        """Store ``article`` as the user's; returns ``("imported", id)`` or ``("duplicate", id)``.

        Duplicates are found by content (``content_id`` of the normalised
        text), among bundled and user articles alike.
        """
        return self.add_many([(article, index)])[0]

    def add_many(self, items: Sequence[tuple[Article, IndexText | None]]) -> list[tuple[str, str]]:
        """Store several articles in one transaction; one ``(status, id)`` per article.

        The files are written (and fsynced, side by side) before the catalog
        rows are committed, all under the catalog's write lock: another process
        sees all of the batch or none of it, and a crash leaves complete files
        that the next open records.
        """
        prepared = [(a, fast_content_id(a.text), ix or IndexText.of(a)) for a, ix in items]
        if not prepared:
            return []
        with self.writing():
            return self._guarded(lambda: self._add_locked(prepared))

    def _add_locked(
        self, prepared: Sequence[tuple[Article, str, IndexText]]
    ) -> list[tuple[str, str]]:
        catalog = self.catalog
        outcomes: list[tuple[str, str]] = []
        writes: list[tuple[Path, bytes]] = []
        rows: list[tuple[Article, Path, IndexText | None, str]] = []
        with atomic.transaction(catalog.db):
            batch_ids: set[str] = set()
            batch_content: dict[str, str] = {}
            for article, cid, index in prepared:
                dup = batch_content.get(cid)
                if dup is None:
                    row = catalog.by_content(cid)
                    dup = row.id if row is not None else None
                if dup is not None:
                    outcomes.append(("duplicate", dup))
                    continue
                wanted = article.id if _SAFE_ID_RE.fullmatch(article.id or "") else cid
                for candidate in _id_candidates(wanted, cid):
                    if candidate in batch_ids or catalog.find(candidate) is not None:
                        continue
                    path = self.user_dir / f"{candidate}.md"
                    if not path.exists():
                        stored = dataclasses.replace(article, id=candidate)
                        writes.append((path, stored.to_markdown().encode("utf-8")))
                        rows.append((stored, path, index, cid))
                        break
                    # a complete file without a row: left by an import killed before
                    # it recorded the file; record it instead of storing a second copy
                    try:
                        existing = Article.load(path)
                    except ArticleFormatError:
                        continue
                    if existing.id == candidate and content_id(existing.text) == cid:
                        rows.append((existing, path, None, cid))
                        break
                batch_ids.add(candidate)
                batch_content[cid] = candidate
                outcomes.append(("imported", candidate))
            atomic.write_many(writes)
            for article, path, index, cid in rows:
                catalog.put(
                    article, origin="user", path=path, stat=path.stat(), index=index, cid=cid
                )
        return outcomes

    def import_paths(
        self,
        sources: Sequence[Path | str],
        *,
        encoding: str | None = None,
        split: bool = False,
        max_bytes: int | None = None,
        convert: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> list[ImportResult]:
        """Import files and folders (recursively); one or more results per file.

        Bad input is refused with a one-line reason and never stops the batch.
        ``progress(done, total, path, results)`` is called after each file.
        Articles are stored a few files at a time (one transaction, one disk
        flush), and each file's results are reported once they are stored.
        """
        from concurrent.futures import Future, ThreadPoolExecutor

        max_bytes = max_bytes or configured_max_bytes()
        files = list(expand_sources(sources))
        results: list[ImportResult] = []
        Batch = list[tuple[Path, list[ImportResult], list[tuple[Article, IndexText]]]]
        pending: Batch = []
        done = 0
        started = time.monotonic()

        def report(batch: Batch, stored: Future) -> None:
            # runs in the caller's thread, so progress callbacks never change thread
            nonlocal done
            outcomes = iter(stored.result())
            for path, file_results, _ in batch:
                for result in file_results:
                    if result.status != "refused":
                        result.status, result.id = next(outcomes)  # type: ignore[assignment]
                results.extend(file_results)
                done += 1
                if progress is not None:
                    progress(done, len(files), path, file_results)

        options = {"encoding": encoding, "split": split, "max_bytes": max_bytes, "convert": convert}
        # One batch is stored (SQLite and fsync, which release the GIL) while the
        # next is read and repaired; batches are stored strictly one after another.
        in_flight: tuple[Batch, Future] | None = None
        with self.writing(), ThreadPoolExecutor(1, thread_name_prefix="reader-store") as store:

            def flush() -> None:
                nonlocal in_flight, pending
                if in_flight is not None:
                    report(*in_flight)
                    in_flight = None
                if pending:
                    articles = [item for _, _, prepared in pending for item in prepared]
                    in_flight = (pending, store.submit(self.add_many, articles))
                    pending = []

            for entry in _prepared_in_order(files, options):
                pending.append(entry)
                count = sum(len(p) for _, _, p in pending)
                size = sum(len(a.text) for _, _, p in pending for a, _ in p)
                if count >= 64 or size >= 1_000_000 or time.monotonic() - started > 0.5:
                    flush()
                    started = time.monotonic()
            flush()
            flush()
            imported = sum(r.status == "imported" for r in results)
            self._guarded(lambda: self.catalog.optimize_after_import(imported))
        return results

    def import_file(
        self,
        path: Path,
        *,
        encoding: str | None = None,
        split: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        convert: str | None = None,
    ) -> list[ImportResult]:
        """Import one file through the importers and repair pipeline."""
        results, prepared = prepare_file(
            path, encoding=encoding, split=split, max_bytes=max_bytes, convert=convert
        )
        for result, (status, id) in zip(results, self.add_many(prepared), strict=False):
            result.status, result.id = status, id  # type: ignore[assignment]
        return results

    # ------------------------------------------------------------------ changing

    def edit(
        self,
        key: str,
        *,
        title: str | None = None,
        author: str | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
    ) -> tuple[Article, bool]:
        """Change an article's title, author or tags; returns it and whether a copy was made.

        A bundled article is never written to: the change is saved as the
        user's own copy with the same id, which overrides the original.
        """
        if title is not None and not title.strip():
            raise UserError("the title cannot be empty", code="empty_title")
        for name, value in (("title", title), ("author", author)):
            if value is not None and _CONTROL_RE.search(value):
                raise UserError(
                    f"the {name} may not contain control characters", code=f"control_{name}"
                )
        for tag in (*add_tags, *remove_tags):
            if _CONTROL_RE.search(tag):
                raise UserError("a tag may not contain control characters", code="control_tag")
        entry = self.entry(key)
        copied = entry.bundled
        result: list[Article] = []

        def write() -> None:
            catalog = self.catalog
            with atomic.transaction(catalog.db):
                # read the file under the write lock, so two edits at once both count
                current = self.user_dir / f"{entry.id}.md" if copied else entry.path
                article = Article.load(current if current.exists() else entry.path)
                tags = list(article.tags)
                for tag in add_tags:
                    if tag.strip() and tag.strip() not in tags:
                        tags.append(tag.strip())
                for tag in remove_tags:
                    if tag.strip() in tags:
                        tags.remove(tag.strip())
                edited = dataclasses.replace(
                    article,
                    title=title.strip() if title is not None else article.title,
                    author=author.strip() if author is not None else article.author,
                    tags=tags,
                )
                atomic.write_text(current, edited.to_markdown())
                catalog.put(edited, origin="user", path=current, stat=current.stat())
                result.append(edited)

        with self.writing():
            self._guarded(write)
        return result[-1], copied

    def remove(self, key: str) -> tuple[Entry, bool]:
        """Move an article to the trash; returns it and whether a bundled original remains."""
        entry = self.entry(key)
        if entry.bundled:
            raise UserError(
                f"{entry.id} ({entry.title}) is bundled with reader and cannot be removed",
                code="bundled_remove",
                id=entry.id,
                title=entry.title,
            )

        def move() -> bool:
            catalog = self.catalog
            with atomic.transaction(catalog.db):
                if not entry.path.exists():  # removed by someone else this instant
                    raise UnknownArticle(
                        f"no article with id {entry.id!r} (already removed?)",
                        code="article_gone",
                        key=entry.id,
                    )
                row = catalog.by_path(entry.path)
                atomic.move(entry.path, self._trash_name(entry.id))
                if row is not None:
                    catalog.delete(row.rowid)
                return catalog.find(entry.id, "bundled") is not None

        with self.writing():
            original = self._guarded(move)
        return entry, bool(original)

    def _trash_name(self, id: str) -> Path:
        path = self.trash_dir / f"{id}.md"
        n = 2
        while path.exists():
            path = self.trash_dir / f"{id}~{n}.md"
            n += 1
        return path

    def trash(self) -> list[TrashEntry]:
        """The removed articles, most recently removed first."""
        out = []
        with contextlib.suppress(FileNotFoundError):
            for item in os.scandir(self.trash_dir):
                if item.name.startswith(".") or not item.name.endswith(".md"):
                    continue
                id = item.name[:-3].split("~")[0]
                try:
                    title = Article.load(Path(item.path)).title
                except ArticleFormatError:
                    title = "?"
                out.append(TrashEntry(id, title, Path(item.path), item.stat().st_mtime))
        return sorted(out, key=lambda t: -t.removed)

    def restore(self, key: str) -> Article:
        """Bring an article back from the trash (the most recently removed, if several)."""
        items = self.trash()
        matches = [t for t in items if t.id == key] or [t for t in items if t.id.startswith(key)]
        if not matches:
            raise UnknownArticle(
                f"no article with id {key!r} in the trash (try 'reader restore')",
                code="unknown_in_trash",
                key=key,
            )
        if len({t.id for t in matches}) > 1:
            ids = ", ".join(sorted({t.id for t in matches}))
            raise UnknownArticle(
                f"id {key!r} is ambiguous in the trash: {ids}",
                code="ambiguous_in_trash",
                key=key,
                ids=ids,
            )
        item = matches[0]
        article = Article.load(item.path)
        target = self.user_dir / f"{article.id}.md"

        def move() -> None:
            catalog = self.catalog
            with atomic.transaction(catalog.db):
                if catalog.find(article.id, "user") is not None or target.exists():
                    raise UserError(
                        f"{article.id} is already in the library; the trash copy stays",
                        code="restore_exists",
                        id=article.id,
                    )
                dup = catalog.by_content(content_id(article.text))
                if dup is not None and not dup.bundled:
                    raise UserError(
                        f"the library already has this text as {dup.id}; the trash copy stays",
                        code="restore_duplicate",
                        id=dup.id,
                    )
                atomic.move(item.path, target)
                catalog.put(article, origin="user", path=target, stat=target.stat())

        with self.writing():
            self._guarded(move)
        return article

    # ------------------------------------------------------------------ check

    def check(self) -> CheckReport:
        """Verify the catalog against the files and repair it, one line per repair."""
        import fcntl

        report = CheckReport()
        catalog = self._catalog
        if catalog is None:
            try:
                catalog = self._catalog = Catalog.open(self.catalog_path)
            except CatalogCorrupt as exc:
                kept = self._set_aside_catalog()
                report.fixes.append(
                    Note(
                        f"the catalog could not be read ({exc}); rebuilding it from the article"
                        " files" + (f" (damaged file kept as {kept.name})" if kept else ""),
                        "catalog_unreadable",
                        reason=str(exc),
                        kept=kept.name if kept else "",
                    )
                )
                catalog = self._catalog = self._open_fresh()
        problems = catalog.integrity_problems()
        if problems:
            self._rebuild("; ".join(problems))
            report.fixes.extend(self.notices)
            self.notices = []
            catalog = self.catalog
        # temporary files: only when no other process is writing
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "library.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if self.temp_files():
                    report.fixes.append(
                        Note(
                            "an import is running: temporary files left for it to finish",
                            "import_running",
                        )
                    )
            else:
                for tmp in self.temp_files():
                    with contextlib.suppress(FileNotFoundError):
                        tmp.unlink()
                        report.fixes.append(
                            Note(
                                f"deleted the unfinished temporary file {tmp.name}",
                                "temp_deleted",
                                name=tmp.name,
                            )
                        )
        finally:
            os.close(fd)
        report.fixes.extend(self.sync())
        with atomic.transaction(catalog.db):
            orphans = catalog.orphan_index_rows()
            unindexed = catalog.unindexed_rows()
            if orphans or unindexed:
                count = catalog.rebuild_index()
                report.fixes.append(
                    Note(
                        f"rebuilt the search index ({len(orphans)} entries without an article,"
                        f" {len(unindexed)} articles missing from it; {count} articles indexed)",
                        "index_rebuilt",
                        orphans=len(orphans),
                        unindexed=len(unindexed),
                        count=count,
                    )
                )
        for path, reason in catalog.bad_files():
            report.problems.append(
                reason if str(path) in reason else f"{display_path(path)}: {reason}"
            )
        report.articles = len(self.entries())
        return report


def prepare_file(
    path: Path,
    *,
    encoding: str | None,
    split: bool,
    max_bytes: int,
    convert: str | None,
) -> tuple[list[ImportResult], list[tuple[Article, IndexText]]]:
    """Read, repair and tokenize one file; a refusal has no articles.

    Writes nothing and holds no lock, so it can run in a worker process.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        reason, errno = exc.strerror or str(exc), {"errno": exc.errno}
        return [ImportResult(path, "refused", reason=reason, code="unreadable", details=errno)], []
    if size > max_bytes:
        from reader.library.importers import human_sizes

        shown, limit = human_sizes(size, max_bytes)
        reason = f"{shown} is over the {limit} import limit (--max-size)"
        details: dict[str, object] = {"size": size, "limit": max_bytes}
        return [ImportResult(path, "refused", reason=reason, code="too_large", details=details)], []
    try:
        options: dict[str, object] = {"encoding": encoding, "split": split}
        options["max_bytes"] = max_bytes
        if convert:
            options["convert"] = convert
        outcome = _run_importer(path, **options)
        articles = list(outcome.articles)
        if not articles:
            return [ImportResult(path, "refused", reason="no text found", code="no_text")], []
        prepared = [(a, IndexText.of(a)) for a in articles]
    except UserError as exc:
        code, details = getattr(exc, "code", ""), dict(getattr(exc, "details", {}))
        reason = _reason(exc, path)
        return [ImportResult(path, "refused", reason=reason, code=code, details=details)], []
    except (MemoryError, RecursionError, ValueError, LookupError, OSError) as exc:
        reason = f"cannot be read ({exc})"
        return [ImportResult(path, "refused", reason=reason, code="unreadable")], []
    encoding_found = getattr(outcome, "encoding", None)
    steps = getattr(outcome, "steps", None) or getattr(outcome, "repairs", None) or []
    repairs = [str(r) for r in steps]
    results = [
        ImportResult(path, "imported", "", a.title, "", encoding_found, list(repairs))
        for a, _ in prepared
    ]
    return results, prepared


def _prepared_in_order(
    files: Sequence[Path | ImportResult], options: dict
) -> Iterator[tuple[Path, list[ImportResult], list[tuple[Article, IndexText]]]]:
    """``prepare_file`` over ``files``, in order (a missing file is already a result)."""
    for item in files:
        if isinstance(item, ImportResult):
            yield item.path, [item], []
        else:
            yield (item, *prepare_file(item, **options))


def _id_candidates(wanted: str, cid: str) -> Iterator[str]:
    yield wanted
    if cid != wanted:
        yield cid
    n = 2
    while True:
        yield f"{cid}-{n}"
        n += 1


def _mb(size: int) -> str:
    return (
        f"{size / (1024 * 1024):.1f} MB" if size % (1024 * 1024) else f"{size // (1024 * 1024)} MB"
    )


def _reason(exc: BaseException, path: Path) -> str:
    """The importer's one-line message, without repeating the file name we print anyway."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    for prefix in (str(path), path.name, display_path(path), display_path(path.name)):
        if text.startswith(prefix + ":"):
            return text[len(prefix) + 1 :].strip()
    return text


def configured_max_bytes() -> int:
    """The import size limit from settings (``max_import_mb``), or 50 MB."""
    try:
        from reader.settings import Settings

        value = getattr(Settings.load(), "max_import_mb", None)
    except Exception:  # settings are someone else's file; a bad one must not stop imports
        value = None
    if isinstance(value, (int, float)) and value > 0:
        return int(value * 1024 * 1024)
    return DEFAULT_MAX_BYTES


def expand_sources(sources: Sequence[Path | str]) -> Iterator[Path | ImportResult]:
    """Files to import, in order: folders walked recursively by
    :func:`reader.library.importers.scan_folder` (only formats the importers
    read; hidden, tools' and reader's own folders skipped)."""
    for source in sources:
        if isinstance(source, str) and not source.strip():
            reason = "an empty path is not a file or folder"
            yield ImportResult(Path(source), "refused", reason=reason, code="empty_path")
            continue
        path = Path(source)
        if path.is_dir():
            from reader.library.importers import scan_folder

            yield from scan_folder(path).files
        elif path.exists():
            yield path
        else:
            yield ImportResult(path, "refused", reason="no such file or folder", code="missing")


def _run_importer(path: Path, **options):
    """Call ``reader.library.importers.import_file``; the article format alone if it is absent."""
    try:
        from reader.library.importers import import_file
    except ModuleNotFoundError as exc:
        if exc.name != "reader.library.importers":
            raise
        return _article_format_only(path)
    return import_file(path, **options)


@dataclass
class _Outcome:
    articles: list[Article]
    encoding: str | None = None
    repairs: list[str] = field(default_factory=list)


def _article_format_only(path: Path) -> _Outcome:
    """Without the importers, only files already in the article format can be taken."""
    if path.suffix.lower() != ".md":
        raise UserError("no importer for this kind of file is installed")
    return _Outcome([Article.load(path)], "utf-8")


def import_paths(
    sources: Sequence[Path | str], *, progress: ProgressCallback | None = None, **options
) -> list[ImportResult]:
    """Import into the user's library (see :meth:`Library.import_paths`): the app's import screen."""
    with Library() as library:
        return library.import_paths(sources, progress=progress, **options)


def search(query: str, limit: int = 20) -> list[Hit]:
    """Search the user's library (see :meth:`Library.search`)."""
    with Library() as library:
        return library.search(query, limit)
