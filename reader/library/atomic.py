"""Writes that either happen completely or not at all.

A librarian's collection must survive a crash, a full disk or a killed import
at any instant.  Every file reader stores is therefore written to a temporary
file in the *same directory* (so the final ``os.replace`` is a rename within
one file system, which POSIX makes atomic), flushed to disk with ``fsync``,
then renamed over the target; the directory is fsynced afterwards so the
rename itself survives a power cut.  A crash leaves either the old file, the
new file, or an orphan temporary file that :func:`is_temp_name` recognises and
``reader check`` removes — never half a file under the real name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
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


def write_bytes(target: Path, data: bytes, *, durable: bool = True, sync_dir: bool = True) -> None:
    """Replace ``target`` with ``data`` atomically.

    ``durable=False`` skips the fsyncs: the write is still atomic with respect
    to a killed process (the kernel keeps the page cache), only not with respect
    to a power cut.  Nothing in the library uses it for user data.
    ``sync_dir=False`` leaves the directory fsync to the caller, who writes
    several files and syncs the directory once (see :func:`write_many`).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
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
        for target, data in items:
            write_bytes(target, data, sync_dir=False)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(workers, len(items))) as pool:
            for future in [pool.submit(write_bytes, t, d, sync_dir=False) for t, d in items]:
                future.result()
    for directory in {target.parent for target, _ in items}:
        fsync_dir(directory)


def write_text(target: Path, text: str, *, durable: bool = True) -> None:
    """Replace ``target`` with UTF-8 ``text`` atomically (see :func:`write_bytes`)."""
    write_bytes(target, text.encode("utf-8"), durable=durable)


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
