"""``reader open`` (and plain ``reader``): the full-screen app.

Textual is imported only here, inside the handlers, so every other command
starts without paying for it.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("open", help="open the reader app (the default command)")
    p.add_argument("id", nargs="?", help="open this article straight away")
    p.add_argument(
        "--speech",
        choices=["auto", "espeak", "pyttsx3", "silent"],
        help="speech engine (default: the setting, or auto)",
    )
    p.set_defaults(func=cmd_open)


def _require_terminal() -> None:
    """The full-screen app needs a terminal both ways; piped, it would wait forever."""
    import sys

    from reader.errors import UserError

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the app needs a terminal (stdin and stdout); without one use "
            "`reader read ID --plain` to read an article or `reader list` to see the library"
        )


def _short_escape_delay() -> None:
    """Esc is the stop key: let Textual believe a lone Esc after 25 ms, not 100.

    A terminal sends Esc as the first byte of arrow and function keys too, so
    Textual waits ``ESCDELAY`` ms (default 100) for more bytes: 100 ms of voice
    after the listener asked for silence.  Terminals send a key's sequence in one
    write, so 25 ms is plenty locally (vim's ttimeoutlen and tmux's escape-time
    use similar values); over a slow link the user can set ``ESCDELAY`` higher,
    as with curses programs.  Textual reads it on import, hence before the import.
    See also :mod:`reader.ui.driver`.
    """
    import os

    os.environ.setdefault("ESCDELAY", "25")


def _run(args: argparse.Namespace, article_id: str | None) -> int:
    import os

    _require_terminal()
    _short_escape_delay()

    from reader.settings import Settings
    from reader.ui import first_words

    settings = Settings.load()
    driver = (
        getattr(args, "speech", None)
        or os.environ.get("READER_SPEECH_DRIVER")
        or settings.speech_driver
    )
    screen_reader = getattr(args, "screen_reader", None)
    if screen_reader is None:
        mode = settings.screen_reader
        screen_reader = first_words.detect_screen_reader() if mode == "auto" else mode == "on"
    # before Textual is imported: the helper loads the speech pipeline on another core
    helper = (
        None
        if screen_reader
        else first_words.spawn(driver, settings.voice, settings.rate, settings.volume)
    )

    from reader.ui.app import ReaderApp

    app = ReaderApp(
        settings,
        lang=getattr(args, "lang", None),
        screen_reader=screen_reader,
        speech_driver=driver,
        open_id=article_id,
        first_words=helper,
    )
    app.run()
    return int(app.return_code or 0)


def cmd_open(args: argparse.Namespace) -> int:
    article_id = getattr(args, "id", None)
    if article_id:
        from reader.library.store import Library

        article_id = Library().get(article_id).id  # a clear error before the screen opens
    return _run(args, article_id)


def open_article(args: argparse.Namespace, article_id: str) -> int:
    """``reader read ID`` without ``--plain``: the app, straight into the article."""
    return _run(args, article_id)
