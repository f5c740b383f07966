"""The import driver: checks, format detection, reading, repair, articles."""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

from reader.library.article import Article
from reader.library.importers import ImportOutcome, ImportRefused, human_size, human_sizes
from reader.library.repair import RawBlock, RepairReport, repair

#: The OpenCC configurations a caller may ask for.
OPENCC_CONFIGS = frozenset(
    {"t2s", "s2t", "tw2s", "s2tw", "tw2sp", "s2twp", "hk2s", "s2hk", "t2tw", "t2hk"}
)

#: Extensions → format; anything else is sniffed from the content.
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".epub": "epub",
    ".pdf": "pdf",
}

#: A reader turns bytes into raw blocks; it returns (blocks per article group,
#: encoding or container name).  Each inner list is imported as one unit (EPUB
#: chapters with split=True come as several units).
Reader = Callable[..., tuple[list[list[RawBlock]], str]]


def _escaped(text: str) -> str:
    """The name with only its invisible characters escaped (``\\x01``, ``\\u200b``).

    Printing a raw control character could reprogram the terminal; escaping
    everything (``unicode_escape``) would make a Chinese name unreadable.  A
    byte that is not valid in the file system's encoding (a lone surrogate
    from ``os.fsdecode``) is shown as the byte it was.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _invisible(ch):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch != "\u200d"


def _check_name(path: Path) -> None:
    """Refuse a path with control characters or undecodable bytes, saying which.

    A backslash is an ordinary character in a POSIX file name (and on Windows
    ``Path`` has already split on it), so it is no reason to refuse a file.
    """
    name = str(path)
    bad = [ch for ch in name if _invisible(ch)]
    if not bad:
        return
    shown = _escaped(name)
    code = "name_control"
    if all(0xDC80 <= ord(ch) <= 0xDCFF for ch in bad):
        code = "name_bytes"
        reason = "the file name has invalid bytes (not valid in the file system's encoding)"
    elif len(set(bad)) == 1:
        reason = f"the file name contains a control character ({_escaped(bad[0])})"
    else:
        listed = " ".join(_escaped(ch) for ch in dict.fromkeys(bad))
        reason = f"the file name contains control characters ({listed})"
    raise ImportRefused(f"{shown}: {reason}", code=code)


def sniff(data: bytes, path: Path) -> str:
    """The format of a file, from its first bytes and then its extension."""
    head = data[:4096]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/epub+zip" in head[:200]:
            return "epub"
        ext = EXTENSIONS.get(path.suffix.lower())
        if ext in ("docx", "epub"):
            return ext
        if b"word/" in data[:65536] or b"[Content_Types].xml" in head:
            return "docx"
        return "zip"
    ext = EXTENSIONS.get(path.suffix.lower())
    if ext:
        return ext
    lowered = head.lstrip()[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "html"
    return "text"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes outside a UTF-16/32 pattern, or many C0 controls: not text."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if b"\x00" not in sample and controls <= len(sample) * 0.05:
        return False
    # BOM-less UTF-16 has NULs and control bytes (ASCII, and code points such
    # as U+4E00 or U+3002): accept it when one byte order gives plausible text.
    from reader.library.importers.text import plausibility

    even = sample[: len(sample) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            if plausibility(even.decode(codec)) > 0.9:
                return False
        except UnicodeDecodeError:
            continue
    return True


def run_import(
    path: Path,
    *,
    encoding: str | None,
    split: bool,
    max_bytes: int,
    convert: str | None,
    format: str | None,
) -> ImportOutcome:
    _check_name(path)
    name = path.name
    if convert is not None and convert not in OPENCC_CONFIGS:
        choices = ", ".join(sorted(OPENCC_CONFIGS))
        raise ImportRefused(
            f"{path}: unknown Chinese conversion {convert!r} (one of {choices})",
            code="bad_conversion",
            conversion=convert,
        )
    try:
        info = path.stat()
        size = info.st_size
        if path.is_dir():
            raise ImportRefused(f"{path}: is a folder, not a file", code="folder")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device: reading it may never end
            raise ImportRefused(
                f"{path}: not a regular file (a device, FIFO or socket)", code="not_regular"
            )
        if size > max_bytes:
            shown, limit = human_sizes(size, max_bytes)
            raise ImportRefused(
                f"{path}: too large ({shown}; the limit is {limit})",
                code="too_large",
                size=size,
                limit=max_bytes,
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except ImportRefused:
        raise
    except OSError as exc:
        raise ImportRefused(
            f"{path}: cannot read it ({exc.strerror or exc})", code="unreadable", errno=exc.errno
        ) from None
    if len(data) > max_bytes:
        raise ImportRefused(
            f"{path}: too large (the limit is {human_size(max_bytes)})",
            code="too_large",
            limit=max_bytes,
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportRefused(f"{path}: the file is empty", code="empty")
    fmt = format or sniff(data, path)
    if fmt == "zip":
        raise ImportRefused(
            f"{path}: a zip archive that is neither .docx nor .epub", code="other_zip"
        )
    if fmt in ("text", "markdown", "html") and _looks_binary(data):
        raise ImportRefused(f"{path}: a binary file, not text", code="binary")
    if fmt == "markdown" and data.lstrip(b"\xef\xbb\xbf").startswith((b"+++\n", b"+++\r\n")):
        return _own_format(path, data, encoding)
    report = RepairReport()
    try:
        units, used = _reader(fmt)(
            data, encoding=encoding, split=split, max_bytes=max_bytes, report=report, name=name
        )
    except ImportRefused as exc:
        raise exc.about(path) from None
    except (RecursionError, MemoryError):
        raise ImportRefused(
            f"{path}: too deeply nested or too large to read", code="too_complex"
        ) from None
    articles: list[Article] = []
    for blocks in units:
        drafts, _ = repair(blocks, split=split, convert=convert, report=report)
        for draft in drafts:
            article = Article.from_parts(
                draft.parts,
                title=draft.title or path.stem,
                subtitle=draft.subtitle,
                author=draft.author,
                source=name,
            )
            if article.text:
                articles.append(article)
    if not articles:
        raise ImportRefused(f"{path}: no readable text in it", code="no_text")
    return ImportOutcome(
        articles=articles,
        encoding=used,
        steps=report.steps(),
        format=fmt,
        counts=dict(report.counts),
    )


def _own_format(path: Path, data: bytes, encoding: str | None) -> ImportOutcome:
    """A file already in reader's article format: taken as it is, no repair.

    That format is not CommonMark (only headings, captions and the escape rule
    are markup), so it must not go through the Markdown reader, which would
    eat "1. " or "*" from the text.
    """
    from reader.library.article import ArticleFormatError

    try:
        text, used = decode_or_refuse(data, encoding)
    except ImportRefused as exc:
        raise exc.about(path) from None
    try:
        article = Article.from_markdown(text, name=str(path))
    except ArticleFormatError as exc:
        raise ImportRefused(str(exc), code="bad_article") from None
    # Even a file in our own format may carry terminal escapes: remove them.
    from reader.library.repair import strip_controls

    removed = 0

    def clean(value: str) -> str:
        nonlocal removed
        value, count = strip_controls(value, keep="")
        removed += count
        return value

    parts = [(kind, level, clean(text)) for kind, level, text in article.parts()]
    meta = {name: clean(getattr(article, name)) for name in ("title", "subtitle", "author")}
    if removed:
        article = Article.from_parts(
            parts, source=article.source, language=article.language, tags=article.tags, **meta
        )
    article.source = article.source or path.name
    steps = [f"control characters and terminal escapes removed: {removed}"] if removed else []
    counts = {"controls": removed} if removed else {}
    return ImportOutcome(
        articles=[article], encoding=used, steps=steps, format="article", counts=counts
    )


def _reader(fmt: str) -> Reader:
    if fmt == "text":
        return read_text
    if fmt == "markdown":
        from reader.library.importers.markup import read_markdown

        return read_markdown
    if fmt == "html":
        from reader.library.importers.markup import read_html

        return read_html
    if fmt == "docx":
        from reader.library.importers.docx import read_docx

        return read_docx
    if fmt == "epub":
        from reader.library.importers.epub import read_epub

        return read_epub
    if fmt == "pdf":
        from reader.library.importers.pdf import read_pdf

        return read_pdf
    raise ImportRefused(f"unknown format {fmt!r}", code="unknown_format", format=fmt)


def decode_or_refuse(data: bytes, encoding: str | None) -> tuple[str, str]:
    from reader.library.importers.text import UndecodableText, decode

    try:
        return decode(data, encoding)
    except UndecodableText as exc:
        raise ImportRefused(str(exc), code=exc.code, **exc.details) from None


def read_text(
    data: bytes, *, encoding: str | None, report: RepairReport, **_: object
) -> tuple[list[list[RawBlock]], str]:
    from reader.library.repair import blocks_from_text

    text, used = decode_or_refuse(data, encoding)
    return [blocks_from_text(text, report)], used
