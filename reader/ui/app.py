"""The reader app: library, reading view, help, search and bookmarks.

The app owns the shared pieces every screen needs — settings, the voice, the
reading positions, the interface language — and the rules that differ beside a
screen reader (no self-voicing, the hardware cursor on the reading position,
no animation, no decoration).  The heavy parts (speech engine, jieba, pinyin)
load in a background thread started on mount, so the first frame never waits
for them and the first key is answered as soon as they are in.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.settings import Settings
from reader.ui import keymap
from reader.ui.first_words import detect_screen_reader
from reader.ui.lowvision import LowVisionActions
from reader.ui.strings import t

#: positions are written at most this often while reading (and always on leaving).
SAVE_INTERVAL = 5.0
#: seconds after the first frame the first-words helper has the CPU to itself.
HELPER_HEAD_START = 0.6

CSS = """
Screen { background: $surface; }
.title { height: 1; text-style: bold; padding: 0 1; }
.status { height: 1; padding: 0 1; background: $panel; }
#library-list { height: 1fr; border: none; }
#help-list { height: 1fr; border: none; }
ReadingView > .reading-view--sentence { text-style: underline; background: $boost; }
ReadingView > .reading-view--word { text-style: reverse bold; }
ReadingView > .reading-view--heading { text-style: bold; }
ReadingView > .reading-view--caption { text-style: italic; }
SearchScreen, BookmarksScreen { align: center middle; }
SearchScreen > *, BookmarksScreen > * { width: 70%; max-width: 80; }
#search-input { border: tall $accent; }
#bookmarks-list { height: auto; max-height: 60%; border: tall $accent; }
/* the list cursor never relies on colour alone (ansi and mono themes, NO_COLOR) */
OptionList > .option-list--option-highlighted { text-style: bold underline; }
App.-screen-reader Footer { display: none; }
App.-screen-reader #search-input, App.-screen-reader #bookmarks-list { border: none; }
App.-screen-reader .status { background: $surface; }
App.-screen-reader ReadingView > .reading-view--sentence { background: $surface; }
App.-screen-reader OptionList { scrollbar-size-vertical: 0; }
App.-screen-reader Toast { border: none; }
App.-screen-reader CommandPalette SearchIcon { display: none; }
App.-screen-reader CommandPalette #--input,
App.-screen-reader CommandPalette CommandList,
App.-screen-reader CommandPalette CommandList:focus,
App.-screen-reader CommandPalette LoadingIndicator,
App.-screen-reader CommandPalette CommandInput { border: none; }
"""


def freeze_heap() -> None:
    """Exempt everything loaded so far from the garbage collector's full passes.

    The dictionaries (jieba, pinyin, the speller) and an open book are
    millions of long-lived objects; a full collection walks all of them and
    stalls a key press for 100 ms or more.  Frozen objects are never walked.
    """
    import gc

    gc.freeze()
    # fewer, not longer, collections: a laid-out screen allocates tens of thousands
    # of small objects, and the default (700) would collect dozens of times per key
    gc.set_threshold(50_000, 20, 20)


class ReaderApp(LowVisionActions, App):
    """A keyboard-only reader that speaks for itself or stays quiet beside a screen reader."""

    TITLE = "reader"
    CSS = CSS
    BINDINGS = keymap.bindings("global")

    def get_driver_class(self) -> Any:
        """Textual's terminal driver, made to report a lone Esc (stop) without delay."""
        from reader.ui.driver import driver_class

        return driver_class() or super().get_driver_class()

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        lang: str | None = None,
        screen_reader: bool | None = None,
        speech_driver: str | None = None,
        open_id: str | None = None,
        library: Any = None,
        positions: Any = None,
        first_words: Any = None,
    ) -> None:
        self.settings = settings or Settings.load()
        self.lang = lang or self.settings.lang
        if screen_reader is None:
            mode = self.settings.screen_reader
            screen_reader = detect_screen_reader() if mode == "auto" else mode == "on"
        self.screen_reader = screen_reader
        super().__init__()
        self.key_overrides, key_errors = keymap.check_overrides(self.settings.keys, self.lang)
        self._bindings = keymap.bindings_map("global", self.lang, self.key_overrides)
        # Textual's Ctrl+C (it says how to quit) is kept
        self._bindings._add_binding(Binding("ctrl+c", "help_quit", show=False, system=True))
        if self.screen_reader:
            self.animation_level = "none"
        # settings problems come as (shown, spoken): the voice says the file's name, not its path
        self.startup_errors: list[Any] = self.settings.messages(self.lang) + key_errors
        driver = speech_driver or os.environ.get("READER_SPEECH_DRIVER") or self.settings.speech_driver
        from reader.ui.voice import Voice

        self.voice = Voice(
            self._dispatch,
            driver=driver,
            self_voicing=not self.screen_reader,
            rate=self.settings.rate,
            volume=self.settings.volume,
            voice=self.settings.voice,
            log_path=os.environ.get("READER_SPEECH_LOG") or None,
            on_event=self._on_speech_event,
            lang=self.lang,
        )
        self.voice.on_notice = self._speech_notice
        if first_words is not None and not self.screen_reader:
            self.voice.use_helper(first_words)
            self.voice.on_demand = self._start_warm_up  # a key before the head start ends
        elif first_words is not None:
            first_words.terminate()
        self._library = library
        if positions is None:
            from reader.library.positions import Positions

            positions = Positions()
        self.positions = positions
        self._positions_failed = False  # a write error is said once, not at every move
        if positions.error:
            self.startup_errors.append(
                t("positions_damaged", self.lang, name=positions.path.name)
                if self.lang != "en"
                else positions.error
            )
        self.open_id = open_id
        self.words_ready = False
        self._converters: Any = None
        self._dirty: tuple[Any, int] | None = None
        self._last_save = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ui_thread = threading.get_ident()
        self.warm_done = threading.Event()
        self._warm_started = False
        #: notices (bad settings…) from before the first screen announcement: spoken with it
        self._pending_notices: list[str] = []
        self._first_announced = False
        #: the command palette's titles as shown -> as said (keys named in words)
        self._palette_spoken: dict[str, str] = {}

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._ui_thread = threading.get_ident()
        if self.key_overrides:
            self.set_keymap(keymap.textual_keymap(self.key_overrides))
        if self.screen_reader:
            self.add_class("-screen-reader")
            self._show_hardware_cursor()
        from reader.ui.screens import LibraryScreen

        self.push_screen(LibraryScreen())
        # The heavy loading (speech pipeline, jieba, pinyin) starts once the first
        # frame is on screen: a thread started earlier would share the GIL with
        # Textual's start-up and delay that frame without speeding anything up.
        # With a first-words helper speaking, the app's own loading waits a little
        # more (or until the first key), so the helper has a core to itself.
        if self.voice.has_helper:
            self.call_after_refresh(lambda: self.set_timer(HELPER_HEAD_START, self._start_warm_up))
        else:
            self.call_after_refresh(self._start_warm_up)
        for message in self.startup_errors:
            shown, spoken = message if isinstance(message, tuple) else (message, None)
            self.notify(shown, severity="warning", timeout=8, spoken=spoken)
        if self.open_id:
            self.open_article(self.open_id)
        self.set_interval(SAVE_INTERVAL, self.flush_position)

    def _speech_notice(self, message: str) -> None:
        """The speech layer fell back (no sound output…): say why, in the interface language."""
        from reader.ui.strings import speech_notice

        self.notify(speech_notice(message, self.lang), severity="warning")

    def _start_warm_up(self) -> None:
        if not self._warm_started:
            self._warm_started = True
            self.run_worker(self._warm_up, thread=True, exclusive=True, name="warm-up")

    def _show_hardware_cursor(self) -> None:
        """Textual hides the terminal cursor; a screen reader and braille need it."""
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write("\x1b[?25h")
            driver.flush()

    def _warm_up(self) -> None:
        """Load the voice first (the first announcement), then jieba and pinyin."""
        self.voice.start()
        if self.voice.error:
            self.call_from_thread(self.notify, self.voice.error, severity="warning")
        try:
            from reader.text import segment

            segment.warm_up()
            self.call_from_thread(self._words_loaded)
        except Exception as exc:  # pragma: no cover - a broken dictionary
            self.call_from_thread(self.notify, f"jieba: {exc}", severity="error")
        self._load_pinyin()
        try:
            from reader.speech import spelling

            spelling.warm_up()
        except Exception:  # spelling without example words still works
            pass
        freeze_heap()
        self.warm_done.set()

    def _words_loaded(self) -> None:
        self.words_ready = True
        from reader.ui.reading_view import ReadingView

        for screen in self.screen_stack:
            for view in screen.query(ReadingView):
                view.use_words = True
                view.invalidate()

    def ensure_words(self) -> None:
        """Word moves before the warm-up finished: load jieba now (0.2 s with rjieba)."""
        from reader.text import segment

        segment.warm_up()
        if not self.words_ready:
            self._words_loaded()

    def _load_pinyin(self) -> None:
        """Import the pinyin engine once (0.5 s), off the UI thread."""
        try:
            from reader.text import pinyin as reader_pinyin  # type: ignore[attr-defined]

            getattr(reader_pinyin, "warm_up", lambda: None)()
        except ImportError:
            pass
        self.numbered_readings("银行")

    # ------------------------------------------------------------------ language helpers

    def numbered_readings(self, text: str) -> list[str | None]:
        """Tone-numbered pinyin (``hang2``) of each character, read in context."""
        try:
            from reader.text.pinyin import char_readings

            return list(char_readings(text))
        except Exception:  # no pinyin engine: characters are still said, without readings
            return [None] * len(text)

    def marked(self, syllable: str) -> str:
        """``hang2`` → ``háng``."""
        try:
            from reader.text.pinyin import format_syllable

            return format_syllable(syllable, "marks")
        except Exception:
            return syllable

    def spell_text(self, ch: str, reading: str, lang: str) -> str:
        """"行，háng，行业的行" from the speech layer's speller (the words it will say)."""
        try:
            from reader.speech.spelling import spell_text

            return spell_text(ch, reading, lang)
        except Exception:
            return f"{ch}，{self.marked(reading)}" if lang != "en" else f"{ch}, {self.marked(reading)}"

    def script_variants(self, query: str) -> list[str]:
        """The query in simplified and traditional script, so either finds both."""
        if self._converters is None:
            try:
                import opencc

                self._converters = (opencc.OpenCC("t2s"), opencc.OpenCC("s2t"))
            except Exception:
                self._converters = ()
        variants = []
        for converter in self._converters:
            try:
                variants.append(converter.convert(query))
            except Exception:
                continue
        return variants

    def layout_options(self) -> Any:
        from reader.ui.lowvision import layout_options

        return layout_options(self.settings)

    # ------------------------------------------------------------------ speech

    def _dispatch(self, func: Any, *args: Any) -> None:
        """Run a speech callback on the UI side without ever blocking the engine."""
        loop = self._loop
        if loop is None or threading.get_ident() == self._ui_thread:
            func(*args)
        else:
            loop.call_soon_threadsafe(partial(func, *args))

    def _on_speech_event(self, event: Any) -> None:
        handler = getattr(self.screen, "on_speech_event", None)
        if handler is not None:
            handler(event)
        elif type(event).__name__ == "SpeechError":
            self.notify(str(getattr(event, "message", "")), severity="error")

    @property
    def speaks_reading(self) -> bool:
        """Whether moves speak the unit they land on (not beside a screen reader)."""
        return not self.screen_reader

    def announce(self, text: str) -> None:
        """Speak something about the interface, briefly, interrupting.

        The first screen announcement carries the start-up warnings (bad settings)
        in the same message, so neither cuts the other off.
        """
        if not self._first_announced and self._takes_pending_notices():
            self._first_announced = True
            notices, self._pending_notices = self._pending_notices, []
            text = t("sep", self.lang).join([part for part in (text, *notices) if part])
        self.voice.announce(text)

    def _takes_pending_notices(self) -> bool:
        """Not the library's announcement when an article opens straight away (it is cut)."""
        if not self.open_id:
            return True
        from reader.ui.screens import ReadingScreen

        return isinstance(self.screen, ReadingScreen)

    def say_ui(self, text: str, force: bool = False) -> None:
        """Feedback for a key (end of article, speed 35…): spoken, or shown beside a screen reader.

        ``force`` marks answers the reader asked for (where am I, speed); beside a
        screen reader they too go to the status line, where it reads them.
        """
        if self.screen_reader:
            from rich.text import Text
            from textual.widgets import Static

            for widget in self.screen.query(".status").results(Static):
                widget.update(Text(text))
            return
        self.voice.announce(text)

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None, markup: bool = False, spoken: str | None = None) -> None:  # type: ignore[override]
        """Every notification is also spoken (``spoken`` if given: e.g. without a long path);
        ``markup`` is off so file names show as typed."""
        key = "error" if severity == "error" else None
        said = spoken or message
        spoken = t(key, self.lang, message=said) if key else said
        if not self._first_announced:  # the first announcement would cut it off: join it
            self._pending_notices.append(spoken)
        else:  # queued after what is being said: several notices in a row are all heard
            self.voice.notice(spoken)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ library and positions

    @property
    def library(self) -> Any:
        if self._library is None:
            from reader.library.store import Library

            self._library = Library()
        return self._library

    def library_entries(self) -> list[Any]:
        entries = self.library.entries()
        for error in getattr(self.library, "errors", []) or []:
            self.notify(error, severity="warning")
        return entries

    def open_article(self, article_id: str) -> None:
        from reader.errors import UserError
        from reader.ui.screens import ReadingScreen

        try:
            article = self.library.get(article_id)
        except UserError as exc:
            self.open_id = None  # the library's announcement is heard, with any warnings
            self.notify(str(exc), severity="error")
            return
        offset = self.positions.get(article.id)
        if offset >= len(article.text):
            offset = 0
        from reader.ui.screens import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.article_opened = True
        self.push_screen(ReadingScreen(article, offset))

    def position_changed(self, article: Any, offset: int) -> None:
        self._dirty = (article, offset)

    def flush_position(self) -> None:
        if self._dirty is not None:
            article, offset = self._dirty
            self.save_position(article, offset)

    def save_position(self, article: Any, offset: int) -> None:
        try:
            self.positions.set(article.id, offset, len(article.text))
        except OSError as exc:
            self.positions_failed(exc)
        self._dirty = None
        self._last_save = time.monotonic()

    def positions_failed(self, exc: OSError, what: str = "positions_not_saved") -> None:
        """positions.json cannot be written (a full disk, a read-only home, a link to
        /dev/null): say so once in the interface language and go on reading; the
        full reason is shown, not spoken."""
        if what == "positions_not_saved" and self._positions_failed:
            return
        self._positions_failed = True
        reason = getattr(exc, "strerror", None) or str(exc)
        self.notify(
            t(what, self.lang, name=self.positions.path.name)
            + t("sep", self.lang)
            + f"{self.positions.path}: {reason}",
            severity="error",
            spoken=t(what, self.lang, name=self.positions.path.name),
        )

    def save_settings(self) -> None:
        try:
            withheld = self.settings.save()
        except OSError as exc:
            self.notify(f"{self.settings.path}: {exc}", severity="error")
            return
        if withheld is not None:  # the file cannot be parsed: said once, changes kept in memory
            self.notify(
                withheld.text(self.lang), severity="warning", spoken=withheld.text(self.lang, spoken=True)
            )

    # ------------------------------------------------------------------ global actions

    def action_help(self) -> None:
        from reader.ui.screens import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        """Textual's palette, in the interface language, echoing what is typed."""
        from textual.command import CommandPalette

        if not self.use_command_palette or CommandPalette.is_open(self):
            return
        from reader.ui.screens import ReaderCommandPalette

        self.announce(t("commands", self.lang))
        self.push_screen(
            ReaderCommandPalette(
                id="--command-palette", placeholder=t("commands_placeholder", self.lang)
            )
        )

    def closed_text(self, what: str, *, cancelled: bool = False) -> str:
        """"已关闭书签列表，返回阅读": what closed and where focus went (the screen now on top)."""
        from reader.ui.screens import ReadingScreen

        where = "where_reading" if isinstance(self.screen, ReadingScreen) else "where_library"
        return t(
            "cancelled_to" if cancelled else "closed",
            self.lang,
            what=t(f"what_{what}", self.lang),
            where=t(where, self.lang),
        )

    def on_command_palette_closed(self, event: Any) -> None:
        """Escape from the palette: say so (a chosen command speaks for itself)."""
        if not event.option_selected:
            self.call_after_refresh(lambda: self.say_ui(self.closed_text("commands")))

    def action_cycle_verbosity(self) -> None:
        order = ("brief", "normal", "verbose")
        current = self.settings.verbosity if self.settings.verbosity in order else "normal"
        self.settings.verbosity = order[(order.index(current) + 1) % len(order)]
        self.save_settings()
        value = t(f"verbosity_{self.settings.verbosity}", self.lang)
        self.say_ui(t("verbosity", self.lang, value=value), force=True)

    def action_quit_app(self) -> None:
        """Quit at once; the reading position is saved first."""
        from reader.ui.screens import ReadingScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReadingScreen):
                self.save_position(screen.article, screen.caret)
        self.flush_position()
        self.voice.close()
        self.exit()

    def on_unmount(self) -> None:
        self.flush_position()
        self.voice.close()

    def on_command_palette_option_highlighted(self, event: Any) -> None:
        """Each command the palette highlights is spoken (its title carries the key)."""
        prompt = event.highlighted_event.option.prompt
        text = (getattr(prompt, "plain", None) or str(prompt)).split("\n")[0]
        # said with the keys' names ("下一个词，控制加右方向键"), not the glyphs shown
        self.announce(self._palette_spoken.get(text, text))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of this screen and the app, with its live keys, in the palette."""
        from reader.ui.screens import LibraryScreen, ReadingScreen

        scopes = {"global"}
        if isinstance(screen, ReadingScreen):
            scopes.add("reading")
        elif isinstance(screen, LibraryScreen):
            scopes.add("library")
        for spec in keymap.SPECS:
            if spec.scope not in scopes or spec.id == "command_palette":
                continue
            title, spoken = keymap.palette_entry(spec, self.lang, self.key_overrides)
            self._palette_spoken[title] = spoken
            target = self if spec.scope == "global" else screen
            yield SystemCommand(title, spec.id, partial(self._run_from_palette, target, spec.action))

    def _run_from_palette(self, target: Any, action: str) -> None:
        self.call_later(target.run_action, action)
