"""The app's first words, spoken by a helper process while the app starts.

Loading the Mandarin speech pipeline (pinyin tables, the polyphone model,
jieba) takes most of a second of pure Python work.  In the app's own process
that work would either delay the first frame (threads share one interpreter
lock) or start after it, so the first announcement would be heard well after
a second.  A helper process does it on another core while Textual draws the
first frame; the app sends the first announcement's text on stdin as soon as it
knows it, and kills the helper the moment anything else is to be said (the
app's own voice is ready by then).

Run as ``python -m reader.ui.first_words DRIVER PROFILE RATE VOLUME``; it never
writes to the terminal (the app gives it no stdout or stderr).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def spawn(driver: str, profile: str = "", rate: int | None = None, volume: int | None = None):
    """Start the helper (it warms up at once); None for the silent engine or when disabled.

    Called before Textual is even imported, so the helper's loading overlaps
    with all of the app's start-up.
    """
    if driver == "silent" or os.environ.get("READER_FIRST_WORDS") == "0":
        return None
    args = [
        driver,
        profile,
        "" if rate is None else str(rate),
        "" if volume is None else str(volume),
    ]
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "reader.ui.first_words", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return None


def detect_screen_reader(environ: dict[str, str] | None = None) -> bool:
    """A best guess whether a screen reader or braille display is running.

    ``READER_SCREEN_READER=1`` forces it; otherwise a running Orca, brltty,
    Fenrir or espeakup (found through ``/proc``) counts.
    """
    env = os.environ if environ is None else environ
    forced = env.get("READER_SCREEN_READER", "").strip().lower()
    if forced:
        return forced in ("1", "true", "yes", "on")
    try:
        entries = os.listdir("/proc")
    except OSError:
        return False
    names = {"orca", "brltty", "fenrir", "espeakup"}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm", encoding="utf-8") as handle:
                if handle.read().strip() in names:
                    return True
        except OSError:
            continue
    return False


def main(argv: list[str]) -> int:
    driver, profile, rate, volume = [*argv, "", "", "", ""][:4]
    from reader.speech.manager import SpeechManager
    from reader.speech.plan import warm_up

    manager = SpeechManager.create(profile or None, driver=driver or "auto")
    if rate:
        manager.set_rate(int(rate))
    if volume:
        manager.set_volume(int(volume))
    warm_up()
    line = sys.stdin.readline()
    if not line.strip():
        manager.close()
        return 0
    request = json.loads(line)  # the text, or [text, interface language]
    text, lang = (request, "zh") if isinstance(request, str) else request
    manager.say(text, lang=lang)
    manager.wait(30)
    manager.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
