"""``reader say``, ``reader speak`` and ``reader voices`` as a user runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]


def reader(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=REPO, env=env or dict(os.environ), capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def test_say_show_prints_what_the_engine_gets_and_speaks_nothing():
    done = reader("say", "--show", "银行行长说OK。你好！")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "# utterance 1 [0:8] 银行行长说OK。"
    assert lines[1].startswith("<speak>") and "yin2 hang2 hang2 zhang3" in lines[1]
    assert '<voice name="en">' in lines[1]
    assert lines[2] == "# utterance 2 [8:11] 你好！"
    assert "ni3 hao3" in lines[3]
    assert done.stderr == ""


def test_unknown_profile_is_one_line_naming_the_valid_ones():
    done = reader("say", "--profile", "nope", "你好")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "mandarin" in done.stderr and "nope" in done.stderr


def test_voices_lists_profiles_and_installed_voices():
    done = reader("voices")
    assert done.returncode == 0, done.stderr
    assert "mandarin" in done.stdout and "english" in done.stdout
    assert "cmn-latn-pinyin" in done.stdout and "Chinese_(Mandarin,_latin_as_Pinyin)" in done.stdout


def test_say_speaks_and_returns_when_done(pulse, recorder):
    env = dict(os.environ, **pulse.env)
    t0 = time.monotonic()
    done = reader("say", "你好，世界。", env=env)
    t1 = time.monotonic()
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done
    recorder.wait_until(time.monotonic())
    last = recorder.last_sound(after=t0)
    assert last is not None and recorder.rms_between(t0, t1) > 300, "no sound"
    assert last <= t1 + 0.05, "returned before the sound ended"


def test_ctrl_c_stops_the_voice_at_once(pulse, recorder):
    env = dict(os.environ, **pulse.env)
    long = "阿里巴巴发布年度助残行动报告，支持数十万残疾人创业就业。" * 4
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "say", long], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        started = None
        while time.monotonic() < deadline and started is None:
            time.sleep(0.1)
            recorder.wait_until(time.monotonic())
            started = recorder.first_sound_after(deadline - 20)
        assert started is not None, "never started speaking"
        time.sleep(1.0)
        t_int = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
        t_exit = time.monotonic()
    finally:
        process.kill()
    assert process.returncode == 130
    assert err == "" and out == ""
    assert t_exit - t_int < 1.0
    time.sleep(0.5)
    recorder.wait_until(time.monotonic())
    last = recorder.last_sound(after=started)
    assert last - t_int < 0.2, f"sound went on {1000 * (last - t_int):.0f} ms after Ctrl+C"


def test_speak_prints_each_sentence_as_it_is_spoken(reader_home):
    env = dict(os.environ, READER_HOME=str(reader_home))
    done = reader(
        "speak", "2", "--driver", "silent", "--rate", "100", "--sentence", "12", env=env, timeout=90
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("2022 上海落叶艺术公益展")
    numbered = [line for line in lines[1:] if line.startswith("[")]
    assert numbered and numbered[0].startswith("[12/")
    total = int(numbered[0].split("/")[1].split("]")[0])
    assert numbered[-1].startswith(f"[{total}/{total}]")
    assert len(numbered) == total - 11


def test_speak_rejects_a_bad_sentence_number(reader_home):
    env = dict(os.environ, READER_HOME=str(reader_home))
    done = reader("speak", "2", "--sentence", "9999", "--driver", "silent", env=env)
    assert done.returncode == 2 and "--sentence 必须在 1 到" in done.stderr


def test_without_a_sound_server_say_falls_back_with_one_line(tmp_path):
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/no-such-socket")
    done = reader("say", "你好。", env=env)
    assert done.returncode == 0
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "reading continues without sound" in done.stderr
