"""Writes that either happen completely or not at all.

A librarian's collection must survive a crash, a full disk or a killed import
at any instant.  Every file reader stores is therefore written to a temporary
file in the *same directory* (so the final ``os.replace`` is a rename within
one file system, which POSIX makes atomic), flushed to disk with ``fsync``,
then renamed over the target; the directory is fsynced afterwards so the
rename itself survives a power cut.  A crash leaves either the old file, the
new file, or an orphan temporary file that :func:`is_temp_name` recognises and
``reader check`` removes — never half a file under the real name.

A symbolic link is written *through*: the file it points to is replaced (in its
own directory) and the link stays, so a settings file kept in a dotfiles
repository and linked into place stays linked.  Anything that is not a regular
file (a device such as ``/dev/full``, a FIFO, a folder) is refused with
:class:`NotRegularFile` rather than replaced by a rename: run as root, a rename
over ``/dev/full`` would destroy the device node.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

#: Temporary files are hidden, carry this marker and end with a random suffix.
TEMP_MARKER = ".tmp-"


def temp_path_for(target: Path) -> Path:
    """A unique temporary name next to ``target`` (same directory, so rename is atomic)."""
    return target.with_name(f".{target.name}{TEMP_MARKER}{secrets.token_hex(4)}")


def is_temp_name(name: str) -> bool:
    """True for names made by :func:`temp_path_for` (left behind only by a crash)."""
    return name.startswith(".") and TEMP_MARKER in name


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - some file systems refuse to open dirs
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


class NotRegularFile(OSError):
    """The target exists and is not a regular file (device, FIFO, socket, folder).

    An :class:`OSError`, so callers that already report "cannot write" for
    ``OSError`` say this too; ``kind`` names what the target is ("device",
    "FIFO", "folder", "socket").
    """

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path}: not a regular file (a {kind})")
        self.filename = str(path)
        self.strerror = f"not a regular file (a {kind})"
        self.kind = kind


def file_kind(mode: int) -> str:
    """What a non-regular file is, in one word ("device", "FIFO", "folder", "socket")."""
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def resolve_target(target: Path) -> Path:
    """The path a write to ``target`` should replace: symbolic links followed.

    The link chain is followed even when its end does not exist yet (writing
    through a dangling link creates the file it names, as a shell redirection
    does).  The temporary file then lives beside the real file, so the final
    rename stays within one directory and one file system.
    """
    target = Path(target)
    if not target.is_symlink():
        return target
    return Path(os.path.realpath(target))


def check_regular(target: Path) -> os.stat_result | None:
    """The target's status if it is a regular file, ``None`` if it does not exist.

    Raises :class:`NotRegularFile` for anything else (``target`` should
    already be resolved with :func:`resolve_target`).
    """
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(target, file_kind(info.st_mode))
    return info


def output_target(path: str | os.PathLike[str], shown: str | None = None) -> Path:
    """Check a file the user asked reader to write (``reader export -o``); the path to write.

    Symbolic links are followed (the file they name is what gets replaced).
    Raises a one-line :class:`~reader.errors.UserError` naming ``shown`` (the
    path as the user typed it; ``path`` by default) when the target is a folder,
    a device, a FIFO or another special file (standard output is ``-``, never
    ``/dev/stdout``), or when its folder does not exist: a typo in the folder
    name must not create a folder tree somewhere.
    """
    from reader.errors import UserError

    shown = str(path) if shown is None else shown
    try:
        # the path as given first: stat follows every link, even /proc's magic
        # ones (/dev/stdout), which have no real path to resolve to
        check_regular(Path(path))
        target = resolve_target(Path(path))
        check_regular(target)
    except NotRegularFile as exc:
        code = {
            "folder": "export_is_folder",
            "device": "export_is_device",
            "FIFO": "export_is_fifo",
        }
        hint = (
            "give a file name"
            if exc.kind == "folder"
            else "give a file name, or - for standard output"
        )
        raise UserError(
            f"{shown}: is a {exc.kind}, not a regular file; {hint}",
            code=code.get(exc.kind, "export_not_regular"),
            output=shown,
            kind=exc.kind,
        ) from None
    except OSError as exc:  # a symlink loop, a path through a file, no permission
        reason = exc.strerror or str(exc)
        raise UserError(
            f"{shown}: cannot write ({reason})",
            code="export_cannot_write",
            output=shown,
            reason=reason,
        ) from None
    folder = target.parent
    if not folder.is_dir():
        raise UserError(
            f"{shown}: the folder {folder} does not exist",
            code="export_no_folder",
            output=shown,
            folder=str(folder),
        )
    return target


def write_bytes(
    target: Path,
    data: bytes,
    *,
    durable: bool = True,
    sync_dir: bool = True,
    make_parents: bool = True,
) -> Path:
    """Replace ``target`` with ``data`` atomically; return the path actually replaced.

    A symbolic link is followed and the file it names is replaced (the link
    stays); a target that exists and is not a regular file raises
    :class:`NotRegularFile` and is left alone.  A replaced file keeps its
    permission bits (a private ``settings.toml`` stays private).
    ``make_parents=False`` refuses a missing folder (``FileNotFoundError``)
    instead of creating it: an export path typed by hand should not grow a
    folder tree from a typo.
    ``durable=False`` skips the fsyncs: the write is still atomic with respect
    to a killed process (the kernel keeps the page cache), only not with respect
    to a power cut.  Nothing in the library uses it for user data.
    ``sync_dir=False`` leaves the directory fsync to the caller, who writes
    several files and syncs the directory once (see :func:`write_many`).
    """
    check_regular(Path(target))
    target = resolve_target(Path(target))
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    existing = check_regular(target)
    tmp = temp_path_for(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        if existing is not None:
            os.fchmod(fd, stat.S_IMODE(existing.st_mode))
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable and sync_dir:
        fsync_dir(target.parent)
    return target


def write_many(items: Sequence[tuple[Path, bytes]], *, workers: int = 8) -> None:
    """Write several files atomically and durably; the fsyncs run side by side.

    Each file is written exactly as :func:`write_bytes` does (temporary file,
    fsync, rename); the waits for the disk overlap in a few threads, and each
    directory is fsynced once at the end, so a batch of small articles costs
    about one disk flush instead of two per article.  When this returns, every
    file is durable under its real name; if it raises, each file is either
    complete or absent.
    """
    if not items:
        return
    if len(items) == 1 or workers <= 1:
        written = [write_bytes(target, data, sync_dir=False) for target, data in items]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(workers, len(items))) as pool:
            futures = [pool.submit(write_bytes, t, d, sync_dir=False) for t, d in items]
            written = [future.result() for future in futures]
    for directory in {target.parent for target in written}:
        fsync_dir(directory)


def write_text(target: Path, text: str, *, durable: bool = True, make_parents: bool = True) -> Path:
    """Replace ``target`` with UTF-8 ``text`` atomically (see :func:`write_bytes`)."""
    return write_bytes(target, text.encode("utf-8"), durable=durable, make_parents=make_parents)


def move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` atomically (same file system) and make it durable.

    Refuses to overwrite an existing ``target``: moving into the trash or back
    must never destroy another copy.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(str(target))
    os.rename(source, target)
    fsync_dir(target.parent)
    if source.parent != target.parent:
        fsync_dir(source.parent)


@contextlib.contextmanager
def transaction(db: sqlite3.Connection, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """One SQLite transaction: committed on success, rolled back on any error.

    ``BEGIN IMMEDIATE`` takes the write lock at the start, so two processes
    that both read-then-write (duplicate check, then insert) are serialised
    instead of failing with "database is locked" half-way through.
    """
    db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.commit()
