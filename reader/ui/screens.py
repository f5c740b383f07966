"""The app's screens: library, reading, help, search, bookmarks.

Screens report upward (dismiss values, app methods) and speak through
``app.announce``; article text reaches the screen only as ``rich.text.Text``
(never a markup string), so ``[bold]`` in an article is shown literally.
"""

from __future__ import annotations

import itertools
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.text.units import is_punctuation
from reader.ui import keymap
from reader.ui.reading_view import ReadingView
from reader.ui.strings import char_name, t

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

#: the same "current unit" key within this many seconds spells the unit.
DOUBLE_PRESS = 0.6


class _Base(Screen):
    """Shared helpers: the language, announcements, the hardware cursor."""

    @property
    def rapp(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    @property
    def lang(self) -> str:
        return self.rapp.lang

    def t(self, key: str, **values: object) -> str:
        """The string in the interface language; ``{k:#search}`` fields say the live key."""
        values.setdefault("k", keymap.KeyNames(self.lang, self.rapp.key_overrides, spoken=True))
        return t(key, self.lang, **values)

    def sync_cursor(self) -> None:
        """Beside a screen reader: put the terminal cursor where the reader is."""


def _bare(text: str) -> str:
    """``text`` without spaces and punctuation, to tell whether two texts say the same."""
    return "".join(
        ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )


def _list_cursor(option_list: OptionList) -> Any:
    from textual.geometry import Offset

    index = option_list.highlighted or 0
    region = option_list.content_region
    y = region.y + index - int(option_list.scroll_offset.y)
    return Offset(region.x, max(region.y, min(y, region.bottom - 1)))


def _place_cursor(option_list: OptionList) -> None:
    """The terminal cursor on the highlighted item (beside a screen reader)."""
    offset = _list_cursor(option_list)
    if offset != option_list.app.cursor_position:
        option_list.app.cursor_position = offset
        option_list.refresh()  # the cursor moves with the next screen update


# ---------------------------------------------------------------------- library


class LibraryScreen(_Base):
    """Every article with its length and progress; Enter opens it where it was left."""

    BINDINGS = keymap.bindings("library")

    def __init__(self) -> None:
        super().__init__(name="library")
        self._bindings = keymap.bindings_map("library", self.app.lang, self.app.key_overrides)  # type: ignore[attr-defined]
        self.entries: list[Any] = []
        self._quiet = False  # no per-item speech while the list is being refilled
        self._resumed_on: int | None = None  # the item the screen announcement already named
        self._resumes = 0
        self.article_opened = False  # set by the app when an article is pushed over this screen
        self.filtered = False  # showing search hits rather than every article

    def compose(self) -> ComposeResult:
        yield Static(Text(self.t("library")), id="library-title", classes="title")
        yield OptionList(id="library-list")
        yield Static(Text(""), id="library-status", classes="status")
        yield Footer(show_command_palette=False)  # short labels: fits 80 columns

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        self.entries = self.rapp.library_entries()
        self._quiet = True
        option_list.clear_options()
        option_list.add_options([Option(Text(self.entry_shown(e)), id=e.id) for e in self.entries])
        if self.entries:
            option_list.highlighted = min(highlighted or 0, len(self.entries) - 1)
        self.call_after_refresh(self._unquiet)
        status = (
            self.t("library_count", n=len(self.entries))
            if self.entries
            else self.t("library_empty")
        )
        self.query_one("#library-status", Static).update(Text(status))

    def _unquiet(self) -> None:
        self._quiet = False

    def entry_values(self, entry: Any) -> dict[str, object]:
        return {
            "title": entry.title or entry.id,
            "author": f"{entry.author}，"
            if entry.author and self.lang != "en"
            else (f"{entry.author}, " if entry.author else ""),
            "length": entry.length,
            "progress": self.rapp.positions.progress(entry.id),
        }

    def entry_shown(self, entry: Any) -> str:
        values = self.entry_values(entry)
        values["author"] = entry.author
        return self.t("entry_shown", **values)

    def entry_spoken(self, index: int) -> str:
        text = self.t("entry", **self.entry_values(self.entries[index]))
        if self.rapp.settings.verbosity != "brief":
            text += self.t("item_of", i=index + 1, n=len(self.entries))
        return text

    def on_screen_resume(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        first = not self._resumes
        self._resumes += 1
        if self.article_opened:  # back from an article: its progress changed
            self.article_opened = False
            self.filtered = False
            self.reload()
        elif not first:  # back from a dialog, which speaks its own result
            self.call_after_refresh(self.sync_cursor)
            return
        if self.entries:
            index = option_list.highlighted or 0
            self._resumed_on = index
            text = (
                self.t("library_count", n=len(self.entries))
                + self.t("sep")
                + self.entry_spoken(index)
            )
            if self.rapp.settings.verbosity == "verbose":
                text += self.t("sep") + self.t("hint_library")
            self.rapp.announce(text)
        else:
            self.rapp.announce(self.t("library_empty"))
        self.call_after_refresh(self.sync_cursor)

    @on(OptionList.OptionHighlighted, "#library-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.is_current and self.entries and not self._quiet:
            if self._resumed_on != event.option_index:
                self.rapp.announce(self.entry_spoken(event.option_index))
            self._resumed_on = None
        self.call_after_refresh(self.sync_cursor)

    @on(OptionList.OptionSelected, "#library-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.rapp.open_article(event.option.id)

    def action_open_selected(self) -> None:
        option_list = self.query_one(OptionList)
        if self.entries and option_list.highlighted is not None:
            self.rapp.open_article(self.entries[option_list.highlighted].id)

    def action_library_where(self) -> None:
        option_list = self.query_one(OptionList)
        if self.entries:
            self.rapp.announce(self.entry_spoken(option_list.highlighted or 0))
        else:
            self.rapp.announce(self.t("library_empty"))

    def sync_cursor(self) -> None:
        if self.rapp.screen_reader and self.is_current:
            _place_cursor(self.query_one(OptionList))

    def show(self, entries: list[Any], status: str) -> None:
        """Show ``entries`` (all, or search hits) and speak how many and the first."""
        option_list = self.query_one(OptionList)
        self.entries = entries
        self._quiet = True
        option_list.clear_options()
        option_list.add_options([Option(Text(self.entry_shown(e)), id=e.id) for e in entries])
        if entries:
            option_list.highlighted = 0
            self._resumed_on = 0
        self.query_one("#library-status", Static).update(Text(status))
        self.call_after_refresh(self._unquiet)
        first = self.t("sep") + self.entry_spoken(0) if entries else ""
        self.rapp.announce(status + first)

    def action_library_search(self) -> None:
        def done(query: str | None) -> None:
            if not query:
                self.rapp.announce(self.rapp.closed_text("search", cancelled=True))
                return
            try:
                hits = self.rapp.library.search(query)
            except Exception as exc:  # a damaged catalog: say so, keep the list
                self.rapp.notify(str(exc), severity="error")
                return
            by_id = {e.id: e for e in self.rapp.library_entries()}
            found = [by_id[h.id] for h in hits if h.id in by_id]
            self.filtered = True
            self.show(found, self.t("library_hits", n=len(found)))

        self.app.push_screen(SearchScreen(prompt="library_search_prompt"), done)

    def action_library_all(self) -> None:
        if getattr(self, "filtered", False):
            self.filtered = False
            entries = self.rapp.library_entries()
            self.show(entries, self.t("library_count", n=len(entries)))

    def action_library_import(self) -> None:
        def done(path: str | None) -> None:
            if not path:
                self.rapp.announce(self.rapp.closed_text("import", cancelled=True))
                return
            self.run_worker(lambda: self._import(path), thread=True, name="import")

        self.app.push_screen(SearchScreen(prompt="import_prompt"), done)

    def _import(self, path: str) -> None:
        """Runs in a thread: the library does the work, the app speaks the progress."""
        from pathlib import Path

        def progress(done: int, total: int, current: Path, results: list[Any]) -> None:
            self.app.call_from_thread(
                self.rapp.say_ui, self.t("importing", n=done, total=total, name=current.name)
            )

        from reader.library.store import Library

        try:
            # SQLite connections belong to one thread: the import gets its own library
            with Library() as library:
                results = library.import_paths([Path(path).expanduser()], progress=progress)
        except Exception as exc:
            from reader.commands.strings import error_line

            # a coded error (an empty path, a missing folder) in the interface language
            line = error_line(exc, self.lang)
            self.app.call_from_thread(self.rapp.notify, line, severity="error")
            return
        counts = {"imported": 0, "duplicate": 0, "refused": 0}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
        self.app.call_from_thread(self._imported, results, counts)

    def _imported(self, results: list[Any], counts: dict[str, int]) -> None:
        entries = self.rapp.library_entries()
        self.filtered = False
        self.show(entries, self.t("import_done", **counts))
        for result in results:
            if result.status == "refused":
                # shown with its path; said with the file name only (a folder's path
                # said ten times over hides the reasons)
                self.rapp.notify(
                    result.line(self.lang),
                    severity="warning",
                    timeout=10,
                    spoken=result.line(self.lang, short=True),
                )


# ---------------------------------------------------------------------- reading


class ReadingScreen(_Base):
    """One article: the reading view, a status line, every reading key."""

    BINDINGS = keymap.bindings("reading")

    def __init__(self, article: Any, offset: int = 0) -> None:
        super().__init__(name="reading")
        self._bindings = keymap.bindings_map("reading", self.app.lang, self.app.key_overrides)  # type: ignore[attr-defined]
        from reader.text.units import Document

        self.article = article
        self.doc = Document.from_article(article)
        self.start_offset = offset
        self._announced = False
        self.state = "stopped"  # "reading", "paused", "stopped"
        self.search_query: str | None = None
        self._last_current: tuple[str, int, float] | None = None
        self._norm: tuple[str, list[int] | None] | None = None
        self._readings: dict[int, list[str | None]] = {}  # sentence start -> readings
        self._readings_version: int | None = None  # of the readings engine, for _readings

    # ------------------------------------------------------------------ compose

    def compose(self) -> ComposeResult:
        yield ReadingView(self.doc, options=self.rapp.layout_options(), id="view")
        yield Static(Text(""), id="status", classes="status")
        yield Footer(show_command_palette=False)  # short labels: fits 80 columns

    @property
    def view(self) -> ReadingView:
        return self.query_one(ReadingView)

    @property
    def caret(self) -> int:
        return self.view.caret

    def on_mount(self) -> None:
        from reader.ui.app import freeze_heap

        self.view.use_words = self.rapp.words_ready
        self.place(self.start_offset)
        freeze_heap()  # the book's text and units live as long as the screen

    def on_screen_resume(self) -> None:
        self.view.focus()
        self.call_after_refresh(self.sync_cursor)
        if self._announced:  # back from a dialog, which speaks its own result
            return
        self._announced = True
        sentence = self.doc.unit_at("sentence", self.caret)
        title = self.article.title or self.article.id
        text = self.t("opened", title=title)
        if self.rapp.settings.verbosity != "brief":
            text += self.t("comma") + self.doc.position(self.caret).describe(self.lang)
        if self.rapp.settings.verbosity == "verbose":
            text += self.t("sep") + self.t("hint_reading")
        # the sentence under the caret, unless it is the title just said ("打开 T…。T")
        if sentence is not None and _bare(self.doc.span_text(sentence)) != _bare(title):
            text += self.t("sep") + self.unit_text(sentence.start, sentence.end)
        self.rapp.announce(text)
        self.call_after_refresh(self.sync_cursor)

    def on_resize(self) -> None:
        self.call_after_refresh(self.sync_cursor)

    # ------------------------------------------------------------------ state

    def place(self, offset: int, word: tuple[int, int] | None = None) -> None:
        """Move the caret (and highlights), update status and cursor."""
        sentence = self.doc.unit_at("sentence", offset)
        self.view.set_caret(offset, (sentence.start, sentence.end) if sentence else None, word)
        self.update_status()
        self.rapp.position_changed(self.article, self.view.caret)
        self.call_after_refresh(self.sync_cursor)

    def update_status(self) -> None:
        pos = self.doc.position(self.caret)
        voice = self.rapp.voice
        status = self.t(
            "status",
            title=self.article.title or self.article.id,
            paragraph=pos.paragraph,
            paragraphs=pos.paragraphs,
            percent=pos.percent,
            rate=voice.current("rate"),
            volume=voice.current("volume"),
            state=self.t(self.state),
        )
        self.query_one("#status", Static).update(Text(status))

    def sync_cursor(self) -> None:
        if self.rapp.screen_reader and self.is_current:
            offset = self.view.caret_screen_offset()
            if offset is not None and offset != self.app.cursor_position:
                self.app.cursor_position = offset
                # the terminal cursor moves with the next screen update: make sure there is one
                self.view.refresh()

    def set_state(self, state: str) -> None:
        self.state = state
        self.update_status()

    def _interrupt_reading(self) -> None:
        if self.state != "stopped":
            self.rapp.voice.stop()
            self.set_state("stopped")

    def on_screen_suspend(self) -> None:
        """A dialog opened over the text (help, palette, settings): the say-all ends there.

        Only the reading is stopped, not the dialog's own announcement (which
        may already be queued); Space after the dialog reads on from the caret.
        """
        if self.state != "stopped":
            self.rapp.voice.stop_reading()
            self.set_state("stopped")

    # ------------------------------------------------------------------ speaking units

    def speak_unit(self, kind: str, start: int, end: int) -> None:
        if not self.rapp.speaks_reading:
            return
        voice = self.rapp.voice
        if kind == "char":
            self.speak_char(start)
            return
        prefix = ""
        block = self.doc.blocks[self.view.block_of(start)]
        if kind in ("paragraph", "heading") and block.kind in ("heading", "caption"):
            prefix = self.t(block.kind) + self.t("comma")
        if prefix or is_punctuation(self.doc.text[start:end]):
            voice.say(prefix + self.unit_text(start, end))
        else:
            voice.speak_span(self.doc, start, end)

    def unit_text(self, start: int, end: int) -> str:
        """What to say for ``[start, end)``: its text, or, if the voice would say nothing
        there (only punctuation: "，", "……"), the names of its marks ("2个省略号"), never silence.
        """
        text = self.doc.text[start:end]
        if not is_punctuation(text):
            return text
        names = []
        for ch, run in itertools.groupby(text[:200]):
            if not ch.isspace():
                name, n = char_name(ch, self.lang) or ch, len(list(run))
                names.append(name if n == 1 else self.t("marks_run", n=n, name=name))
        return "；".join(names) or (char_name(" ", self.lang) or " ")

    def numbered_reading(self, offset: int) -> str | None:
        """The tone-numbered reading (``hang2``) of the character at ``offset``, read in its sentence.

        The sentence gives the pinyin engine its context (银行 → hang2, 行走 →
        xing2); readings are cached per sentence.
        """
        sentence = self.doc.unit_at("sentence", offset)
        if sentence is None or not (sentence.start <= offset < sentence.end):
            start, end = offset, offset + 1
        else:
            start, end = sentence.start, sentence.end
        version = self.view._readings_version  # a lexicon edit: read the sentence again
        if self._readings_version != version or len(self._readings) > 500:
            self._readings = {}
            self._readings_version = version
        readings = self._readings.get(start)
        if readings is None:
            readings = self.rapp.numbered_readings(self.doc.text[start:end])
            self._readings[start] = readings
        i = offset - start
        return readings[i] if 0 <= i < len(readings) else None

    def reading_of(self, offset: int) -> str:
        """The pinyin with tone marks of the character at ``offset`` ("" for non-Han)."""
        reading = self.numbered_reading(offset)
        return self.rapp.marked(reading) if reading else ""

    def spelling_items(self, start: int, end: int) -> tuple[list[tuple[int, str, str | None]], str]:
        """What spelling ``[start, end)`` asks of the voice, and the text it shows and logs."""
        items: list[tuple[int, str, str | None]] = []
        texts: list[str] = []
        for offset in range(start, min(end, start + 80)):
            ch = self.doc.text[offset]
            if ch.isspace() and end - start > 1:
                continue
            name = char_name(ch, self.lang)
            reading = None if name else self.numbered_reading(offset)
            if name or not reading:
                items.append((offset, name or ch, None))
                texts.append(name or ch)
            else:
                items.append((offset, ch, reading))
                texts.append(self.rapp.spell_text(ch, reading, self.lang))
        return items, "；".join(texts)

    def describe_char(self, offset: int) -> str:
        """What a character move says: "行，háng，银行的行", or the name of a punctuation mark."""
        return self.spelling_items(offset, offset + 1)[1]

    def speak_char(self, offset: int) -> None:
        items, text = self.spelling_items(offset, offset + 1)
        self.rapp.voice.spell(self.doc, items, text)

    # ------------------------------------------------------------------ actions

    def action_move(self, kind: str, direction: int) -> None:
        self._interrupt_reading()
        if kind == "word" and not self.rapp.words_ready:
            self.rapp.ensure_words()
        unit = self.doc.next(kind, self.caret) if direction > 0 else self.doc.prev(kind, self.caret)
        if unit is None:
            key = "no_heading" if kind == "heading" else ("end" if direction > 0 else "start")
            self.rapp.say_ui(self.t(key))
            return
        word = (unit.start, unit.end) if kind in ("word", "char") else None
        self.place(unit.start, word)
        self.speak_unit(kind, unit.start, unit.end)

    def action_jump_edge(self, edge: int) -> None:
        self._interrupt_reading()
        unit = self.doc.first("sentence") if edge == 0 else self.doc.last("sentence")
        if unit is None:
            return
        self.place(unit.start)
        self.speak_unit("sentence", unit.start, unit.end)

    def action_current(self, kind: str) -> None:
        self._interrupt_reading()
        unit = self.doc.unit_at(kind, self.caret)
        if unit is None:
            return
        now = time.monotonic()
        last = self._last_current
        twice = (
            last is not None
            and last[0] == kind
            and last[1] == unit.start
            and now - last[2] < DOUBLE_PRESS
        )
        self._last_current = None if twice else (kind, unit.start, now)
        if twice and kind != "paragraph":
            if not self.rapp.speaks_reading:  # beside a screen reader: silent, like speak_unit
                return
            items, text = self.spelling_items(unit.start, unit.end)
            self.rapp.voice.spell(self.doc, items, text)
            return
        self.speak_unit(kind, unit.start, unit.end)

    def action_say_all(self) -> None:
        if not self.rapp.speaks_reading:  # beside a screen reader, reading aloud is its job
            return
        voice = self.rapp.voice
        if self.state == "reading":
            voice.pause()
            self.set_state("paused")
        elif self.state == "paused":
            voice.resume()
            self.set_state("reading")
        else:
            self.set_state("reading")
            voice.read_all(self.doc, self.caret)

    def action_stop(self) -> None:
        if self.state != "stopped":
            self.rapp.voice.stop()
            self.set_state("stopped")  # silence is the answer: nothing is spoken
        elif self.rapp.voice.speaking:
            self.rapp.voice.stop()
        else:
            self.action_back()

    def action_back(self) -> None:
        self._interrupt_reading()
        self.rapp.voice.stop()
        self.rapp.save_position(self.article, self.caret)
        self.dismiss(None)

    def action_where_am_i(self) -> None:
        pos = self.doc.position(self.caret)
        text = self.t(
            "where",
            title=self.article.title or self.article.id,
            position=pos.describe(self.lang),
            rate=self.rapp.voice.current("rate"),
        )
        self.rapp.say_ui(text, force=True)

    def action_rate(self, direction: int) -> None:
        self._step_setting("rate", 5 * direction)

    def action_volume(self, direction: int) -> None:
        self._step_setting("volume", 10 * direction)

    def _step_setting(self, name: str, delta: int) -> None:
        """Rate or volume one step; spoken (in the new setting), saved, "limit" at the ends."""
        before = self.rapp.voice.current(name)
        value = self.rapp.voice.change(name, delta)
        setattr(self.rapp.settings, name, value)
        self.rapp.save_settings()
        self.update_status()
        text = self.t(name, value=value)
        if value == before:
            text += self.t("comma") + self.t("limit")
        self.rapp.say_ui(text, force=True)

    def action_voice(self, direction: int) -> None:
        name = self.rapp.voice.next_voice(direction)
        if name is None:
            self.rapp.say_ui(self.t("no_voices"), force=True)
            return
        self.rapp.settings.voice = self.rapp.voice.voice
        self.rapp.save_settings()
        self.update_status()
        self.rapp.say_ui(self.t("voice", value=name), force=True)

    # search ---------------------------------------------------------------

    def action_search(self) -> None:
        self._interrupt_reading()

        def done(query: str | None) -> None:
            if query:
                self.search_query = query
                self.find(query, +1, from_caret=True)
            else:
                self.rapp.say_ui(self.rapp.closed_text("search", cancelled=True))

        self.app.push_screen(SearchScreen(self.search_query or ""), done)

    def action_search_again(self, direction: int) -> None:
        # nowhere to go: say so and let a say-all read on; a match moves the caret (and stops it)
        if not self.search_query:
            self.rapp.say_ui(self.t("no_search"), force=True)
            return
        if not self.matches(self.search_query):
            self.rapp.say_ui(self.t("search_none", query=self.search_query), force=True)
            return
        self._interrupt_reading()
        self.find(self.search_query, direction)

    def _normalized(self) -> tuple[str, list[int] | None]:
        """The text folded for searching (full/half width, case, Traditional → Simplified),
        with an offset map if needed.  The script fold never changes a length, so a
        text mixing variants (台灣 … 臺灣) is found whole by either spelling."""
        if self._norm is None:
            from reader.text.script import fold_script

            text = self.doc.text
            folded = unicodedata.normalize("NFKC", text).casefold()
            if len(folded) == len(text):
                self._norm = (fold_script(folded), None)
            else:
                pieces = []
                index: list[int] = []
                for i, ch in enumerate(text):
                    f = unicodedata.normalize("NFKC", ch).casefold()
                    pieces.append(f)
                    index.extend([i] * len(f))
                self._norm = (fold_script("".join(pieces)), index)
        return self._norm

    def matches(self, query: str) -> list[int]:
        """Offsets of every match: width- and case-folded, simplified or traditional."""
        from reader.text.script import fold_script

        folded, index = self._normalized()
        variants = {fold_script(unicodedata.normalize("NFKC", query).casefold())}
        variants |= {
            fold_script(unicodedata.normalize("NFKC", v).casefold())
            for v in self.rapp.script_variants(query)
        }
        found: set[int] = set()
        for variant in variants:
            if not variant:
                continue
            pos = folded.find(variant)
            while pos >= 0:
                found.add(index[pos] if index else pos)
                pos = folded.find(variant, pos + 1)
        return sorted(found)

    def find(self, query: str, direction: int, from_caret: bool = False) -> None:
        hits = self.matches(query)
        if not hits:
            self.rapp.say_ui(self.t("search_none", query=query), force=True)
            return
        import bisect

        caret = self.caret
        if direction > 0:
            i = bisect.bisect_left(hits, caret) if from_caret else bisect.bisect_right(hits, caret)
            wrapped = i >= len(hits)
            i = 0 if wrapped else i
        else:
            i = bisect.bisect_left(hits, caret) - 1
            wrapped = i < 0
            i = len(hits) - 1 if wrapped else i
        start = hits[i]
        self.place(start, (start, min(len(self.doc.text), start + len(query))))
        sentence = self.doc.unit_at("sentence", start)
        text = self.t("search_found", i=i + 1, n=len(hits))
        if wrapped:
            wrapped_key = "search_wrapped" if direction > 0 else "search_wrapped_back"
            text = self.t(wrapped_key) + self.t("comma") + text
        if sentence is not None:
            text += self.t("sep") + self.doc.span_text(sentence)
        self.rapp.say_ui(text, force=True)

    # bookmarks ------------------------------------------------------------

    def action_bookmark(self) -> None:
        label = self.doc.label_at(self.caret)  # cut between words, never inside a number
        try:
            mark = self.rapp.positions.add_bookmark(self.article.id, self.caret, label)
        except OSError as exc:
            self.rapp.positions_failed(exc, "bookmark_not_saved")
            return
        self.rapp.say_ui(self.t("bookmark_added" if mark else "bookmark_exists"), force=True)

    def action_bookmarks(self) -> None:
        marks = self.rapp.positions.bookmarks(self.article.id)
        if not marks:  # no dialog: a say-all reads on after the answer
            self.rapp.say_ui(self.t("bookmarks_empty"), force=True)
            return
        self._interrupt_reading()

        def done(offset: int | None) -> None:
            if offset is not None:
                self.place(offset)
                sentence = self.doc.unit_at("sentence", offset)
                if sentence is not None:
                    self.speak_unit("sentence", offset, sentence.end)

        self.app.push_screen(BookmarksScreen(self.article, self.doc), done)

    # speech events ----------------------------------------------------------

    def on_speech_event(self, event: Any) -> None:
        """Follow the voice: the caret and the word highlight move with the say-all."""
        name = type(event).__name__
        voice = self.rapp.voice
        if name == "SpeechError":
            self.set_state("stopped")
            self.rapp.notify(str(getattr(event, "message", "")), severity="error")
            return
        if self.state == "stopped":
            return
        request = getattr(event, "request", None)
        reading = voice.reading_request
        if name == "AllDone":
            # the queue ran dry after the say-all began (its own end, or a notice queued
            # after it): nothing is being read, whatever the status said
            if isinstance(request, int) and isinstance(reading, int) and request >= reading:
                self.set_state("stopped")
                self.rapp.say_ui(self.t("finished"))
            return
        if request != reading:
            return  # an announcement's words never move the caret
        if name == "WordProgress":
            self.place(event.start, (event.start, event.end))
        elif name == "UtteranceStarted":
            self.place(event.start)


# ---------------------------------------------------------------------- dialogs


class HelpScreen(_Base):
    """The live keymap as plain lines; arrows read it line by line."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,f1,question_mark,q", "close", "close", id="help_close"),
    ]

    def __init__(self) -> None:
        super().__init__(name="help")

    def compose(self) -> ComposeResult:
        # shown with the keys' glyphs, said with their names (keymap.help_entries)
        entries = keymap.help_entries(self.lang, self.rapp.key_overrides)
        self.spoken_lines = [said for _, said in entries]
        yield OptionList(
            *[Option(Text(line or " "), disabled=not line) for line, _ in entries], id="help-list"
        )

    def on_screen_resume(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        option_list.highlighted = 0
        self.rapp.announce(self.t("help") + self.t("sep") + self.spoken_lines[1])
        self.call_after_refresh(self.sync_cursor)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.is_current and event.option_index > 0:
            self.rapp.announce(self.spoken_lines[event.option_index])
        self.call_after_refresh(self.sync_cursor)

    def sync_cursor(self) -> None:
        if self.rapp.screen_reader and self.is_current:
            _place_cursor(self.query_one(OptionList))

    def action_close(self) -> None:
        self.dismiss(None)
        below = self.app.screen
        text = self.rapp.closed_text("help")
        if isinstance(below, ReadingScreen):
            sentence = below.doc.unit_at("sentence", below.caret)
            if sentence is not None:
                text += self.t("sep") + below.doc.span_text(sentence)
        elif isinstance(below, LibraryScreen) and below.entries:
            index = below.query_one(OptionList).highlighted or 0
            text += self.t("sep") + below.entry_spoken(index)
        self.rapp.announce(text)


class SearchScreen(ModalScreen[str | None]):
    """A one-line search box that echoes what is typed."""

    BINDINGS = [Binding("escape", "cancel", "cancel", id="search_cancel")]  # noqa: RUF012

    def __init__(self, query: str = "", prompt: str = "search_prompt") -> None:
        super().__init__(name="search")
        self.query_text = query
        self._previous = query
        self.prompt = prompt

    @property
    def rapp(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        shown = keymap.KeyNames(self.rapp.lang)  # Esc on screen, "Escape" in speech
        yield Static(Text(t(self.prompt, self.rapp.lang, k=shown)), classes="title")
        yield Input(value=self.query_text, id="search-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        said = keymap.KeyNames(self.rapp.lang, spoken=True)
        self.rapp.announce(t(self.prompt, self.rapp.lang, k=said))
        self.call_after_refresh(self.sync_cursor)

    def sync_cursor(self) -> None:
        if self.rapp.screen_reader:
            field = self.query_one(Input)
            if field.cursor_screen_offset != self.app.cursor_position:
                self.app.cursor_position = field.cursor_screen_offset
                field.refresh()

    @on(Input.Changed)
    def _echo(self, event: Input.Changed) -> None:
        """Speak each typed character (or a whole IME commit); say what was deleted."""
        value, before = event.value, self._previous
        self._previous = value
        self.call_after_refresh(self.sync_cursor)
        if value.startswith(before) and len(value) > len(before):
            self.rapp.announce(value[len(before) :])
        elif before.startswith(value) and len(before) > len(value):
            self.rapp.announce(t("deleted", self.rapp.lang, ch=before[len(value) :]))
        elif value != before:
            self.rapp.announce(value)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class BookmarksScreen(ModalScreen[int | None]):
    """The article's bookmarks; Enter goes there, Delete removes one."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "cancel", id="bookmarks_cancel"),
        Binding("delete,d", "remove", "remove", id="bookmarks_remove"),
    ]

    def __init__(self, article: Any, doc: Any) -> None:
        super().__init__(name="bookmarks")
        self.article = article
        self.doc = doc
        self.marks: list[Any] = []
        self._skip_first = True  # the opening announcement already named item 1

    @property
    def rapp(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text(t("bookmarks", self.rapp.lang)), classes="title")
        yield OptionList(id="bookmarks-list")

    def entry(self, mark: Any) -> str:
        percent = self.doc.position(mark.offset).percent
        label = mark.label.rstrip("。，！？；：.,!?;: ")
        return t("bookmark_entry", self.rapp.lang, percent=percent, label=label)

    def fill(self) -> None:
        self.marks = self.rapp.positions.bookmarks(self.article.id)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options([Option(Text(self.entry(m))) for m in self.marks])
        if self.marks:
            option_list.highlighted = 0

    def on_mount(self) -> None:
        self.fill()
        self.query_one(OptionList).focus()
        first = t("sep", self.rapp.lang) + self.entry(self.marks[0]) if self.marks else ""
        self.rapp.announce(t("bookmarks_count", self.rapp.lang, n=len(self.marks)) + first)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        skip, self._skip_first = self._skip_first and event.option_index == 0, False
        if self.is_current and self.marks and not skip:
            text = self.entry(self.marks[event.option_index])
            if self.rapp.settings.verbosity != "brief":
                text += t("item_of", self.rapp.lang, i=event.option_index + 1, n=len(self.marks))
            self.rapp.announce(text)
        if self.rapp.screen_reader:
            self.call_after_refresh(lambda: _place_cursor(self.query_one(OptionList)))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.marks[event.option_index].offset)

    def action_remove(self) -> None:
        option_list = self.query_one(OptionList)
        if not self.marks or option_list.highlighted is None:
            return
        mark = self.marks[option_list.highlighted]
        try:
            self.rapp.positions.remove_bookmark(self.article.id, mark.offset)
        except OSError as exc:
            self.rapp.positions_failed(exc, "bookmark_not_saved")
            return
        self._skip_first = True
        self.fill()
        lang = self.rapp.lang
        text = t("bookmark_removed", lang)
        if self.marks:
            self.rapp.announce(text + t("sep", lang) + self.entry(self.marks[0]))
            return
        # the list closed by itself: say so, and where focus went
        self.dismiss(None)
        where = "where_reading" if isinstance(self.app.screen, ReadingScreen) else "where_library"
        where_text = t(where, lang)
        self.rapp.announce(text + t("comma", lang) + t("bookmarks_none_left", lang, where=where_text))

    def action_cancel(self) -> None:
        self.dismiss(None)
        self.rapp.say_ui(self.rapp.closed_text("bookmarks"))


class ReaderCommandPalette(CommandPalette):
    """Textual's command palette, echoing what is typed like the search box."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed = ""

    @on(Input.Changed)
    def _echo(self, event: Input.Changed) -> None:
        value, before = event.value, self._typed
        self._typed = value
        app: Any = self.app
        if value.startswith(before) and len(value) > len(before):
            app.announce(value[len(before) :])
        elif before.startswith(value) and len(before) > len(value):
            app.announce(t("deleted", app.lang, ch=before[len(value) :]))
        elif value != before:
            app.announce(value)
