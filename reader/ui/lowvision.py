"""Low-vision presentation in the app: settings screen, direct keys, themes, focus.

The layout engine (``reader.layout``) decides where characters go; this module
connects it to the app:

* :func:`layout_options` / :func:`reading_theme` turn the user's settings into
  ``LayoutOptions`` and a :class:`~reader.layout.theme.Theme` (``NO_COLOR``
  always gives the monochrome theme).
* :class:`Presentation` is what the reading view draws with when it is set
  (``ReadingView.presentation``): theme colours and attributes, focus dimming,
  pinyin in "sentence" mode, the current line kept at a fixed height while
  reading on, and large print following the voice.
* :class:`LowVisionActions` is mixed into the app: the direct keys (theme,
  pinyin, focus, large print, text width) and :func:`apply`, which re-applies
  everything after a change.  Each change is spoken through the app's
  ``say_ui`` (silent and shown in the status line beside a screen reader),
  saved at once, and visible at once.
* :class:`LowVisionScreen` is the keyboard-only settings screen (F2): ↑/↓
  choose a setting, ←/→ change it (spoken, previewed on the same screen in the
  sample below, saved), Esc closes.

Settings live in the app's ``Settings`` (``reader/settings.py``) under the
names in :data:`SETTINGS`; where the app's settings lack a field the default
here is used, so this module never breaks an older settings file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.layout.render import Marks, render_line
from reader.layout.theme import Theme, builtin_themes, get_theme, no_color
from reader.layout.wrap import LayoutOptions

if TYPE_CHECKING:
    from reader.ui.reading_view import ReadingView


@dataclass(frozen=True)
class Setting:
    """One low-vision setting: its key in settings.toml, its choices and labels."""

    key: str
    zh: str
    en: str
    default: Any
    choices: tuple[Any, ...] = ()
    low: int = 0
    high: int = 0
    step: int = 1

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


SETTINGS: tuple[Setting, ...] = (
    Setting("theme", "配色", "Theme", "ansi", tuple(builtin_themes())),
    Setting("measure", "文字宽度", "Text width", 0, (), 0, 200, 2),
    Setting("letter_spacing", "字间距", "Letter spacing", False, (False, True)),
    Setting("line_spacing", "行间距", "Line spacing", 0, (), 0, 3),
    Setting("paragraph_spacing", "段间距", "Paragraph spacing", 1, (), 0, 4),
    Setting("indent", "段首缩进", "Paragraph indent", 0, (), 0, 8, 2),
    Setting("pinyin", "拼音", "Pinyin", "off", ("off", "all", "sentence")),
    Setting("pinyin_style", "拼音样式", "Pinyin style", "marks", ("marks", "numbers", "colors")),
    Setting("focus", "聚焦", "Focus", "off", ("off", "sentence", "paragraph")),
    Setting("large_print", "大字", "Large print", "off", ("off", "word", "sentence")),
    Setting("large_print_size", "大字倍数", "Large print size", 6, (), 2, 8),
)
BY_KEY = {s.key: s for s in SETTINGS}

_VALUES = {
    "zh": {
        False: "关", True: "开", "off": "关", "all": "全文", "sentence": "当前句",
        "paragraph": "当前段", "word": "当前词", "marks": "声调符号", "numbers": "数字声调",
        "colors": "声调颜色", "auto_width": "随窗口", "widest": "已最宽", "narrowest": "已最窄",
    },
    "en": {
        False: "off", True: "on", "off": "off", "all": "all text", "sentence": "current sentence",
        "paragraph": "current paragraph", "word": "current word", "marks": "tone marks",
        "numbers": "tone numbers", "colors": "tone colours", "auto_width": "fit the window",
        "widest": "already the widest", "narrowest": "already the narrowest",
    },
}

#: drawn lines the presentation keeps (a few screens' worth; least recently drawn go first).
MAX_CACHED_LINES = 400

SAMPLE_TEXT = "银行行长说：“2022年，我们为40多位残疾人提供了就业岗位。”大家都很高兴！"


def choices(key: str) -> tuple[Any, ...]:
    """The values of a setting; themes include the user's own (config_dir()/themes)."""
    if key == "theme":
        from reader.layout.theme import all_themes

        return tuple(all_themes())
    return BY_KEY[key].choices


def get(settings: Any, key: str) -> Any:
    """A low-vision setting's value, or its default if the settings lack it or hold junk."""
    spec = BY_KEY[key]
    value = getattr(settings, key, spec.default)
    if spec.choices:
        return value if value in choices(key) else spec.default
    if isinstance(spec.default, int) and not isinstance(spec.default, bool):
        if not isinstance(value, int) or isinstance(value, bool):
            return spec.default
        if key == "measure" and value == 0:
            return 0
        return max(spec.low, min(spec.high, value))
    return value


def describe_value(key: str, value: Any, lang: str) -> str:
    if key == "theme":
        from reader.layout.theme import all_themes

        theme = all_themes().get(value)
        return theme.label(lang) if theme else str(value)
    if key == "measure" and value == 0:
        return _VALUES[lang]["auto_width"]
    if key == "large_print_size":
        return f"{value}×" if lang == "en" else f"{value}倍"
    if isinstance(value, bool) or isinstance(value, str):
        return _VALUES[lang].get(value, str(value))
    return str(value)


def announce_setting(key: str, value: Any, lang: str) -> str:
    """What is spoken after a change: "拼音：全文"."""
    sep = ": " if lang == "en" else "："
    return f"{BY_KEY[key].label(lang)}{sep}{describe_value(key, value, lang)}"


#: the narrowest text width the keys go to (cells); F2 and settings.toml can set no less either
MIN_MEASURE = 10


def step_value(key: str, current: Any, direction: int, window: int | None = None) -> Any:
    """The next (or previous) value of a setting; choices wrap around, numbers clamp.

    The text width (``measure``) steps from what is on screen: 0 ("随窗口")
    is the window's width ``window``, the widest there is, so "narrower" goes
    to ``window`` minus one step and "wider" stays at 0; stepping wider to the
    window's width or past it gives 0 again, and a saved width wider than the
    window counts as the window's.  Without ``window`` (no view to measure)
    the setting's upper bound stands in for it.  The narrowest is
    :data:`MIN_MEASURE`; there "narrower" stays put.
    """
    spec = BY_KEY[key]
    if spec.choices:
        values = choices(key)
        i = values.index(current) if current in values else 0
        return values[(i + direction) % len(values)]
    if key == "measure":
        window = max(MIN_MEASURE, window or spec.high)
        shown = min(current or window, window)
        value = shown + direction * spec.step
        if value >= window:
            return 0
        if value < MIN_MEASURE:
            return current if direction < 0 else MIN_MEASURE
        return value
    return max(spec.low, min(spec.high, current + direction * spec.step))


def at_limit(key: str, before: Any, after: Any, direction: int, lang: str) -> str:
    """The words for a width step that could not go further ("已最宽", "已最窄"), else ""."""
    if key != "measure" or before != after:
        return ""
    return _VALUES[lang]["widest" if direction > 0 else "narrowest"]


def window_width(app: Any) -> int | None:
    """The width the text gets at "随窗口": the reading view's, else the terminal's."""
    from reader.ui.reading_view import ReadingView

    for screen in reversed(getattr(app, "screen_stack", [])):
        for view in screen.query(ReadingView):
            if view.content_size.width:
                return int(view.content_size.width)
    size = getattr(app, "size", None)
    return int(size.width) if size is not None and size.width else None


def layout_options(settings: Any, width: int = 80) -> LayoutOptions:
    """The layout the settings ask for (``width`` is replaced by the view with its measure)."""
    return LayoutOptions(
        width=width,
        letter_spacing=bool(get(settings, "letter_spacing")),
        indent=get(settings, "indent"),
        line_spacing=get(settings, "line_spacing"),
        paragraph_spacing=get(settings, "paragraph_spacing"),
        pinyin=get(settings, "pinyin"),
        pinyin_style=get(settings, "pinyin_style"),
    )


def reading_theme(settings: Any) -> Theme:
    """The theme to read with; ``NO_COLOR`` forces the monochrome theme."""
    return get_theme(get(settings, "theme"))


# ---------------------------------------------------------------------- the view's presentation


class Presentation:
    """How the reading view draws: set as ``ReadingView.presentation``.

    It keeps no reading state of its own: every row is drawn from the view's
    caret, sentence and word, so it can never disagree with what the voice says.
    """

    def __init__(self, theme: Theme, focus: str = "off", large_print: str = "off") -> None:
        self.theme = theme
        self.focus = focus
        self.large_print = large_print

    @property
    def fixed_line(self) -> bool:
        """In focus mode the current line stays at one height on screen while reading on."""
        return self.focus != "off"

    def marks(self, view: ReadingView) -> Marks:
        sentence = view.sentence
        word = view.word or (view.caret, view.caret + 1)
        focus = None
        if self.focus == "sentence":
            focus = sentence or word
        elif self.focus == "paragraph":
            unit = view.doc.unit_at("paragraph", view.caret)
            focus = (unit.start, unit.end) if unit else None
        return Marks(sentence=sentence, word=word, focus=focus, ruby_span=sentence or word)

    def render_row(self, view: ReadingView, y: int) -> Strip:
        """One screen row of the view, drawn with the theme (the view's ``render_line`` hook)."""
        width = view.content_size.width
        base = self.theme.style("base")
        if view.doc.blocks:
            view.rows(0)  # settles the layout key first, so the frame is cut from current rows
        frame = view.frame()
        if y >= len(frame):
            return Strip([Segment(" " * width, base)], width)
        bi, ri = frame[y]
        block_rows = view.rows(bi)
        if ri >= len(block_rows):  # a frame older than the rows: never draw from it
            view._frame = None
            return Strip([Segment(" " * width, base)], width)
        row = block_rows[ri]
        if row.line is None or row.kind == "blank":
            return Strip([Segment(" " * width, base)], width)
        line = row.line
        # Rows are cached per visual line and redrawn only when a mark that
        # touches the line changed: the voice moving word by word redraws one
        # or two lines, not the screen.
        cache = view.__dict__.setdefault("_lv_rows", {})
        layout_key = (
            getattr(view, "_rows_key", None),
            getattr(view, "_readings_version", None),  # a lexicon edit redraws the ruby
            width,
            self.theme.name,
            self.focus,
        )
        if cache.get("layout") != layout_key:
            cache.clear()
            cache["layout"] = layout_key
            opts = view.layout_options()
            cache["opts"] = replace(opts, line_spacing=0)
            cache["lines"] = {}
        state = (view.caret, view.sentence, view.word)
        if cache.get("state") != state:
            cache["state"] = state
            cache["marks"] = self.marks(view)
        marks: Marks = cache["marks"]
        opts = cache["opts"]
        line_key = _line_key(line, marks, opts.pinyin == "sentence")
        lines: dict[int, Any] = cache["lines"]
        hit = lines.pop(id(line), None)
        if hit is not None and hit[0] == line_key and hit[1] is line:
            rows = hit[2]
        else:
            heading = view.doc.blocks[bi].kind == "heading"
            rows = render_line(line, opts, self.theme, marks, width=width, heading=heading)
            while len(lines) >= MAX_CACHED_LINES:  # bounded: reading a book never piles up
                del lines[next(iter(lines))]
        lines[id(line)] = (line_key, line, rows)  # most recently drawn last
        segments = rows[0] if row.kind == "ruby" else rows[-1]
        return Strip(segments, width)

    def caret_moved(self, view: ReadingView) -> None:
        """Called by the view after every caret move: large print follows the voice."""
        if self.large_print == "off":
            return
        from reader.ui.largeprint import LargePrint

        try:
            widgets = list(view.screen.query(LargePrint))
        except Exception:  # the view is not mounted on a screen yet
            return
        if not widgets:
            return
        span = view.sentence if self.large_print == "sentence" else view.word
        if span is None:
            unit = view.doc.unit_at("word", view.caret) if getattr(view, "use_words", False) else None
            span = (unit.start, unit.end) if unit else (view.caret, view.caret + 1)
        text = view.doc.text[span[0] : span[1]]
        for widget in widgets:
            widget.show(text)


def _clip(span: tuple[int, int] | None, start: int, end: int) -> tuple[int, int] | None:
    if span is None or span[1] <= start or span[0] >= end:
        return None
    return max(span[0], start), min(span[1], end)


def _line_key(line: Any, marks: Marks, ruby_by_sentence: bool) -> tuple:
    """What of ``marks`` a line shows: equal keys draw identical rows."""
    a, b = line.start, line.end
    return (
        _clip(marks.sentence, a, b),
        _clip(marks.word, a, b),
        marks.focus is not None,
        _clip(marks.focus, a, b),
        _clip(marks.ruby_span, a, b) if ruby_by_sentence else None,
    )


# ---------------------------------------------------------------------- Textual themes


def textual_theme_name(theme: Theme) -> str:
    """The Textual theme the rest of the app (library, status, dialogs) uses with ``theme``."""
    if theme.kind != "color":
        return "ansi-dark"
    return f"reader-{theme.name}"


def register_textual_themes(app: Any) -> None:
    from textual.theme import Theme as TextualTheme

    from reader.layout.contrast import luminance

    for theme in builtin_themes().values():
        if theme.kind != "color":
            continue
        dark = luminance(theme.background) < 0.5
        sentence_bg = theme.roles["sentence"].bg or theme.background
        word_fg, word_bg = theme.colors("word")
        app.register_theme(
            TextualTheme(
                name=textual_theme_name(theme),
                primary=word_bg,
                secondary=sentence_bg,
                accent=word_bg,
                foreground=theme.text,
                background=theme.background,
                surface=theme.background,
                panel=theme.background,
                boost=sentence_bg,
                dark=dark,
                text_alpha=1.0,
                variables={
                    "block-cursor-foreground": word_fg,
                    "block-cursor-background": word_bg,
                    "block-cursor-text-style": "bold underline",
                    "footer-key-foreground": theme.text,
                    "footer-description-foreground": theme.text,
                    "border": theme.text,
                },
            )
        )


def apply(app: Any) -> None:
    """Apply the low-vision settings everywhere: app theme, reading views, large print."""
    settings = app.settings
    theme = reading_theme(settings)
    if not getattr(app, "_lv_themes_registered", False):
        register_textual_themes(app)
        app._lv_themes_registered = True
    try:
        app.theme = textual_theme_name(theme)
    except Exception:  # an unknown theme never stops the app
        pass
    from reader.ui.reading_view import ReadingView

    presentation = Presentation(theme, get(settings, "focus"), get(settings, "large_print"))
    measure = get(settings, "measure")
    for screen in app.screen_stack:
        for view in screen.query(ReadingView):
            view.presentation = presentation
            view.__dict__.pop("_lv_rows", None)
            view.set_options(layout_options(settings), max_width=measure)  # 0: the window's width
            sync_large_print(screen, view, presentation)


def sync_large_print(screen: Any, view: Any, presentation: Presentation) -> None:
    """Mount the large-print panel under the view when it is on, remove it when off."""
    from reader.ui.largeprint import LargePrint

    existing = list(screen.query(LargePrint))
    # Beside a screen reader block glyphs are noise on a braille line: no panel.
    if presentation.large_print == "off" or getattr(screen.app, "screen_reader", False):
        for widget in existing:
            widget.remove()
        return
    size = get(screen.app.settings, "large_print_size")
    if existing:
        for widget in existing:
            widget.set_size(size, presentation.theme)
    else:
        screen.mount(LargePrint(size=size, theme=presentation.theme), after=view)
    presentation.caret_moved(view)


def theme_problems(app: Any) -> list[str]:
    """One line per broken user theme file, and for a theme name that does not exist."""
    from reader.layout.theme import all_themes

    errors: list[str] = []
    themes = all_themes(errors)
    name = getattr(app.settings, "theme", "")
    if name and name not in themes:
        path = getattr(app.settings, "path", None) or "settings"
        errors.append(f"{path}: theme {name!r} not found; using {BY_KEY['theme'].default!r}")
    return errors


# ---------------------------------------------------------------------- app actions


class LowVisionActions:
    """Direct keys for the most used low-vision toggles; mixed into the app."""

    def on_mount(self) -> None:
        for message in theme_problems(self):
            self.notify(message, severity="warning", timeout=8)  # type: ignore[attr-defined]
        apply(self)

    def presentation_for(self, view: Any) -> None:
        """Called by a reading view when it mounts: draw it with the current settings."""
        app: Any = self
        settings = app.settings
        presentation = Presentation(reading_theme(settings), get(settings, "focus"), get(settings, "large_print"))
        view.presentation = presentation
        measure = get(settings, "measure")
        view.set_options(layout_options(settings), max_width=measure or None)
        if view.screen is not None:
            sync_large_print(view.screen, view, presentation)

    def lv_change(self, key: str, value: Any, speak: bool = True, note: str = "") -> None:
        """Set one low-vision setting: apply, save, speak (with ``note``, e.g. "已最宽")."""
        app: Any = self
        setattr(app.settings, key, value)
        apply(app)
        app.save_settings()
        if speak:
            text = announce_setting(key, value, app.lang)
            if note:
                text += (", " if app.lang == "en" else "，") + note
            if key == "large_print" and value != "off":
                from reader.layout.bigtext import find_cjk_font, missing_font_notice

                if find_cjk_font() is None:
                    text += "。" + missing_font_notice(app.lang)
            say = getattr(app, "say_ui", None) or app.announce
            say(text)

    def lv_step(self, key: str, direction: int = 1) -> None:
        app: Any = self
        before = get(app.settings, key)
        value = step_value(key, before, direction, window_width(app))
        self.lv_change(key, value, note=at_limit(key, before, value, direction, app.lang))

    def action_lowvision_settings(self) -> None:
        app: Any = self
        if not isinstance(app.screen, LowVisionScreen):
            app.push_screen(LowVisionScreen())

    def action_cycle_theme(self, direction: int = 1) -> None:
        if no_color():
            app: Any = self
            say = getattr(app, "say_ui", None) or app.announce
            say("NO_COLOR: monochrome" if app.lang == "en" else "已设置 NO_COLOR，只用单色")
            return
        self.lv_step("theme", direction)

    def action_cycle_pinyin(self) -> None:
        self.lv_step("pinyin")

    def action_toggle_focus(self) -> None:
        self.lv_step("focus")

    def action_toggle_large_print(self) -> None:
        self.lv_step("large_print")

    def action_text_width(self, direction: int) -> None:
        self.lv_step("measure", direction)


# ---------------------------------------------------------------------- settings screen


class Preview(Widget):
    """A few lines of sample text drawn exactly as the reading view would draw them."""

    DEFAULT_CSS = "Preview { height: auto; max-height: 12; margin: 1 0 0 0; padding: 0 1; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[list[Segment]] = []
        self._base = Style()

    def update_preview(self, settings: Any, width: int | None = None) -> None:
        from reader.layout.wrap import layout_block

        theme = reading_theme(settings)
        width = width or max(10, (self.content_size.width or 60))
        measure = get(settings, "measure") or width
        opts = replace(layout_options(settings), width=min(width, measure))
        text = SAMPLE_TEXT
        lines = layout_block(text, 0, len(text), opts)
        sentence = (0, text.index("”") + 1)
        marks = Marks(sentence=sentence, word=(0, 2), ruby_span=sentence)
        focus = get(settings, "focus")
        if focus != "off":
            marks = replace(marks, focus=sentence if focus == "sentence" else (0, len(text)))
        rows: list[list[Segment]] = []
        for line in lines:
            rows.extend(render_line(line, opts, theme, marks, width=width))
        self._rows = rows
        self._base = theme.style("base")
        self.styles.height = min(12, max(1, len(rows)))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y < len(self._rows):
            return Strip(self._rows[y]).crop(0, width)
        return Strip([Segment(" " * width, self._base)], width)


class LowVisionScreen(Screen):
    """Keyboard-only low-vision settings: ↑/↓ choose, ←/→ change, Esc back."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("left,minus", "change(-1)", "Previous value", show=False, id="lv_prev_value"),
        Binding("right,plus,space,enter", "change(1)", "Next value", show=False, id="lv_next_value"),
        Binding("escape,backspace,f2", "close", "Close", id="lv_close"),
    ]
    DEFAULT_CSS = """
    LowVisionScreen #lv-title { height: 1; text-style: bold; padding: 0 1; }
    LowVisionScreen #lv-list { height: auto; max-height: 1fr; border: none; }
    LowVisionScreen #lv-note { height: auto; padding: 0 1; }
    """

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "zh")

    def compose(self) -> ComposeResult:
        title = "Low-vision settings (↑↓ choose, ←→ change, Esc back)" if self.lang == "en" else "低视力设置（↑↓选择，←→修改，Esc返回）"
        yield Static(Text(title), id="lv-title")
        yield OptionList(*self._options(), id="lv-list")
        yield Static(Text(""), id="lv-note")
        yield Preview(id="lv-preview")

    def _line(self, spec: Setting) -> Text:
        value = get(self.app.settings, spec.key)  # type: ignore[attr-defined]
        return Text(f"{spec.label(self.lang)}：{describe_value(spec.key, value, self.lang)}")

    def _options(self) -> list[Option]:
        return [Option(self._line(spec), id=spec.key) for spec in SETTINGS]

    def on_mount(self) -> None:
        option_list = self.query_one("#lv-list", OptionList)
        option_list.highlighted = 0
        option_list.focus()
        self.call_after_refresh(self._refresh_preview)
        self._opened = False
        self.call_after_refresh(self._announce_open)

    def _announce_open(self) -> None:
        if not self._opened:
            self._opened = True
            title = "Low-vision settings" if self.lang == "en" else "低视力设置"
            self._say(f"{title}。{self._line(self.current).plain}")

    def _say(self, text: str) -> None:
        app: Any = self.app
        say = getattr(app, "say_ui", None) or getattr(app, "announce", None)
        if say is not None:
            say(text)

    def _refresh_preview(self) -> None:
        preview = self.query_one(Preview)
        preview.update_preview(self.app.settings)  # type: ignore[attr-defined]
        note = ""
        if get(self.app.settings, "large_print") != "off":  # type: ignore[attr-defined]
            from reader.layout.bigtext import find_cjk_font, missing_font_notice

            if find_cjk_font() is None:
                note = missing_font_notice(self.lang)
            elif get(self.app.settings, "large_print_size") < 6:  # type: ignore[attr-defined]
                note = (
                    "Below 6× complex characters lose strokes."
                    if self.lang == "en"
                    else "小于6倍时，笔画多的字会不清楚。"
                )
        if no_color():
            note = (note + " " if note else "") + ("NO_COLOR is set: monochrome." if self.lang == "en" else "已设置 NO_COLOR：单色显示。")
        self.query_one("#lv-note", Static).update(Text(note))

    @property
    def current(self) -> Setting:
        index = self.query_one("#lv-list", OptionList).highlighted or 0
        return SETTINGS[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if not getattr(self, "_opened", False):
            self._announce_open()
            return
        self._say(self._line(self.current).plain)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_change(1)

    def action_change(self, direction: int) -> None:
        spec = self.current
        if spec.key == "theme" and no_color():
            self._refresh_preview()
            self._say("NO_COLOR: monochrome" if self.lang == "en" else "已设置 NO_COLOR，只用单色")
            return
        app: Any = self.app
        before = get(app.settings, spec.key)
        value = step_value(spec.key, before, direction, window_width(app))
        app.lv_change(spec.key, value, speak=False)
        option_list = self.query_one("#lv-list", OptionList)
        index = option_list.highlighted or 0
        option_list.replace_option_prompt_at_index(index, self._line(spec))
        self._refresh_preview()
        note = at_limit(spec.key, before, value, direction, self.lang)
        sep = ", " if self.lang == "en" else "，"
        self._say(announce_setting(spec.key, value, self.lang) + (sep + note if note else ""))

    def action_close(self) -> None:
        self.app.pop_screen()
        self._say("Closed" if self.lang == "en" else "已关闭低视力设置")
