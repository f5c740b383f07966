"""Bytes that are not UTF-8 get one line and exit 2 from every text filter, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.text.segment import tokenize

READER = Path(sys.executable).with_name("reader")


@pytest.mark.parametrize("command", ["pinyin", "spoken"])
def test_non_utf8_argument_is_refused_in_one_line(command: str) -> None:
    result = subprocess.run(
        [os.fsencode(READER), command.encode(), b"\xff\xe9\x93\xb6"],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == "reader: 给出的文字不是 UTF-8 编码\n"


@pytest.mark.parametrize("command", ["pinyin", "spoken"])
def test_non_utf8_line_on_stdin_is_refused_after_the_good_lines(command: str) -> None:
    result = subprocess.run(
        [str(READER), command],
        input="银行\n".encode() + b"\xff\xfe\n",
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout.decode().count("\n") == 1  # the good first line was answered
    assert result.stderr.decode() == "reader: 标准输入第2行不是 UTF-8 编码\n"


def test_segmenter_survives_lone_surrogates_and_keeps_offsets() -> None:
    tokens = tokenize("a\udcff银行")
    assert [(a, b) for _, a, b in tokens] == [(0, 1), (1, 2), (2, 4)]
