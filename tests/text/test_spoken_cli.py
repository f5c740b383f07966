"""``reader spoken`` run as a user runs it: the real console script, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

READER = Path(sys.executable).with_name("reader")


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert READER.exists(), f"console script missing: {READER}"
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [str(READER), "spoken", *args],
        input=data,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_text_argument() -> None:
    result = run("现有 2007 位残疾人，22.5%的人")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == "现有两千零七位残疾人，百分之二十二点五的人\n"


def test_several_words_are_one_text() -> None:
    result = run("从", "2016", "年")
    assert result.stdout.decode("utf-8") == "从二零一六年\n"


def test_text_that_begins_with_a_minus_sign_is_text_not_an_option() -> None:
    result = run("-5℃")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == "零下五摄氏度\n"
    result = run("气温", "-3.5℃")
    assert result.stdout.decode("utf-8") == "气温零下三点五摄氏度\n"
    result = run("--pieces", "-5℃")  # options before the text still count
    assert result.returncode == 0 and "零下" in result.stdout.decode("utf-8"), result.stderr


def test_standard_input_one_line_per_line() -> None:
    lines = ["2016 年", "", "12:30", "¥13.5", "淘宝的 OCR 读图", "电话 010-12345678"]
    result = run(stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").split("\n") == [
        "二零一六年",
        "",
        "十二点三十分",
        "十三点五元",
        "淘宝的OCR读图",
        "电话零幺零 幺二三四五六七八",
        "",
    ]


def test_pieces() -> None:
    result = run("--pieces", "淘宝的 OCR 读图。")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").splitlines() == [
        "zh\t0-3\t淘宝的",
        "spell\t4-7\tOCR",
        "zh\t8-10\t读图",
        "pause\t10-11\t。",
    ]


def test_pieces_from_standard_input_end_with_a_blank_line() -> None:
    result = run("--pieces", stdin="2 个\nAI\n")
    assert result.stdout.decode("utf-8") == "zh\t0-1\t两\nzh\t2-3\t个\n\nspell\t0-2\tAI\n\n"


def test_answers_each_line_before_the_next_arrives() -> None:
    """A script can hold the command open and ask one line at a time."""
    proc = subprocess.Popen(
        [str(READER), "spoken"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    try:
        assert proc.stdin and proc.stdout
        for question, answer in (("3:2", "三比二"), ("8:05", "八点零五分")):
            proc.stdin.write((question + "\n").encode("utf-8"))
            proc.stdin.flush()
            assert proc.stdout.readline().decode("utf-8") == answer + "\n"
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("data", [b"\xff\xfe12\n", "第 2 名\n".encode("gb18030")])
def test_input_that_is_not_utf8_is_a_one_line_error(data: bytes) -> None:
    result = run(stdin=data)
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert err.startswith("reader: 标准输入第1行不是 UTF-8 编码")
    assert "Traceback" not in err and err.count("\n") == 1
