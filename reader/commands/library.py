"""The librarian's commands: ``import``, ``search``, ``edit``, ``remove``, ``restore``,
``check`` and ``export``.

Output is plain lines a screen reader can read one at a time: one line per
file imported, one per search hit (plus its sentence), one per repair.  The
only cursor trick is the progress bar of a batch import, and it is drawn only
when stderr is a terminal (and never mixed into the result lines); piped or
redirected output gets the plain lines alone.  Anything refused or not found
makes the exit status non-zero, so scripts can tell.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

from reader.commands.strings import (
    add_lang_option,
    language,
    note_line,
    repair_step,
    t,
    user_error,
)

TEXT_FORMATS = ("md", "txt", "html")
AUDIO_FORMATS = ("wav", "mp3", "ogg")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import files and folders (recursively) into the library",
        description="Import articles: plain text in any common Chinese encoding, Markdown, HTML,"
        " Word .docx, EPUB and PDF.  A folder is walked for those formats only (files without"
        " an extension are sniffed); hidden folders, version control, node_modules, __pycache__,"
        " virtualenvs and reader's own folders are skipped unless named.  One line per file:"
        " imported as ID, skipped as a duplicate of ID, or refused with the reason.  Exit status"
        " 1 if anything was refused.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--encoding", help="text encoding to use instead of detecting it (e.g. gbk)")
    p.add_argument(
        "--split", action="store_true", help="one article per EPUB chapter or section headline"
    )
    p.add_argument(
        "--max-size",
        type=parse_size,
        metavar="SIZE",
        help="refuse larger files (MB, or with a unit: 500K, 2G; default 50 MB or the"
        " max_import_mb setting)",
    )
    p.add_argument(
        "--convert",
        choices=["t2s", "s2t"],
        help="convert Traditional to Simplified Chinese (t2s) or back (s2t)",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="also list each repair made to each file"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("search", help="search titles, authors and text (Chinese or not)")
    p.add_argument("query", nargs="+", help="words that must all occur (a part of a word is fine)")
    p.add_argument("-n", "--limit", type=int, default=20, help="at most this many results")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "edit",
        help="change an article's title, author or tags",
        description="Change an article's title, author or tags.  Bundled articles are never"
        " changed: editing one saves your own copy, which replaces it in your library"
        " ('reader remove ID' brings the original back).",
    )
    p.add_argument("id", help="article id (or a unique prefix, or its number in 'reader list')")
    p.add_argument("--title")
    p.add_argument("--author")
    p.add_argument("--tag", action="append", default=[], help="add a tag (repeatable)")
    p.add_argument("--untag", action="append", default=[], help="remove a tag (repeatable)")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("remove", help="move an article to the trash")
    p.add_argument("id", help="article id (or a unique prefix, or its number in 'reader list')")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("restore", help="bring an article back from the trash (no ID: list it)")
    p.add_argument("id", nargs="?", help="article id in the trash (or a unique prefix)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="verify the catalog against the article files and repair it")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "export",
        help="save an article as Markdown, text, HTML or spoken audio",
        description="Save an article.  The format comes from --format or the output file's"
        " extension: md, txt, html, or audio (wav, mp3, ogg) spoken by the speech engine.",
    )
    p.add_argument("id", help="article id (or a unique prefix, or its number in 'reader list')")
    p.add_argument("--format", choices=TEXT_FORMATS + AUDIO_FORMATS)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="output file ('-' for standard output, Markdown unless --format says otherwise)",
    )
    p.set_defaults(func=cmd_export)

    for name in ("import", "search", "edit", "remove", "restore", "check", "export"):
        add_lang_option(sub.choices[name])


def _library():
    from reader.library.store import Library

    return Library()


def _tell(library, lang: str) -> None:
    """Notices (catalog rebuilt) and unreadable article files, on stderr."""
    for notice in library.notices:
        print(f"reader: {note_line(notice, lang)}", file=sys.stderr)
    library.notices = []


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


def parse_size(value: str) -> int:
    """``50`` (MB), ``500K``, ``2G``, ``1.5MB`` → bytes."""
    match = _SIZE_RE.match(value)
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 50, 500K, 2G)")
    unit = {"": 1024**2, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    if match.group(2) == "" and value.strip().lower().endswith("b") and "m" not in value.lower():
        unit = 1
    return int(float(match.group(1)) * unit)


# ---------------------------------------------------------------------- import


class _Progress:
    """A one-line bar on a terminal's stderr; nothing at all otherwise."""

    def __init__(self, stream, total: int) -> None:
        self.stream = stream
        self.total = total
        self.live = total > 1 and hasattr(stream, "isatty") and stream.isatty()
        self.shown = False

    def clear(self) -> None:
        if self.live and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def draw(self, done: int, name: str) -> None:
        if not self.live:
            return
        width = max(10, min(40, shutil.get_terminal_size((80, 24)).columns - 40))
        filled = width * done // max(1, self.total)
        from reader.library.store import display_path

        name = display_path(name)[-30:]
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {name}")
        self.stream.write("\x1b[K")
        self.stream.flush()
        self.shown = True


def _found(paths: list[str], lang: str) -> tuple[int, str | None]:
    """How many files the import reads, and the line that says so before it starts.

    The line (``found 12 files to import (…)``) is ``None`` when no folder was
    named: a list of files needs no count.  Folders are walked the way the
    import walks them (:func:`reader.library.importers.scan_folder`).
    """
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    if not folders:
        return len(paths), None
    from reader.library.importers import scan_folder

    n = sum(1 for p in paths if not Path(p).is_dir())
    other = skipped = 0
    own: list[Path] = []
    for folder in folders:
        scan = scan_folder(folder)
        n += len(scan.files)
        other += scan.other
        skipped += len(scan.skipped_folders)
        own += scan.own_folders
    notes = []
    if other:
        notes.append(t("import_found_other", lang, n=other))
    if skipped:
        notes.append(t("import_found_folders", lang, n=skipped))
    notes += [t("import_found_own", lang, folder=folder) for folder in own]
    shown = t("import_found_notes", lang, notes=t("import_found_sep", lang).join(notes))
    return n, t("import_found", lang, n=n, notes=shown if notes else "")


def cmd_import(args: argparse.Namespace) -> int:
    lang = language(args)
    for path in args.paths:
        if not path.strip():
            raise user_error(
                "import_empty_path",
                'an empty path ("") is not a file or folder; give the files or folders to import',
            )
    total, found = _found(args.paths, lang)
    if found is not None:
        print(found, flush=True)
    library = _library()
    bar = _Progress(sys.stderr, total)
    counts = {"imported": 0, "duplicate": 0, "refused": 0}

    def progress(done, total, path, results) -> None:
        bar.clear()
        for result in results:
            counts[result.status] += 1
            line = result.line(lang)
            if result.status == "imported" and result.encoding:
                line += t("import_encoding", lang, encoding=result.encoding)
            print(line, flush=True)
            if args.verbose and result.status == "imported":
                for step in result.repairs:
                    print(t("import_repaired", lang, step=repair_step(step, lang)))
        bar.draw(done, str(path))

    bar.draw(0, "")
    try:
        library.import_paths(
            args.paths,
            encoding=args.encoding,
            split=args.split,
            max_bytes=args.max_size,
            convert=args.convert,
            progress=progress,
        )
    finally:
        bar.clear()
        _tell(library, lang)
    print(t("import_done", lang, total=total, **counts))
    return 1 if counts["refused"] else 0


# ---------------------------------------------------------------------- search


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    if not query.strip():
        raise user_error("search_empty", "an empty query is not a search; give words to look for")
    library = _library()
    hits = library.search(query, limit=max(1, args.limit))
    lang = language(args)
    _tell(library, lang)
    if not hits:
        print(f"reader: {t('search_none', lang, query=query)}", file=sys.stderr)
        return 1
    for number, hit in enumerate(hits, 1):
        author = f"  {hit.author}" if hit.author else ""
        print(f"{number}. {hit.id}  {hit.title}{author}")
        if hit.sentence:
            print(f"   {hit.sentence}")
    return 0


# ---------------------------------------------------------------------- edit, remove, restore


def cmd_edit(args: argparse.Namespace) -> int:
    if args.title is None and args.author is None and not args.tag and not args.untag:
        raise user_error(
            "nothing_to_edit", "nothing to change: give --title, --author, --tag or --untag"
        )
    library = _library()
    article, copied = library.edit(
        args.id, title=args.title, author=args.author, add_tags=args.tag, remove_tags=args.untag
    )
    lang = language(args)
    _tell(library, lang)
    author = f"  {article.author}" if article.author else ""
    tags = (
        t("edited_tags", lang, tags=t("tag_sep", lang).join(article.tags)) if article.tags else ""
    )
    print(t("edited", lang, id=article.id, title=article.title, author=author, tags=tags))
    if copied:
        print(t("edited_copy", lang, id=article.id))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    library = _library()
    entry, original = library.remove(args.id)
    lang = language(args)
    _tell(library, lang)
    print(t("removed", lang, id=entry.id, title=entry.title))
    if original:
        print(t("removed_original_back", lang, id=entry.id))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    lang = language(args)
    library = _library()
    if args.id is None:
        items = library.trash()
        if not items:
            print(t("trash_empty", lang))
        for item in items:
            print(f"{item.id}  {item.title}")
        return 0
    article = library.restore(args.id)
    _tell(library, lang)
    print(t("restored", lang, id=article.id, title=article.title))
    return 0


# ---------------------------------------------------------------------- check


def cmd_check(args: argparse.Namespace) -> int:
    library = _library()
    report = library.check()
    lang = language(args)
    _tell(library, lang)
    for fix in report.fixes:
        print(t("check_fix", lang, fix=note_line(fix, lang)))
    for problem in report.problems:
        print(t("check_problem", lang, problem=problem))
    if report.consistent:
        key = "check_repaired" if report.fixes else "check_clean"
        print(t(key, lang, n=report.articles))
        return 0
    print(t("check_problems", lang, n=len(report.problems)))
    return 1


# ---------------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    library = _library()
    article = library.get(args.id)
    lang = language(args)
    _tell(library, lang)
    fmt = args.format
    if fmt is None and args.output == "-":
        fmt = "md"  # the article's own format, as it is stored
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = {"markdown": "md", "htm": "html", "text": "txt"}.get(suffix, suffix)
        if fmt not in TEXT_FORMATS + AUDIO_FORMATS:
            formats = ", ".join(TEXT_FORMATS + AUDIO_FORMATS)
            raise user_error(
                "export_format_unknown",
                f"{args.output}: cannot tell the format from the name; give --format ({formats})",
                output=args.output,
                formats=formats,
            )
    if fmt in AUDIO_FORMATS:
        if args.output == "-":
            raise user_error(
                "export_audio_stdout",
                "audio cannot be written to standard output; give a file name",
            )
        return _export_audio(article, Path(args.output), fmt, lang)
    content = {
        "md": article.to_markdown,
        "txt": lambda: to_text(article),
        "html": lambda: to_html(article),
    }[fmt]()
    if args.output == "-":
        sys.stdout.write(content)
        return 0
    from reader.library import atomic

    target = Path(args.output)
    try:
        atomic.write_text(atomic.output_target(target), content, make_parents=False)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise user_error(
            "export_cannot_write",
            f"{args.output}: cannot write ({reason})",
            output=args.output,
            reason=reason,
        ) from None
    print(t("exported", lang, id=article.id, title=article.title, format=fmt, target=target))
    return 0


def _export_audio(article, target: Path, fmt: str, lang: str) -> int:
    try:
        from reader.speech.export import export_audio
    except ImportError:
        raise user_error(
            "export_audio_missing", "audio export is not available in this installation"
        ) from None
    from reader.library.atomic import output_target

    output_target(target)  # -o names a device, FIFO or folder: refused, never written beside
    if target.suffix.lower().lstrip(".") != fmt:
        target = target.with_name(target.name + "." + fmt)
    bar = _Progress(sys.stderr, 100)

    def progress(*values) -> None:
        fraction = values[0] if len(values) == 1 else values[0] / max(1, values[1])
        try:
            bar.draw(int(float(fraction) * 100), target.name)
        except (TypeError, ValueError):
            pass

    try:
        export_audio(article, target, progress=progress)
    finally:
        bar.clear()
    print(t("exported_audio", lang, id=article.id, title=article.title, target=target))
    return 0


def to_text(article) -> str:
    """Plain text: one block per paragraph, captions marked, the author at the end."""
    out = []
    for block in article.blocks:
        body = article.block_text(block)
        out.append(f"图片说明：{body}" if block.kind == "caption" else body)
    if article.author:
        out.append(f"作者：{article.author}")
    return "\n\n".join(out) + "\n"


def to_html(article) -> str:
    """A standalone, accessible HTML page: real headings, lang set, no scripts."""
    esc = html.escape
    lang = "zh-Hans" if article.language == "zh" else esc(article.language)
    body = []
    for block in article.blocks:
        text = esc(article.block_text(block))
        if block.kind == "heading":
            level = max(1, min(6, block.level or 1))
            body.append(f"<h{level}>{text}</h{level}>")
        elif block.kind == "caption":
            body.append(f'<p class="caption"><em>图片说明：{text}</em></p>')
        else:
            body.append(f"<p>{text}</p>")
    if article.author:
        body.append(f'<p class="author">作者：{esc(article.author)}</p>')
    meta = f'<meta name="author" content="{esc(article.author)}">\n' if article.author else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(article.title)}</title>\n{meta}</head>\n<body>\n<article>\n"
        + "\n".join(body)
        + "\n</article>\n</body>\n</html>\n"
    )
