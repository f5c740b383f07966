"""Importers: real-world files in, repaired :class:`Article` objects out.

The one entry point is :func:`import_file`.  It picks a reader by the file's
content and extension (plain text in any common Chinese encoding, Markdown,
HTML, Word .docx, EPUB, PDF), turns the file into raw blocks, runs the one
repair pipeline (:mod:`reader.library.repair`) and returns the articles with a
report of every repair step.  It never writes anything: storing the articles
is the library's job, so a refused file can never damage the collection.

Bad input raises :class:`ImportRefused` (a :class:`~reader.errors.UserError`)
whose message is one line naming the file and the reason.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import UserError
from reader.library.article import Article

#: Files larger than this are refused unless the caller allows more.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def human_sizes(*sizes: int) -> list[str]:
    """Byte counts in units a person reads (bytes, KB, MB, GB), told apart.

    Sizes in one message share the precision that keeps different numbers
    different, so a 1,100-byte file is never "1 KB over the 1 KB limit"; if
    rounding cannot tell them apart the exact byte counts are given.
    """
    for decimals in (1, 2):
        shown = [_human(size, decimals) for size in sizes]
        if len(set(shown)) == len(set(sizes)):
            return shown
    return [f"{size:,} bytes" for size in sizes]


def human_size(size: int) -> str:
    """One byte count in bytes, KB, MB or GB (1 KB = 1024 bytes)."""
    return human_sizes(size)[0]


def _human(size: int, decimals: int) -> str:
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if size < scale * 1024 or unit == "GB":
            value = size / scale
            text = f"{value:.{decimals}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text} {unit}"
    raise AssertionError("unreachable")


class ImportRefused(UserError, ValueError):
    """A file that cannot be imported; the message is ``<file>: <reason>``, one line.

    The English message is what ``reader --lang en import`` prints.  ``code``
    (for example ``"binary"``, ``"too_large"``) and ``details`` (sizes, the
    format, an errno…) say the same thing as data, so the app and ``reader
    import`` can tell the user in Chinese
    (:func:`reader.library.importers.reasons.chinese_reason`) without parsing
    English text.
    """

    def __init__(self, message: str, *, code: str = "", **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.details = details

    def about(self, path: object) -> ImportRefused:
        """The same refusal with the file named in front (``<file>: <reason>``)."""
        return ImportRefused(f"{path}: {self}", code=self.code, **self.details)

    def __reduce__(self):  # keyword-only fields survive pickling (worker processes)
        return (_refused, (str(self), self.code, self.details))


def _refused(message: str, code: str, details: dict) -> ImportRefused:
    return ImportRefused(message, code=code, **details)


@dataclass
class ImportOutcome:
    """What one file gave: its articles, how it was read and what was repaired."""

    articles: list[Article]
    #: The text encoding used ("utf-8", "gb18030", "big5", "utf-16-le"…), or the
    #: container format for binary formats ("docx", "epub", "pdf").
    encoding: str
    #: One line per repair step that changed something, e.g.
    #: "paragraphs cut across blank lines or pages rejoined: 6".
    steps: list[str] = field(default_factory=list)
    #: The format the file was read as: "text", "markdown", "html", "docx", "epub",
    #: "pdf", or "article" (reader's own format, taken as it is, without repair).
    format: str = "text"
    #: The same repair steps as counts, keyed by step id ("controls", "wraps",
    #: "cuts", "captions", "headlines", "headings", "bylines", "articles",
    #: "width", "opencc", "headers").
    counts: dict[str, int] = field(default_factory=dict)


def import_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    split: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    convert: str | None = None,
    format: str | None = None,
) -> ImportOutcome:
    """Read ``path`` and return its repaired articles; never writes anything.

    ``encoding`` overrides detection for text formats (plain text, Markdown,
    HTML; ignored for docx, EPUB and PDF).  Stories that end with a byline or
    are separated by blank lines are always separate articles; ``split`` also
    makes each EPUB chapter, each chapter heading (第一章…) and each headline
    after a page break an article of its own.  ``max_bytes`` refuses larger
    files (and archives whose members would expand beyond it).  ``convert`` is
    an OpenCC configuration, ``"t2s"`` (Traditional → Simplified) or ``"s2t"``.
    ``format`` forces a reader ("text", "markdown", "html", "docx", "epub",
    "pdf") instead of detection by content and extension.

    The outcome's ``steps`` say what the repair pipeline did (one line per
    step, e.g. "captions recognised: 1"); ``encoding`` is the detected or
    given text encoding, or the container format.  Article text may contain
    anything printable, including text that looks like Rich/Textual markup
    (``[bold]``): callers must display it literally.

    Each article's ``source`` is the file's name (not its full path) and its
    id is the content id, so importing the same text twice gives the same id.

    Raises :class:`ImportRefused` with a one-line ``<file>: <reason>`` for
    binary, empty, oversized, undecodable, encrypted or corrupt files, archive
    bombs and file names with control characters.
    """
    from reader.library.importers.core import run_import

    return run_import(
        Path(path),
        encoding=encoding,
        split=split,
        max_bytes=max_bytes,
        convert=convert,
        format=format,
    )


#: Folders a folder import never walks into unless they are named themselves: tools'
#: folders full of files that are not articles (version control, package caches).
#: Hidden folders (``.git``, ``.venv``, ``.hg``…) and virtualenvs of any name (a
#: folder holding ``pyvenv.cfg``) are skipped too.
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "CVS", "site-packages"})


#: What a file-type extension looks like: a dot, then up to 8 ASCII letters and
#: digits with at least one letter (``.txt``, ``.mp3``, ``.tar``; not ``.05``).
_EXTENSION_RE = re.compile(r"\.(?=[0-9]*[a-z])[a-z0-9]{1,8}")


@dataclass
class FolderScan:
    """What a folder import will read: the files, and what it left out and why."""

    files: list[Path] = field(default_factory=list)
    #: files whose format no importer reads (``.cpp``, ``.so``, ``.json``…)
    other: int = 0
    #: hidden, version-control and virtualenv folders not walked
    skipped_folders: list[Path] = field(default_factory=list)
    #: reader's own folders (the library's data, settings…) found inside, not walked
    own_folders: list[Path] = field(default_factory=list)


def importable(path: Path) -> bool:
    """Whether a file found in a folder is in a format the importers read.

    The importers' own table of extensions decides (``.txt``, ``.md``,
    ``.html``, ``.docx``, ``.epub``, ``.pdf``…); a file with no extension is
    sniffed as the importer would (PDF, EPUB, Word, HTML or text that is not
    binary).  What follows the last dot counts as an extension only if it
    looks like one (``.cpp``, ``.so``, ``.mp3``), so "新闻 2023.10.05" is sniffed
    rather than dropped.  Anything else (source code, libraries, data files)
    is left out of a folder import; naming such a file on its own still
    imports it.
    """
    from reader.library.importers.core import EXTENSIONS, _looks_binary, sniff

    suffix = path.suffix.lower()
    if suffix in EXTENSIONS:
        return True
    if _EXTENSION_RE.fullmatch(suffix):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return True  # let the import say why it cannot be read
    fmt = sniff(head, path)
    if fmt in ("text", "markdown", "html"):
        return bool(head.strip()) and not _looks_binary(head)
    return fmt != "zip"


def _own_folders() -> list[Path]:
    """reader's own folders (library data, settings, state, caches), which an import skips."""
    from reader import paths

    found = []
    for folder in (paths.data_dir, paths.config_dir, paths.state_dir, paths.cache_dir):
        try:
            found.append(folder())
        except OSError:
            continue
    return found


def scan_folder(folder: Path, *, skip: Sequence[Path] = ()) -> FolderScan:
    """The files a folder import reads, in name order, walking sub-folders.

    Left out: hidden files and folders, tools' folders (:data:`SKIPPED_FOLDERS`,
    virtualenvs), files no importer reads (:func:`importable`), and reader's
    own folders and ``skip`` when they lie inside ``folder`` (importing a
    folder that holds the library must not read the library's own files).
    The folder given is always walked, even if it is hidden or one of those.
    Symbolic links to folders are not followed (no loops, no escaping the tree).
    """
    scan = FolderScan()
    own: set[tuple[int, int]] = set()
    for path in (*_own_folders(), *skip):
        try:
            info = os.stat(path)
        except OSError:
            continue
        own.add((info.st_dev, info.st_ino))
    for parent, dirs, names in os.walk(folder):
        kept = []
        for name in sorted(dirs):
            path = Path(parent) / name
            try:
                info = os.stat(path)
                ours = (info.st_dev, info.st_ino) in own
            except OSError:
                ours = False
            if ours:
                scan.own_folders.append(path)
            elif name.startswith(".") or name in SKIPPED_FOLDERS or (path / "pyvenv.cfg").is_file():
                scan.skipped_folders.append(path)
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(parent) / name
            try:  # a FIFO or device would block or never end: only regular files (or links to them)
                regular = stat.S_ISREG(os.stat(path).st_mode)
            except OSError:
                regular = True  # a broken link: the import says it cannot be read
            if regular and importable(path):
                scan.files.append(path)
            else:
                scan.other += 1
    return scan


__all__ = [
    "DEFAULT_MAX_BYTES",
    "SKIPPED_FOLDERS",
    "FolderScan",
    "ImportOutcome",
    "ImportRefused",
    "human_size",
    "human_sizes",
    "import_file",
    "importable",
    "scan_folder",
]
