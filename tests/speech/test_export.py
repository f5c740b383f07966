"""Audio export: real espeak-ng synthesis to a file, checked by listening to the samples."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from reader.errors import UserError
from reader.library.article import Article
from reader.speech.export import export_audio, read_webvtt

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]

ARTICLE = Article.from_parts(
    [
        ("heading", 1, "银行的故事"),
        ("paragraph", 0, "银行行长今天来了。他说OCR很好用。"),
        ("paragraph", 0, "我们在2022年见过面。"),
    ]
)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16), w.getframerate()


def rms(x: np.ndarray) -> float:
    return float(np.sqrt((x.astype(np.float64) ** 2).mean())) if len(x) else 0.0


def test_wav_has_speech_of_plausible_length_and_timing_matches(tmp_path):
    seen: list[tuple[int, int]] = []
    result = export_audio(
        ARTICLE, tmp_path / "story.wav", progress=lambda d, n: seen.append((d, n))
    )
    samples, rate = read_wav(result.path)
    duration = len(samples) / rate
    assert abs(duration - result.duration) < 0.01
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in ARTICLE.text)
    assert 0.12 * han < duration < 0.6 * han + 3, f"{duration:.1f} s for {han} characters"
    assert seen[-1] == (4, 4) and [d for d, _ in seen] == [1, 2, 3, 4]

    cues = read_webvtt(result.timing_path.read_text(encoding="utf-8"))
    assert result.timing_path == tmp_path / "story.vtt"
    assert [c[2] for c in cues] == [
        "银行的故事",
        "银行行长今天来了。",
        "他说OCR很好用。",
        "我们在2022年见过面。",
    ]
    for (start, end, text), (next_start, _, _) in zip(
        cues, [*cues[1:], (duration, 0, "")], strict=True
    ):
        assert start < end <= next_start + 0.001
        assert rms(samples[int(start * rate) : int(end * rate)]) > 500, (
            f"no speech in the cue for {text}"
        )
    assert abs(cues[-1][1] - duration) < 0.01
    # a new paragraph starts after extra silence
    gap = samples[int(cues[2][1] * rate) : int(cues[3][0] * rate)]
    assert len(gap) / rate >= 0.35 and rms(gap) < 50


def test_mp3_and_ogg_encode_the_same_speech(tmp_path):
    wav = export_audio(ARTICLE, tmp_path / "a.wav")
    mp3 = export_audio(ARTICLE, tmp_path / "a.mp3", timing="lrc")
    assert mp3.path.read_bytes()[:3] == b"ID3" or mp3.path.read_bytes()[0] == 0xFF
    decoded = tmp_path / "decoded.wav"
    subprocess.run(["lame", "--quiet", "--decode", str(mp3.path), str(decoded)], check=True)
    with wave.open(str(decoded)) as w:
        assert abs(w.getnframes() / w.getframerate() - wav.duration) < 0.2
    lrc = (tmp_path / "a.lrc").read_text(encoding="utf-8").splitlines()
    assert lrc[0] == "[ti:银行的故事]" and lrc[1].startswith("[00:00.00]银行的故事")
    ogg = export_audio(ARTICLE, tmp_path / "a.ogg")
    seconds = float(
        subprocess.run(
            ["soxi", "-D", str(ogg.path)], capture_output=True, text=True, check=True
        ).stdout
    )
    assert abs(seconds - wav.duration) < 0.2


def test_bad_targets_are_one_line_errors_and_leave_nothing(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        export_audio(ARTICLE, tmp_path / "missing" / "a.wav")
    with pytest.raises(UserError, match="flac"):
        export_audio(ARTICLE, tmp_path / "a.flac")
    assert list(tmp_path.iterdir()) == []


def test_reader_export_command_writes_audio(tmp_path, reader_home):
    out = tmp_path / "spoken.wav"
    env = dict(os.environ, READER_HOME=str(reader_home))
    done = subprocess.run(
        [sys.executable, "-m", "reader", "export", "2", "-o", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    samples, rate = read_wav(out)
    assert len(samples) / rate > 60 and rms(samples) > 300
    assert len(read_webvtt(out.with_suffix(".vtt").read_text(encoding="utf-8"))) > 10
