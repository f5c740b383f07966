"""``reader spoken``: how text is read aloud, for scripts and librarians.

Prints exactly what the speech layer will say (numbers, dates, symbols and
units in words; Latin kept for an English voice), from
:func:`reader.text.spoken.to_spoken`.  With no TEXT it is a filter: one output
line per input line, flushed at once, so it can sit in a pipeline or answer a
co-process line by line.
"""

from __future__ import annotations

import argparse
import sys

from reader.commands.strings import add_lang_option
from reader.commands.textinput import input_lines


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "spoken",
        help="print how TEXT (or each line of standard input) is read aloud",
        description=(
            "The spoken form of Chinese text: numbers, dates, times, money, units and "
            "symbols as Mandarin words. With no TEXT, reads standard input and answers "
            "one line per input line."
        ),
    )
    p.add_argument("text", nargs="*", help="the text (default: standard input, line by line)")
    p.add_argument(
        "--pieces",
        action="store_true",
        help=(
            "print each piece as KIND<TAB>START-END<TAB>TEXT (kinds: zh, latin, spell, "
            "pause; offsets into the line); with standard input, a blank line ends "
            "each input line's pieces"
        ),
    )
    p.set_defaults(func=cmd_spoken)
    add_lang_option(p)


def cmd_spoken(args: argparse.Namespace) -> int:
    from reader.text.spoken import to_spoken

    out = sys.stdout
    from_stdin = not args.text
    lines = input_lines(args.text)
    for line in lines:
        spoken = to_spoken(line)
        if args.pieces:
            for piece in spoken.pieces:
                out.write(f"{piece.kind}\t{piece.start}-{piece.end}\t{piece.text}\n")
            if from_stdin:
                out.write("\n")
        else:
            out.write(spoken.text + "\n")
        if from_stdin:
            out.flush()
    return 0
