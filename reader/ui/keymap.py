"""Every key of the app, each with a stable id, so users can rebind it.

The defaults follow screen-reader habits (NVDA / Orca / Thorium): arrows move
by character and sentence, Ctrl+arrows by word and paragraph, Space reads on,
Escape stops.  ``[keys]`` in settings.toml overrides a binding by id (Textual's
keymap); help and the command palette are generated from :func:`effective_keys`
so they always show the live keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingsMap


@dataclass(frozen=True)
class KeySpec:
    """One action: its id, default keys, the screen it lives on, and its description."""

    id: str
    keys: str
    action: str
    scope: str  # "reading", "library", "global"
    zh: str
    en: str
    show: bool = False
    #: the footer's short label (the footer must fit 80 columns); help and palette use zh/en
    short_zh: str = ""
    short_en: str = ""

    def describe(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def footer_label(self, lang: str) -> str:
        short = self.short_en if lang == "en" else self.short_zh
        return short or self.describe(lang)


SPECS: tuple[KeySpec, ...] = (
    # reading view -----------------------------------------------------------
    KeySpec("say_all", "space", "say_all", "reading", "朗读/暂停", "read on / pause", True, "朗读/暂停", "read"),
    KeySpec("stop", "escape", "stop", "reading", "停止；没有朗读时返回文库", "stop; back to library when silent"),
    KeySpec("next_char", "right", "move('char', 1)", "reading", "下一个字", "next character"),
    KeySpec("prev_char", "left", "move('char', -1)", "reading", "上一个字", "previous character"),
    KeySpec("next_word", "ctrl+right", "move('word', 1)", "reading", "下一个词", "next word"),
    KeySpec("prev_word", "ctrl+left", "move('word', -1)", "reading", "上一个词", "previous word"),
    KeySpec("next_sentence", "down", "move('sentence', 1)", "reading", "下一句", "next sentence"),
    KeySpec("prev_sentence", "up", "move('sentence', -1)", "reading", "上一句", "previous sentence"),
    KeySpec("next_paragraph", "ctrl+down,pagedown", "move('paragraph', 1)", "reading", "下一段", "next paragraph"),
    KeySpec("prev_paragraph", "ctrl+up,pageup", "move('paragraph', -1)", "reading", "上一段", "previous paragraph"),
    KeySpec("next_heading", "h", "move('heading', 1)", "reading", "下一个标题", "next heading"),
    KeySpec("prev_heading", "H", "move('heading', -1)", "reading", "上一个标题", "previous heading"),
    KeySpec("start", "home,ctrl+home", "jump_edge(0)", "reading", "文章开头", "start of article"),
    KeySpec("end", "end,ctrl+end", "jump_edge(1)", "reading", "文章结尾", "end of article"),
    KeySpec("current_char", "c", "current('char')", "reading", "读当前字，按两次拼读", "current character; twice to spell"),
    KeySpec("current_word", "x", "current('word')", "reading", "读当前词，按两次逐字拼读", "current word; twice to spell"),
    KeySpec("current_sentence", "s", "current('sentence')", "reading", "读当前句，按两次逐字拼读", "current sentence; twice to spell"),
    KeySpec("current_paragraph", "p", "current('paragraph')", "reading", "读当前段", "current paragraph"),
    KeySpec("where_am_i", "w", "where_am_i", "reading", "我在哪里", "where am I", True, "位置", "where"),
    KeySpec("rate_up", "right_square_bracket,plus", "rate(1)", "reading", "加快语速", "faster"),
    KeySpec("rate_down", "left_square_bracket,minus", "rate(-1)", "reading", "减慢语速", "slower"),
    KeySpec("volume_up", "right_curly_bracket", "volume(1)", "reading", "加大音量", "louder"),
    KeySpec("volume_down", "left_curly_bracket", "volume(-1)", "reading", "减小音量", "quieter"),
    KeySpec("voice_next", "v", "voice(1)", "reading", "下一个声音", "next voice"),
    KeySpec("voice_prev", "V", "voice(-1)", "reading", "上一个声音", "previous voice"),
    KeySpec("search", "slash", "search", "reading", "搜索", "search", True, "搜索", "find"),
    KeySpec("search_next", "n", "search_again(1)", "reading", "下一个搜索结果", "next match"),
    KeySpec("search_prev", "N", "search_again(-1)", "reading", "上一个搜索结果", "previous match"),
    KeySpec("bookmark", "b", "bookmark", "reading", "添加书签", "add bookmark"),
    KeySpec("bookmarks", "a", "bookmarks", "reading", "书签列表", "bookmarks list", True, "书签", "marks"),
    KeySpec("back", "backspace", "back", "reading", "返回文库", "back to library"),
    # library ----------------------------------------------------------------
    KeySpec("open", "enter", "open_selected", "library", "打开文章（从上次的位置）", "open article where left", True),
    KeySpec("library_where", "w", "library_where", "library", "读当前项", "read current item"),
    KeySpec("library_search", "slash", "library_search", "library", "搜索文库", "search the library", True, "搜索", "find"),
    KeySpec("library_all", "escape", "library_all", "library", "显示全部文章", "show all articles"),
    KeySpec("library_import", "i", "library_import", "library", "导入文件或文件夹", "import files or a folder", True, "导入", "import"),
    # everywhere (quit first: the footer shows it first) -----------------------
    KeySpec("quit", "ctrl+q,q", "quit_app", "global", "退出（保存位置）", "quit (position saved)", True, "退出", "quit"),
    KeySpec("help", "f1,question_mark", "help", "global", "帮助", "help", True, "帮助", "help"),
    KeySpec("command_palette", "ctrl+p", "command_palette", "global", "命令面板", "command palette", True, "命令", "palette"),
    KeySpec("verbosity", "ctrl+b", "cycle_verbosity", "global", "提示详细程度", "verbosity"),

    # low vision (actions in reader/ui/lowvision.py, mixed into the app) ---------
    KeySpec("lowvision_settings", "f2", "lowvision_settings", "global", "低视力设置", "low-vision settings", True, "低视力", "display"),
    KeySpec("cycle_theme", "t", "cycle_theme(1)", "global", "切换配色", "next theme"),
    KeySpec("cycle_pinyin", "y", "cycle_pinyin", "global", "拼音：关/全文/当前句", "pinyin: off / all / sentence"),
    KeySpec("toggle_focus", "f", "toggle_focus", "global", "聚焦：关/当前句/当前段", "focus: off / sentence / paragraph"),
    KeySpec("toggle_large_print", "z", "toggle_large_print", "global", "大字：关/当前词/当前句", "large print: off / word / sentence"),
    KeySpec("text_wider", "greater_than_sign", "text_width(1)", "global", "文字加宽", "wider text"),
    KeySpec("text_narrower", "less_than_sign", "text_width(-1)", "global", "文字变窄", "narrower text"),
)

BY_ID: dict[str, KeySpec] = {s.id: s for s in SPECS}


def bindings(scope: str, lang: str = "zh") -> list[Binding]:
    """Textual bindings for one scope, each carrying its stable id (described in ``lang``)."""
    result = []
    for spec in SPECS:
        if spec.scope != scope:
            continue
        result.append(
            Binding(
                spec.keys,
                spec.action,
                spec.footer_label(lang),
                show=spec.show,
                id=spec.id,
                priority=False,
            )
        )
    return result


def bindings_map(scope: str, lang: str) -> BindingsMap:
    """A node's bindings in the interface language (class BINDINGS are in Chinese)."""
    return BindingsMap(bindings(scope, lang))


def check_overrides(overrides: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Valid overrides and a one-line error for each unknown binding id."""
    good: dict[str, str] = {}
    errors: list[str] = []
    for binding_id, keys in overrides.items():
        if binding_id not in BY_ID:
            errors.append(f"[keys]: unknown binding id {binding_id!r} ignored")
            continue
        names = [k.strip() for k in keys.split(",") if k.strip()]
        if not names:
            errors.append(f"[keys]: binding {binding_id!r} has no keys; default used")
            continue
        bad = next((name for name in names if not valid_key(name)), None)
        if bad is not None:
            which = f"{keys!r}" if len(names) == 1 else f"{keys!r}: {bad!r}"
            errors.append(
                f"[keys]: {binding_id} = {which} is not a key name "
                f"(e.g. space, ctrl+p, f2, slash); default {BY_ID[binding_id].keys!r} kept"
            )
            continue
        good[binding_id] = ",".join(names)
    return good, errors


#: modifiers Textual puts before a key name (``ctrl+shift+left``).
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _key_names() -> frozenset[str]:
    """Every key name Textual reports: named keys, letters, digits, punctuation names."""
    from textual.keys import Keys, _character_to_key

    names = {key.value.split("+")[-1] for key in Keys}
    names |= {_character_to_key(chr(code)) for code in range(32, 127)}
    return frozenset(n for n in names if n and not n.startswith("<") and n != "ctrl-at")


_VALID_KEYS: frozenset[str] | None = None


def valid_key(key: str) -> bool:
    """Whether ``key`` (``ctrl+right``, ``H``, ``question_mark``) can ever be pressed.

    A name Textual does not know (``ctrl+zz``, ``?``) would be accepted by the
    keymap and silently take the action's key away, so it is refused instead.
    """
    global _VALID_KEYS
    if _VALID_KEYS is None:
        _VALID_KEYS = _key_names()
    *modifiers, name = key.split("+")
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    return name in _VALID_KEYS


def effective_keys(spec: KeySpec, overrides: dict[str, str]) -> list[str]:
    return [k.strip() for k in overrides.get(spec.id, spec.keys).split(",") if k.strip()]


_KEY_NAMES = {
    "space": "Space",
    "escape": "Esc",
    "enter": "Enter",
    "backspace": "Backspace",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "slash": "/",
    "question_mark": "?",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "less_than_sign": "<",
    "greater_than_sign": ">",
}


def key_label(key: str) -> str:
    """A readable key name: ctrl+left -> Ctrl+←, question_mark -> ?."""
    parts = key.split("+")
    out = []
    for part in parts[:-1]:
        out.append(part.capitalize())
    last = parts[-1]
    if last.startswith("f") and last[1:].isdigit():
        label = last.upper()
    else:
        label = _KEY_NAMES.get(last, last)
    out.append(label)
    return "+".join(out)


def keys_label(spec: KeySpec, overrides: dict[str, str]) -> str:
    return " / ".join(key_label(k) for k in effective_keys(spec, overrides))


def help_lines(lang: str, overrides: dict[str, str]) -> list[str]:
    """The help text, one line per action, grouped by screen, from the live keymap."""
    from reader.ui.strings import t

    lines = [t("help_title", lang), t("help_intro", lang)]
    for scope, title in (("reading", "help_reading"), ("library", "help_library"), ("global", "help_global")):
        lines.append("")
        lines.append(t(title, lang))
        for spec in SPECS:
            if spec.scope == scope:
                lines.append(f"{keys_label(spec, overrides)}：{spec.describe(lang)}" if lang != "en" else f"{keys_label(spec, overrides)}: {spec.describe(lang)}")
    lines.append("")
    lines.append(t("help_dialogs", lang))
    lines.extend(t("help_dialog_lines", lang).split("\n"))
    return lines
