"""Spoken audio of a whole article, with a timing file, for librarians.

``export_audio(article, "story.wav")`` writes the article as espeak-ng would
read it (the same plans as the app: tone-numbered pinyin, English voice for
Latin words, pauses for punctuation), plus ``story.vtt`` (WebVTT) or
``story.lrc`` mapping audio time to each sentence, so a player can show the
sentence being heard.  ``.mp3`` and ``.ogg`` are encoded from the WAV with
ffmpeg, lame (MP3) or sox (OGG), whichever is installed.

Synthesis runs in a child process (:mod:`reader.speech.export_worker`):
libespeak-ng's output mode is per process and the app may be speaking.  Files
are written next to the target and renamed into place, so a failed export
never leaves half a file under the real name.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import UserError

AUDIO_FORMATS = ("wav", "mp3", "ogg")
#: extra silence before a new block (heading, paragraph), on top of espeak-ng's sentence pause
BLOCK_PAUSE_MS = 400


@dataclass(frozen=True)
class Cue:
    """One sentence in the audio: seconds from the start, and its source span."""

    start: float
    end: float
    source_start: int
    source_end: int
    text: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    timing_path: Path
    format: str
    duration: float  # seconds
    cues: list[Cue] = field(default_factory=list)


def export_audio(
    article,
    path: str | os.PathLike[str],
    *,
    profile: str | None = None,
    progress: Callable[[int, int], object] | None = None,
    timing: str = "vtt",
) -> ExportResult:
    """Write ``article`` as speech to ``path`` (.wav, .mp3 or .ogg) plus a timing file.

    ``progress(done, total)`` is called as sentences are rendered.  Raises
    :class:`~reader.errors.UserError` (one line) when the target cannot be
    written, the format's encoder is missing or espeak-ng is not installed.
    """
    from reader.speech.drivers.espeak import espeak_rate, library_present, render_ssml
    from reader.speech.plan import PlanStyle, plan_span
    from reader.speech.settings import load_profile
    from reader.text.units import Document

    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in AUDIO_FORMATS:
        raise UserError(
            f"{target}: audio export writes {', '.join(AUDIO_FORMATS)}, not {fmt or 'no extension'!r}"
        )
    if timing not in ("vtt", "lrc"):
        raise UserError(f"timing file must be vtt or lrc, not {timing!r}")
    # Both files are checked before any work: a symlink is written through (the
    # file it names is replaced), a device, FIFO or folder is refused, and so is
    # a missing folder (never created).
    from reader.library.atomic import output_target

    real_target = output_target(target)
    timing_path = target.with_suffix(f".{timing}")
    real_timing = output_target(timing_path)
    encoder = _encoder(fmt)
    if fmt != "wav" and encoder is None:
        other = "lame" if fmt == "mp3" else "sox"
        need = f"ffmpeg or {other}"
        raise UserError(
            f"{target}: writing {fmt} needs {need}; install one or export .wav",
            code="export_no_encoder",
            output=str(target),
            format=fmt,
            tools=("ffmpeg", other),
        )
    if not library_present():
        raise UserError(
            "espeak-ng not found: install espeak-ng to export spoken audio", code="no_espeak"
        )

    settings = load_profile(profile).settings
    style = PlanStyle(script="pinyin", primary=settings.language)
    doc = Document.from_article(article)
    utterances = []
    prev_block = None
    for i, unit in enumerate(doc.sentences()):
        utt = plan_span(doc.text, unit.start, unit.end, i + 1, style)
        if not utt.segments:
            continue
        block = doc.unit_at("paragraph", unit.start)
        block_index = block.index if block is not None else 0
        pause = BLOCK_PAUSE_MS if prev_block is not None and block_index != prev_block else 0
        prev_block = block_index
        utterances.append((utt, pause))
    if not utterances:
        raise UserError(
            f"article {article.id} has nothing to speak", code="article_no_text", id=article.id
        )

    job_utts = [
        {
            "ssml": render_ssml(utt, settings),
            "rate": espeak_rate(settings.rate),
            "volume": settings.volume,
            "pitch": settings.pitch,
            "silence_before_ms": pause,
        }
        for utt, pause in utterances
    ]
    with tempfile.TemporaryDirectory(prefix=".reader-export-", dir=real_target.parent) as tmp:
        pcm_path = Path(tmp) / "speech.pcm"
        spans, rate, samples = _synthesize(job_utts, pcm_path, progress)
        wav_path = Path(tmp) / "speech.wav"
        with wave.open(str(wav_path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            with open(pcm_path, "rb") as pcm:
                while chunk := pcm.read(1 << 20):
                    w.writeframes(chunk)
        cues = [
            Cue(start / rate, end / rate, utt.start, utt.end, utt.text)
            for (utt, _), (start, end) in zip(utterances, spans, strict=True)
        ]
        final = (
            wav_path
            if fmt == "wav"
            else _encode(encoder, wav_path, Path(tmp) / f"speech.{fmt}", fmt)
        )
        timing_text = to_webvtt(cues) if timing == "vtt" else to_lrc(cues, article)
        from reader.library import atomic

        try:
            # checked again at the last moment: the rename must never replace a device
            existing = atomic.check_regular(real_target)
            if existing is not None:
                os.chmod(final, existing.st_mode & 0o7777)
            os.replace(final, real_target)
            # the timing file may be a link into another folder: the atomic writer
            atomic.write_text(real_timing, timing_text, make_parents=False)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UserError(
                f"{target}: cannot write ({reason})",
                code="export_cannot_write",
                output=str(target),
                reason=reason,
            ) from None
    return ExportResult(target, timing_path, fmt, samples / rate, cues)


def _synthesize(
    utterances: list[dict], pcm_path: Path, progress
) -> tuple[list[tuple[int, int]], int, int]:
    job = json.dumps({"pcm": str(pcm_path), "utterances": utterances}, ensure_ascii=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "reader.speech.export_worker"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, encoding="utf-8",
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    spans: list[tuple[int, int]] = []
    rate = samples = 0
    try:
        process.stdin.write(job)
        process.stdin.close()
        for line in process.stdout:
            msg = json.loads(line)
            if "error" in msg:
                raise UserError(f"audio export failed: {msg['error']}")
            if msg.get("done"):
                rate, samples = int(msg["rate"]), int(msg["samples"])
                break
            spans.append((int(msg["start"]), int(msg["end"])))
            if progress is not None:
                progress(len(spans), len(utterances))
    except BaseException:
        process.kill()
        raise
    finally:
        process.wait(timeout=30)
    if process.returncode != 0 or len(spans) != len(utterances) or not rate:
        raise UserError("audio export failed: the espeak-ng helper stopped early")
    return spans, rate, samples


def _encoder(fmt: str) -> list[str] | None:
    if fmt == "wav":
        return []
    if shutil.which("ffmpeg"):
        codec = (
            ["-codec:a", "libmp3lame", "-q:a", "4"]
            if fmt == "mp3"
            else ["-codec:a", "libvorbis", "-q:a", "4"]
        )
        return ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", "{in}", *codec, "{out}"]
    if fmt == "mp3" and shutil.which("lame"):
        return ["lame", "--quiet", "-V", "4", "{in}", "{out}"]
    if fmt == "ogg" and shutil.which("sox"):
        return ["sox", "{in}", "-C", "4", "{out}"]
    return None


def _encode(command: list[str] | None, source: Path, out: Path, fmt: str) -> Path:
    assert command
    args = [str(source) if a == "{in}" else str(out) if a == "{out}" else a for a in command]
    done = subprocess.run(
        args, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    if done.returncode != 0 or not out.exists():
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise UserError(
            f"encoding {fmt} with {command[0]} failed: {reason[-1] if reason else 'no output'}"
        )
    return out


def _clock(seconds: float, sep: str = ".") -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_webvtt(cues: list[Cue]) -> str:
    """WebVTT: one cue per sentence, its id the source offsets (for players that seek by text)."""
    lines = ["WEBVTT", ""]
    for i, cue in enumerate(cues, 1):
        lines += [
            f"{i} {cue.source_start}-{cue.source_end}",
            f"{_clock(cue.start)} --> {_clock(cue.end)}",
            cue.text,
            "",
        ]
    return "\n".join(lines)


def to_lrc(cues: list[Cue], article=None) -> str:
    """LRC lyrics format: ``[mm:ss.xx]sentence`` per line."""
    lines = []
    if article is not None and getattr(article, "title", ""):
        lines.append(f"[ti:{article.title}]")
    for cue in cues:
        minutes, seconds = divmod(cue.start, 60)
        lines.append(f"[{int(minutes):02d}:{seconds:05.2f}]{cue.text}")
    return "\n".join(lines) + "\n"


def read_webvtt(text: str) -> list[tuple[float, float, str]]:
    """Cues of a WebVTT file as ``(start, end, text)`` (for tests and round trips)."""

    def secs(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    out = []
    blocks = text.strip().split("\n\n")[1:]
    for block in blocks:
        lines = block.splitlines()
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        a, b = (x.strip() for x in lines[timing].split("-->"))
        out.append((secs(a), secs(b), "\n".join(lines[timing + 1 :])))
    return out
