"""The ``reader`` command line.

Each sub-command lives in a module of :mod:`reader.commands` that exposes
``register(subparsers)``; only the module for the command being run is
imported, so ``reader pinyin`` never pays for Textual and the app never pays
for the PDF importer.  With no command, the terminal app opens.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
import sys
from collections.abc import Sequence

from reader.errors import UserError

#: command name -> module that registers it (several commands may share one).
COMMANDS: dict[str, str] = {
    "open": "reader.commands.app",
    "list": "reader.commands.core",
    "show": "reader.commands.core",
    "read": "reader.commands.core",
    "pinyin": "reader.commands.pinyin",
    "lexicon": "reader.commands.pinyin",
    "spoken": "reader.commands.spoken",
    "say": "reader.commands.speech",
    "speak": "reader.commands.speech",
    "voices": "reader.commands.speech",
    "import": "reader.commands.library",
    "search": "reader.commands.library",
    "edit": "reader.commands.library",
    "remove": "reader.commands.library",
    "restore": "reader.commands.library",
    "check": "reader.commands.library",
    "export": "reader.commands.library",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Listen to and navigate Chinese articles with the keyboard alone.",
    )
    parser.add_argument("--lang", choices=["zh", "en"], help="interface language (default zh)")
    parser.add_argument(
        "--screen-reader",
        action="store_true",
        default=None,
        help="work beside a screen reader: no self-voicing, cursor on the reading position",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[only]] if only in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command family not built yet
        module.register(sub)
    return parser


# Commands whose positional arguments are text to read: "-5℃" or "-3.5%" there is
# text, not an option (argparse only lets plain negative numbers through).
_TEXT_COMMANDS = frozenset({"pinyin", "spoken", "say"})
_NEGATIVE_TEXT = re.compile(r"^[-−][0-9０-９.]")


def _text_not_options(args: list[str], command_at: int) -> list[str]:
    """Put ``--`` before the first argument after the command that is text
    beginning with a minus sign and a digit, so argparse reads it as text."""
    for i in range(command_at + 1, len(args)):
        if args[i] == "--":
            return args
        if _NEGATIVE_TEXT.match(args[i]):
            return [*args[:i], "--", *args[i:]]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next(
        (
            a
            for i, a in enumerate(args_list)
            if not a.startswith("-") and (i == 0 or args_list[i - 1] != "--lang")
        ),
        None,
    )  # the value of --lang is not a command: `reader --lang en` opens the app
    wants_help = any(a in ("-h", "--help") for a in args_list)
    if first is None and not wants_help:
        first = "open" if importlib.util.find_spec("reader.commands.app") else "read"
        args_list.append(first)
    if first in _TEXT_COMMANDS:
        args_list = _text_not_options(args_list, args_list.index(first))
    parser = build_parser(first if first in COMMANDS and not wants_help else None)
    args = parser.parse_args(args_list)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        return int(func(args) or 0)
    except UserError as exc:
        from reader.commands.strings import error_line, language

        print(f"reader: {error_line(exc, language(args))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
