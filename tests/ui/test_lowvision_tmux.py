"""Low vision in a real terminal: tmux runs ``reader``, keys are typed, the screen is read back."""

from __future__ import annotations

import os

import tests.ui.test_e2e_tmux as e2e


def test_pinyin_large_print_and_settings_in_a_terminal(tmp_path, reader_home, small_library):
    log = tmp_path / "speech.jsonl"
    (reader_home / "config").mkdir(exist_ok=True)
    (reader_home / "config" / "settings.toml").write_text('theme = "yellow-on-black"\n', encoding="utf-8")
    env = {
        "READER_HOME": str(reader_home),
        "READER_BUNDLED_ARTICLES": str(small_library),
        "READER_SPEECH_DRIVER": "silent",
        "READER_SPEECH_LOG": str(log),
        "READER_SCREEN_READER": "0",
    }
    term = e2e.Terminal(env, f"reader-lv-{os.getpid()}")
    try:
        term.start()
        term.wait_for("银行发布年度报告")
        term.keys("Enter")
        term.wait_for("朗读/暂停")
        term.keys("y")  # pinyin above every character
        e2e.wait_log(log, lambda r: "拼音：全文" in e2e.said(r))
        screen = term.wait_for("yín")
        lines = screen.splitlines()
        ruby = next(i for i, line in enumerate(lines) if "yín" in line)
        body = lines[ruby + 1]
        # the syllable starts in the column of its character (two cells per Han character)
        def col(line: str, needle: str) -> int:
            i = line.index(needle)
            return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line[:i])

        assert col(lines[ruby], "yín") == col(body, "银")
        assert col(lines[ruby], "háng") == col(body, "行")

        term.keys("z")  # large print of the current word
        e2e.wait_log(log, lambda r: "大字：当前词" in e2e.said(r))
        screen = term.wait_for("█")
        assert sum(line.count("█") + line.count("▀") + line.count("▄") for line in screen.splitlines()) > 20

        term.keys("F2")
        e2e.wait_log(log, lambda r: any(s.startswith("低视力设置") for s in e2e.said(r)))
        term.keys("Right")
        e2e.wait_log(log, lambda r: "配色：单色" in e2e.said(r))
        term.keys("Escape", "q")
        saved = (reader_home / "config" / "settings.toml").read_text(encoding="utf-8")
        assert 'theme = "mono"' in saved and 'pinyin = "all"' in saved and 'large_print = "word"' in saved
    finally:
        term.kill()
