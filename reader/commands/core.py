"""``reader list``, ``reader show`` and ``reader read --plain``.

These work in any terminal, over ssh, through a braille display and in
scripts: plain lines, no colour, no cursor tricks.  They are also the fallback
when the full-screen app cannot start.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from reader.commands.strings import add_lang_option, language, t, user_error


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the articles in the library")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="print an article as plain text, headings marked")
    p.add_argument("id", help="article id (or a unique prefix, or its number in 'reader list')")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("read", help="read an article one sentence at a time")
    p.add_argument("id", nargs="?", help="article id (default: the first article)")
    p.add_argument(
        "--plain",
        action="store_true",
        help="line mode: Enter or n next, p previous, w where am I, q quit",
    )
    p.set_defaults(func=cmd_read)

    for name in ("list", "show", "read"):
        add_lang_option(sub.choices[name])


def _library():
    from reader.library.store import Library

    return Library()


def cmd_list(args: argparse.Namespace) -> int:
    lang = language(args)
    library = _library()
    entries = library.entries()
    for number, entry in enumerate(entries, 1):
        author = f"  {entry.author}" if entry.author else ""
        length = t("list_length", lang, n=entry.length)
        print(f"{number}. {entry.id}  {entry.title}{author}  {length}")
    for error in library.errors:
        print(f"reader: {t('skipped_file', lang, error=error)}", file=sys.stderr)
    if not entries:
        print(f"reader: {t('library_empty', lang)}", file=sys.stderr)
    return 0


def format_article(article) -> str:
    """Reading order, one block a line; headings and captions marked in words, not glyphs."""
    out = []
    for block in article.blocks:
        body = article.block_text(block)
        if block.kind == "heading":
            out.append(f"标题{block.level}：{body}" if block.level > 1 else f"标题：{body}")
        elif block.kind == "caption":
            out.append(f"图片说明：{body}")
        else:
            out.append(body)
    if article.author:
        out.append(f"作者：{article.author}")
    return "\n\n".join(out) + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    article = _library().get(args.id)
    sys.stdout.write(format_article(article))
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    library = _library()
    if args.id is None:
        entries = library.entries()
        if not entries:
            raise user_error("library_empty", "the library is empty (try 'reader import FILE')")
        args.id = entries[0].id
    article = library.get(args.id)
    if not args.plain:
        try:
            from reader.commands import app
        except ImportError:
            pass
        else:
            return app.open_article(args, article.id)
    from reader.library.positions import Positions
    from reader.text.units import Document

    positions = Positions()
    unit = Document.from_article(article).unit_at("sentence", positions.get(article.id))
    return read_plain(
        article,
        sys.stdin,
        sys.stdout,
        start_sentence=unit.index if unit else 0,
        on_move=lambda offset: positions.set(article.id, offset, len(article.text)),
        lang=language(args),
    )


def read_plain(
    article, inp: TextIO, out: TextIO, start_sentence: int = 0, on_move=None, lang: str = "zh"
) -> int:
    """The line-mode reader: prints a sentence, waits for a command line."""
    from reader.text.units import Document

    doc = Document.from_article(article)
    sentences = doc.sentences()
    if not sentences:
        raise user_error(
            "article_no_text", f"article {article.id} has no text to read", id=article.id
        )
    i = max(0, min(start_sentence, len(sentences) - 1))
    keys = t("plain_keys", lang)
    out.write(t("plain_start", lang, title=article.title, n=len(sentences), keys=keys) + "\n")
    shown = -1
    while True:
        if i != shown:
            out.write(doc.span_text(sentences[i]) + "\n")
            shown = i
            if on_move is not None:
                on_move(sentences[i].start)
        out.flush()
        line = inp.readline()
        if not line:
            return 0
        command = line.strip().lower()
        if command in ("", "n"):
            if i + 1 < len(sentences):
                i += 1
            else:
                out.write(t("plain_end", lang) + "\n")
                shown = i
        elif command == "p":
            if i > 0:
                i -= 1
            else:
                out.write(t("plain_top", lang) + "\n")
        elif command == "w":
            where = doc.position(sentences[i].start).describe(lang)
            out.write(t("plain_where", lang, title=article.title, where=where) + "\n")
        elif command == "q":
            return 0
        else:
            out.write(t("plain_unknown", lang, keys=keys) + "\n")
