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


def _run(args: argparse.Namespace, article_id: str | None) -> int:
    from reader.settings import Settings
    from reader.ui.app import ReaderApp

    settings = Settings.load()
    app = ReaderApp(
        settings,
        lang=getattr(args, "lang", None),
        screen_reader=getattr(args, "screen_reader", None),
        speech_driver=getattr(args, "speech", None),
        open_id=article_id,
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
