"""Text from the command line or standard input, for the line-by-line filters.

``reader pinyin`` and ``reader spoken`` answer one output line per input line
so librarians can script them; both must refuse bytes that are not UTF-8 with
one line naming where they came from, rather than crash deep inside a library.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from reader.commands.strings import user_error

# Python decodes undecodable argv bytes as lone surrogates (surrogateescape).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def argument_text(words: Sequence[str]) -> str:
    """The TEXT arguments joined by spaces; refused if they were not UTF-8."""
    text = " ".join(words)
    if _SURROGATE_RE.search(text):
        raise user_error("text_not_utf8", "the TEXT argument is not UTF-8 text")
    return text


def stdin_lines(stream: TextIO | None = None) -> Iterable[str]:
    """Standard input line by line, each decoded strictly as UTF-8, line ends removed.

    Lines are read as bytes and decoded one at a time, so every good line is
    answered before a bad one is refused, and an interactive pipe gets each
    answer as soon as its line arrives.
    """
    stream = sys.stdin if stream is None else stream
    raw = getattr(stream, "buffer", None)
    if raw is None:  # already text (e.g. io.StringIO in tests)
        for line in stream:
            yield line.rstrip("\r\n")
        return
    for number, data in enumerate(iter(raw.readline, b""), 1):
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError:
            raise user_error(
                "stdin_not_utf8", f"standard input: line {number} is not UTF-8 text", line=number
            ) from None
        if number == 1:
            line = line.lstrip("\ufeff")  # a byte-order mark some editors write
        yield line.rstrip("\r\n")


def input_lines(words: Sequence[str]) -> Iterable[str]:
    """The TEXT arguments as one line, or else every line of standard input."""
    if words:
        return [argument_text(words)]
    return stdin_lines()
