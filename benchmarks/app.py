"""The reader app's speed and memory, against issue 4's targets.

Run: ``.venv/bin/python benchmarks/app.py``

1. **Launch** in a real terminal (tmux): time from starting ``reader`` to the
   library on screen (first frame, read back with ``capture-pane``), and to the
   first announcement *audible* — espeak-ng playing into a private PulseAudio
   null sink that is recorded, so "audible" is measured on the samples, not
   guessed (falls back to the spoken-event log when PulseAudio is missing).
2. **A 600,000-character book** (the bundled articles repeated, one article
   file) opened in the app (headless Pilot): time from Enter to the reading
   view drawn with the caret.
3. **Moves** anywhere in that book: sentence and paragraph steps from 200
   random places, each timed from the key's action to every visible row drawn.
4. **Memory**: resident set size with the book open.

Each figure is printed beside its target and a reference measured in the same
run (Python's own start-up; a plain ``Article.load`` of the book), so a slow
machine shows in both columns.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from book import make_book  # noqa: E402 - benchmarks/ is on sys.path when run as a script

READER = Path(sys.executable).parent / "reader"

TARGETS = {
    "first_frame": 0.8,
    "first_audible": 1.0,
    "open_book": 1.0,
    "move": 0.050,
    "rss_mb": 300,
}


# ---------------------------------------------------------------------- 1. launch


def children_cpu(pid: str) -> float:
    """CPU time of the app's child processes (the first-words helper)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    return sum(cpu_seconds(child) for child in children) if children else float("nan")


def cpu_seconds(pid: str) -> float:
    """CPU time (user + system) a process has used so far: the load-independent figure."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def _tmux(
    socket: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["tmux", "-u", "-L", socket, *args], capture_output=True, text=True, env=env, check=False
    )


def launch(home: Path, articles: Path, runs: int = 3) -> dict[str, float | str]:
    """First frame and first audible announcement of ``reader`` in tmux."""
    if shutil.which("tmux") is None:
        return {"note": "tmux missing"}
    server = recorder = None
    try:
        from reader.speech.soundcheck import PulseServer, Recorder

        server = PulseServer(Path(tempfile.mkdtemp(prefix="reader-pulse-"))).start()
        recorder = Recorder(server).start()
        driver = "espeak"
    except Exception as exc:  # SoundUnavailable or no espeak
        note = f"no PulseAudio ({exc}); audible = the log's first say"
        server = recorder = None
        driver = "silent"
    else:
        note = "espeak-ng into a recorded PulseAudio null sink"
    frames, audible, python_start, key_voice, frame_cpu, helper_cpu = [], [], [], [], [], []
    try:
        for run in range(runs):
            log = home / f"speech-{run}.jsonl"
            env = {
                "READER_HOME": str(home),
                "READER_BUNDLED_ARTICLES": str(articles),
                "READER_SPEECH_DRIVER": driver,
                "READER_SPEECH_LOG": str(log),
                "READER_SCREEN_READER": "0",
                "LANG": "C.UTF-8",
                "TERM": "xterm-256color",
                **(server.env if server else {}),
            }
            socket = f"reader-bench-{os.getpid()}-{run}"
            full_env = {**os.environ, **env}
            assignments = " ".join(f"{k}='{v}'" for k, v in env.items())
            t0 = time.monotonic()
            _tmux(
                socket,
                "new-session",
                "-d",
                "-s",
                "b",
                "-x",
                "100",
                "-y",
                "30",
                f"env {assignments} {READER}",
                env=full_env,
            )
            frame = None
            pid = None
            while time.monotonic() - t0 < 10:
                screen = _tmux(socket, "capture-pane", "-p", "-t", "b").stdout
                if "文库" in screen:
                    frame = time.monotonic() - t0
                    break
                time.sleep(0.005)
            frames.append(frame if frame is not None else float("nan"))
            pid = _tmux(socket, "display", "-p", "-t", "b", "#{pane_pid}").stdout.strip()
            frame_cpu.append(cpu_seconds(pid))
            heard = None
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and heard is None:
                time.sleep(0.05)
                if recorder is not None:
                    t = recorder.first_sound_after(t0)
                    heard = None if t is None else t - t0
                elif log.exists():
                    first = [json.loads(x) for x in log.read_text().splitlines()]
                    first = [r for r in first if r["event"] == "say"]
                    if first:
                        heard = first[0]["t"] - (time.time() - (time.monotonic() - t0))
            audible.append(heard if heard is not None else float("nan"))
            helper_cpu.append(children_cpu(pid))
            if recorder is not None:
                # key → voice: open an article, silence it, then time Down to the next sound
                _tmux(socket, "send-keys", "-t", "b", "Enter")
                time.sleep(2.5)
                _tmux(socket, "send-keys", "-t", "b", "Escape")
                time.sleep(0.8)
                t_key = time.monotonic()
                _tmux(socket, "send-keys", "-t", "b", "Down")
                time.sleep(1.5)
                t_sound = recorder.first_sound_after(t_key)
                key_voice.append(t_sound - t_key if t_sound is not None else float("nan"))
            _tmux(socket, "send-keys", "-t", "b", "q")
            time.sleep(0.5)
            _tmux(socket, "kill-server")
            time.sleep(0.3)
            t1 = time.monotonic()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            python_start.append(time.monotonic() - t1)
    finally:
        if recorder is not None:
            recorder.stop()
        if server is not None:
            server.stop()
    return {
        "first_frame": statistics.median(frames),
        "first_audible": statistics.median(audible),
        "python_start": statistics.median(python_start),
        "key_voice": statistics.median(key_voice) if key_voice else float("nan"),
        "frame_cpu": statistics.median(frame_cpu),
        "helper_cpu": statistics.median(helper_cpu),
        "load": os.getloadavg()[0],
        "note": note,
    }


# ---------------------------------------------------------------------- 2-4. the book


def rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def book(home: Path, articles: Path, book_id: str) -> dict[str, float]:
    os.environ["READER_HOME"] = str(home)
    os.environ["READER_BUNDLED_ARTICLES"] = str(articles)
    os.environ["READER_SCREEN_READER"] = "0"
    from reader.library.article import Article
    from reader.ui.app import ReaderApp
    from reader.ui.screens import ReadingScreen

    t = time.monotonic()
    Article.load(articles / "book.md")
    plain_load = time.monotonic() - t
    result: dict[str, float] = {"plain_load": plain_load}

    async def main() -> None:
        app = ReaderApp(speech_driver="silent")
        async with app.run_test(size=(100, 30)) as pilot:
            await asyncio.get_running_loop().run_in_executor(None, app.warm_done.wait, 30)
            await pilot.pause()
            t0 = time.monotonic()
            app.open_article(book_id)
            while not isinstance(app.screen, ReadingScreen):
                await asyncio.sleep(0.001)
            screen = app.screen
            await pilot.pause()
            view = screen.view
            for y in range(view.content_size.height):
                view.render_line(y)
            result["open_book"] = time.monotonic() - t0
            result["book_chars"] = len(screen.doc.text)
            rng = random.Random(4)
            height = view.content_size.height
            times: dict[str, list[float]] = {"sentence": [], "paragraph": []}
            cpu: dict[str, list[float]] = {"sentence": [], "paragraph": []}
            for _ in range(200):
                screen.place(rng.randrange(len(screen.doc.text)))
                for kind in ("sentence", "paragraph"):
                    for direction in (1, -1):
                        t1 = time.monotonic()
                        c1 = time.thread_time()
                        screen.action_move(kind, direction)
                        for y in range(height):
                            view.render_line(y)
                        times[kind].append(time.monotonic() - t1)
                        cpu[kind].append(time.thread_time() - c1)
            for kind, values in times.items():
                values.sort()
                result[f"{kind}_median"] = statistics.median(values)
                result[f"{kind}_p99"] = values[int(len(values) * 0.99) - 1]
                result[f"{kind}_max"] = values[-1]
                result[f"{kind}_cpu_max"] = max(cpu[kind])
            result["rss_mb"] = rss_mb()
            await pilot.press("q")

    asyncio.run(main())
    return result


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        tmp_path = Path(tmp)
        articles = tmp_path / "articles"
        shutil.copytree(ROOT / "articles", articles)
        book_id = make_book(articles)
        launch_home = tmp_path / "home-launch"
        launch_home.mkdir()
        first = launch(launch_home, ROOT / "articles")
        figures = book(tmp_path / "home-book", articles, book_id)

    print("reader app benchmark (issue 4)")
    print(
        f"  launch ({first.get('note')}; load average {first['load']:.1f} on {os.cpu_count()} cores):"
    )
    print(
        f"    first frame            {first['first_frame']:.3f} s   target <= {TARGETS['first_frame']} s"
        f"   (reference: python -c pass {first['python_start']:.3f} s)"
    )
    print(
        f"    CPU used to first frame {first['frame_cpu']:.3f} s   (wall time minus waiting for other processes)"
    )
    print(
        f"    first announcement     {first['first_audible']:.3f} s   target <= {TARGETS['first_audible']} s"
    )
    print(
        f"    CPU used by the first-words helper until heard {first['helper_cpu']:.3f} s"
        "   (it runs beside the app, on the other core)"
    )
    print(
        f"    key → voice (Down)     {first['key_voice'] * 1000:.0f} ms   (no target; tmux send-keys included)"
    )
    print(f"  book of {int(figures['book_chars']):,} characters:")
    print(
        f"    open (Enter → drawn)   {figures['open_book']:.3f} s   target <= {TARGETS['open_book']} s"
        f"   (reference: Article.load alone {figures['plain_load']:.3f} s)"
    )
    for kind in ("sentence", "paragraph"):
        print(
            f"    {kind:9s} move         median {figures[f'{kind}_median'] * 1000:.1f} ms,"
            f" p99 {figures[f'{kind}_p99'] * 1000:.1f} ms, max {figures[f'{kind}_max'] * 1000:.1f} ms"
            f" (CPU max {figures[f'{kind}_cpu_max'] * 1000:.1f} ms)"
            f"   target <= {TARGETS['move'] * 1000:.0f} ms"
        )
    print(
        f"    resident memory        {figures['rss_mb']:.0f} MB   target <= {TARGETS['rss_mb']} MB"
    )
    ok = (
        first["first_frame"] <= TARGETS["first_frame"]
        and first["first_audible"] <= TARGETS["first_audible"]
        and figures["open_book"] <= TARGETS["open_book"]
        and max(figures["sentence_max"], figures["paragraph_max"]) <= TARGETS["move"]
        and figures["rss_mb"] <= TARGETS["rss_mb"]
    )
    print("  all targets met" if ok else "  SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
