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


def bindings(scope: str, lang: str = "zh", overrides: dict[str, str] | None = None) -> list[Binding]:
    """Textual bindings for one scope, each carrying its stable id (described in ``lang``).

    An action left with no key by ``overrides`` (its default taken by another
    action, see :func:`check_overrides`) gets no binding at all, so the key
    reaches the action the user gave it, on whatever screen that one lives.
    """
    result = []
    for spec in SPECS:
        if spec.scope != scope:
            continue
        if overrides is not None and not effective_keys(spec, overrides):
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


def bindings_map(scope: str, lang: str, overrides: dict[str, str] | None = None) -> BindingsMap:
    """A node's bindings in the interface language (class BINDINGS are in Chinese)."""
    return BindingsMap(bindings(scope, lang, overrides))


#: an override value meaning "no key": the action's default key went to another action.
UNBOUND = ""


def textual_keymap(overrides: dict[str, str]) -> dict[str, str]:
    """The overrides Textual's keymap can take (an unbound action has no binding at all)."""
    return {binding_id: keys for binding_id, keys in overrides.items() if keys != UNBOUND}


def _screens_meet(a: str, b: str) -> bool:
    """Whether two scopes' keys are live at once (global keys work on every screen)."""
    return a == b or "global" in (a, b)


def _short(spec: KeySpec, lang: str) -> str:
    """An action's description up to its first clause: 读当前词, current word."""
    import re

    return re.split(r"[；，;,]", spec.describe(lang), maxsplit=1)[0].strip()


def _resolve_clashes(good: dict[str, str], lang: str) -> tuple[dict[str, str], list[str]]:
    """The user's explicit bindings win; a default they take is reported and removed.

    A key bound twice on one screen would otherwise do whichever action
    Textual meets first, and help would list it for both.  Between two explicit
    bindings, the later line of ``[keys]`` wins.  The displaced action keeps
    its other keys, or becomes :data:`UNBOUND` (help says it has no key).
    """
    from reader.ui.strings import t

    live = {spec.id: effective_keys(spec, good) for spec in SPECS}
    messages: list[str] = []
    for owner_id in reversed(list(good)):
        owner = BY_ID[owner_id]
        for key in list(live[owner_id]):
            for other in SPECS:
                if other.id == owner_id or not _screens_meet(owner.scope, other.scope):
                    continue
                if key not in live[other.id]:
                    continue
                live[other.id].remove(key)
                left = live[other.id]
                messages.append(
                    t(
                        "key_clash_keeps" if left else "key_clash",
                        lang,
                        pressed=key_spoken(key, lang),
                        owner=owner_id,
                        owner_does=_short(owner, lang),
                        other=other.id,
                        other_does=_short(other, lang),
                        keys=_said(_SPOKEN_OR, lang).join(key_spoken(k, lang) for k in left),
                    )
                )
    resolved = dict(good)
    for spec in SPECS:
        if live[spec.id] != effective_keys(spec, good):
            resolved[spec.id] = ",".join(live[spec.id]) or UNBOUND
    return resolved, list(reversed(messages))


def check_overrides(overrides: dict[str, str], lang: str = "zh") -> tuple[dict[str, str], list[str]]:
    """Valid overrides and a one-line error for each bad entry or key clash.

    The result also carries the actions a clash left with fewer keys (or
    :data:`UNBOUND`), so help, the palette and the bindings all agree.
    """
    from reader.ui.strings import t

    good: dict[str, str] = {}
    errors: list[str] = []
    for binding_id, keys in overrides.items():
        if binding_id not in BY_ID:
            errors.append(t("keys_unknown_id", lang, id=binding_id))
            continue
        names = [k.strip() for k in keys.split(",") if k.strip()]
        if not names:
            errors.append(t("keys_empty", lang, id=binding_id))
            continue
        bad = next((name for name in names if not valid_key(name)), None)
        if bad is not None:
            errors.append(
                t("keys_bad_name", lang, id=binding_id, bad=bad, default=BY_ID[binding_id].keys)
            )
            continue
        good[binding_id] = ",".join(names)
    good, clashes = _resolve_clashes(good, lang)
    return good, errors + clashes


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
    "delete": "Delete",
    "insert": "Insert",
    "tab": "Tab",
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


#: How each key is *said* in help, the palette and hints, in the interface language.
#: The screen keeps the compact glyphs of ``_KEY_NAMES`` ("→", "]", "PgDn"); speech
#: needs words, because the speech planner drops symbols it cannot say ("→", "]"),
#: spells "Ctrl" letter by letter and cannot tell "N" from "n".
_SPOKEN_KEYS: dict[str, dict[str, str]] = {
    "space": {"zh": "空格", "en": "Space"},
    "escape": {"zh": "Escape", "en": "Escape"},
    "enter": {"zh": "回车", "en": "Enter"},
    "tab": {"zh": "Tab", "en": "Tab"},
    "backspace": {"zh": "退格", "en": "Backspace"},
    "delete": {"zh": "Delete", "en": "Delete"},
    "insert": {"zh": "Insert", "en": "Insert"},
    "pageup": {"zh": "上翻页", "en": "Page Up"},
    "pagedown": {"zh": "下翻页", "en": "Page Down"},
    "home": {"zh": "Home", "en": "Home"},
    "end": {"zh": "End", "en": "End"},
    "left": {"zh": "左方向键", "en": "Left arrow"},
    "right": {"zh": "右方向键", "en": "Right arrow"},
    "up": {"zh": "上方向键", "en": "Up arrow"},
    "down": {"zh": "下方向键", "en": "Down arrow"},
    "slash": {"zh": "斜杠", "en": "Slash"},
    "backslash": {"zh": "反斜杠", "en": "Backslash"},
    "question_mark": {"zh": "问号", "en": "Question mark"},
    "exclamation_mark": {"zh": "叹号", "en": "Exclamation mark"},
    "plus": {"zh": "加号", "en": "Plus"},
    "minus": {"zh": "减号", "en": "Minus"},
    "equals_sign": {"zh": "等号", "en": "Equals"},
    "asterisk": {"zh": "星号", "en": "Asterisk"},
    "left_square_bracket": {"zh": "左方括号", "en": "Left bracket"},
    "right_square_bracket": {"zh": "右方括号", "en": "Right bracket"},
    "left_curly_bracket": {"zh": "左花括号", "en": "Left brace"},
    "right_curly_bracket": {"zh": "右花括号", "en": "Right brace"},
    "left_parenthesis": {"zh": "左括号", "en": "Left parenthesis"},
    "right_parenthesis": {"zh": "右括号", "en": "Right parenthesis"},
    "less_than_sign": {"zh": "小于号", "en": "Less than"},
    "greater_than_sign": {"zh": "大于号", "en": "Greater than"},
    "comma": {"zh": "逗号", "en": "Comma"},
    "full_stop": {"zh": "句点", "en": "Period"},
    "colon": {"zh": "冒号", "en": "Colon"},
    "semicolon": {"zh": "分号", "en": "Semicolon"},
    "apostrophe": {"zh": "单引号", "en": "Apostrophe"},
    "quotation_mark": {"zh": "双引号", "en": "Quote"},
    "grave_accent": {"zh": "反引号", "en": "Backtick"},
    "tilde": {"zh": "波浪号", "en": "Tilde"},
    "at": {"zh": "艾特符号", "en": "At sign"},
    "number_sign": {"zh": "井号", "en": "Number sign"},
    "dollar_sign": {"zh": "美元符号", "en": "Dollar sign"},
    "percent_sign": {"zh": "百分号", "en": "Percent sign"},
    "circumflex_accent": {"zh": "脱字符", "en": "Caret"},
    "ampersand": {"zh": "和号", "en": "Ampersand"},
    "underscore": {"zh": "下划线", "en": "Underscore"},
    "vertical_line": {"zh": "竖线", "en": "Vertical bar"},
}

_SPOKEN_MODIFIERS: dict[str, dict[str, str]] = {
    "ctrl": {"zh": "控制", "en": "Control"},
    "shift": {"zh": "Shift", "en": "Shift"},
    "alt": {"zh": "Alt", "en": "Alt"},
    "meta": {"zh": "Meta", "en": "Meta"},
    "super": {"zh": "Super", "en": "Super"},
    "hyper": {"zh": "Hyper", "en": "Hyper"},
}

#: "Ctrl 加 →", "F1 或 ?": the joining words, said rather than shown as "+" and "/".
_SPOKEN_PLUS = {"zh": "加", "en": " plus "}
_SPOKEN_OR = {"zh": "或", "en": " or "}


def _said(table: dict[str, str], lang: str) -> str:
    return table.get(lang) or table["zh"]


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


def key_spoken(key: str, lang: str = "zh") -> str:
    """How a key is said: ctrl+right -> 控制加右方向键 / Control plus Right arrow.

    An upper-case letter is Shift and the letter (Textual's ``N`` is Shift+N),
    so "n" and "N" never sound alike: 大写N / Shift N.
    """
    *modifiers, last = key.split("+")
    if last.startswith("f") and last[1:].isdigit():
        name = last.upper()
    elif last in _SPOKEN_KEYS:
        name = _said(_SPOKEN_KEYS[last], lang)
    elif len(last) == 1 and last.isalpha() and last.isupper():
        name = f"Shift {last}" if lang == "en" else f"大写{last}"
    elif len(last) == 1 and last.isalpha() and modifiers:
        name = last.upper()  # as printed on the key: Ctrl+P
    else:
        name = last.replace("_", " ")
    words = [_said(_SPOKEN_MODIFIERS.get(m, {"zh": m.capitalize()}), lang) for m in modifiers]
    return _said(_SPOKEN_PLUS, lang).join([*words, name])


def keys_label(spec: KeySpec, overrides: dict[str, str], lang: str = "zh") -> str:
    keys = effective_keys(spec, overrides)
    if not keys:
        from reader.ui.strings import t

        return t("key_unbound", lang)
    return " / ".join(key_label(k) for k in keys)


def keys_spoken(spec: KeySpec, overrides: dict[str, str], lang: str = "zh") -> str:
    """Every live key of ``spec``, said: 右方括号或加号 / Right bracket or Plus."""
    keys = effective_keys(spec, overrides)
    if not keys:
        from reader.ui.strings import t

        return t("key_unbound", lang)
    return _said(_SPOKEN_OR, lang).join(key_spoken(k, lang) for k in keys)


class KeyNames:
    """Key names for the interface's strings, shown or said, from the live keymap.

    Strings name keys by format field, ``{k:escape}`` (a fixed key) or
    ``{k:#search}`` (the first live key of a binding id), so one template gives
    the screen "Esc" and the voice "Escape", and a rebinding changes both.
    """

    def __init__(self, lang: str = "zh", overrides: dict[str, str] | None = None, *, spoken: bool = False) -> None:
        self.lang = lang
        self.overrides = overrides or {}
        self.spoken = spoken

    def __format__(self, spec: str) -> str:
        if spec.startswith("#"):
            keys = effective_keys(BY_ID[spec[1:]], self.overrides)
            if not keys:
                return ""
            key = keys[0]
        else:
            key = spec
        return key_spoken(key, self.lang) if self.spoken else key_label(key)


def help_entries(lang: str, overrides: dict[str, str]) -> list[tuple[str, str]]:
    """The help, one (shown, spoken) pair per line, grouped by screen, from the live keymap.

    The shown line keeps the compact glyphs ("Ctrl+→：下一个词"); the spoken one
    names every key in words ("控制加右方向键：下一个词"), since help is how a
    blind reader learns the keys.
    """
    from reader.ui.strings import t

    shown_names = KeyNames(lang, overrides)
    said_names = KeyNames(lang, overrides, spoken=True)
    colon = ": " if lang == "en" else "："

    def both(key: str) -> tuple[str, str]:
        return t(key, lang, k=shown_names), t(key, lang, k=said_names)

    entries = [both("help_title"), both("help_intro")]
    for scope, title in (("reading", "help_reading"), ("library", "help_library"), ("global", "help_global")):
        entries.append(("", ""))
        entries.append(both(title))
        for spec in SPECS:
            if spec.scope == scope:
                description = spec.describe(lang)
                entries.append(
                    (
                        f"{keys_label(spec, overrides, lang)}{colon}{description}",
                        f"{keys_spoken(spec, overrides, lang)}{colon}{description}",
                    )
                )
    entries.append(("", ""))
    entries.append(both("help_dialogs"))
    shown, said = both("help_dialog_lines")
    entries.extend(zip(shown.split("\n"), said.split("\n"), strict=True))
    return entries


def help_lines(lang: str, overrides: dict[str, str]) -> list[str]:
    """The help text as shown, one line per action, grouped by screen, from the live keymap."""
    return [shown for shown, _ in help_entries(lang, overrides)]


def palette_entry(spec: KeySpec, lang: str, overrides: dict[str, str]) -> tuple[str, str]:
    """A command palette entry, shown ("下一个词 (Ctrl+→)") and said ("下一个词，控制加右方向键")."""
    description = spec.describe(lang)
    comma = ", " if lang == "en" else "，"
    return (
        f"{description} ({keys_label(spec, overrides, lang)})",
        f"{description}{comma}{keys_spoken(spec, overrides, lang)}",
    )
