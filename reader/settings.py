"""User settings: one dataclass, stored as TOML in ``config_dir()/settings.toml``.

The file is meant to be edited by hand (and by the app when the reader turns
the speed up), so loading never fails: a bad key or value becomes a one-line
message naming the key and the reason, and the default is used for that key
alone.  Keys are rebound in a ``[keys]`` table by binding id, e.g.::

    lang = "en"
    rate = 140
    [keys]
    say_all = "space,p"

Other engineers add fields (theme, spacing, pinyin …) by adding dataclass
fields with defaults; validation follows the default's type, so nothing else
needs to change.  Nothing here imports Textual.

The file belongs to the user, so saving never destroys what they wrote:

* While the file cannot be read or parsed, the app runs on the defaults and
  :meth:`Settings.save` does not touch it: changes stay in memory, and the
  load-time message says (once, in the UI language) that they will not be
  saved until the file is fixed.  Once it is fixed, the next save writes them.
* A valid file is edited in place with ``tomlkit``: only the settings changed
  in the app since loading are written; comments, order, unknown keys and
  values the app rejected (``measure = -3``) stay exactly as the user wrote them.
* Every write goes through the project's atomic writer.

Each problem is a :class:`Problem` that can say itself in Chinese or English,
with the full path for the screen and the bare file name for the voice.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from reader import paths

#: allowed values for the string settings that are really choices.
CHOICES: dict[str, tuple[str, ...]] = {
    "lang": ("zh", "en"),
    "screen_reader": ("auto", "on", "off"),
    "verbosity": ("brief", "normal", "verbose"),
    "speech_driver": ("auto", "espeak", "pyttsx3", "silent"),
    # low vision (reader/ui/lowvision.py)
    "pinyin": ("off", "all", "sentence"),
    "pinyin_style": ("marks", "numbers", "colors"),
    "focus": ("off", "sentence", "paragraph"),
    "large_print": ("off", "word", "sentence"),
}

#: numeric settings and their inclusive ranges.
RANGES: dict[str, tuple[float, float]] = {
    "rate": (0, 100),
    "volume": (0, 100),
    "measure": (0, 200),
    "line_spacing": (0, 3),
    "paragraph_spacing": (0, 4),
    "indent": (0, 8),
    "large_print_size": (2, 8),
    "max_import_mb": (1, 4096),
}


class _Reason(str):
    """Why a value was refused: the English text, with its Chinese wording in ``zh``."""

    zh: str

    def __new__(cls, en: str, zh: str) -> _Reason:
        reason = super().__new__(cls, en)
        reason.zh = zh
        return reason


#: (English, Chinese) wording of each kind of :class:`Problem`; ``{file}`` is the
#: full path on screen and the file name when spoken.
_WORDING: dict[str, tuple[str, str]] = {
    "syntax": (
        "{file}: not valid TOML{where_en}{reason_en}; defaults used, changes will not be saved"
        " until the file is fixed",
        "设置文件 {file} {where_zh}有错误{detail_zh}，已使用默认设置，修改不会保存",
    ),
    "unreadable": (
        "{file}: cannot read{reason_en}; defaults used, changes will not be saved"
        " until the file is fixed",
        "设置文件 {file} 无法读取{detail_zh}，已使用默认设置，修改不会保存",
    ),
    "unknown": (
        "{file}: unknown setting {key!r} ignored",
        "设置文件 {file}：未知设置项 {key}，已忽略",
    ),
    "value": (
        "{file}: setting {key!r} {reason}; default used",
        "设置文件 {file}：设置项 {key} {reason_zh}，已使用默认值",
    ),
    "unsaved": (
        "{file}: not saved, the file{problem_en}; your changes are kept until it is fixed",
        "设置文件 {file} {problem_zh}，修改没有保存，改正后会保存",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the settings file, sayable in the interface language.

    The screen shows the full path (so the user can find the file); the voice
    says only the file name, since a long path read aloud hides the point.
    """

    kind: str
    source: str
    key: str = ""
    reason: str = ""
    reason_zh: str = ""
    line: int | None = None
    column: int | None = None
    #: for "unsaved": the kind of trouble with the file ("syntax", "unreadable", "layout").
    cause: str = ""

    def text(self, lang: str = "en", *, spoken: bool = False) -> str:
        """The one-line message; ``spoken`` leaves out the directory and English details."""
        en, zh = _WORDING[self.kind]
        if self.line is not None:
            where_en = f" at line {self.line}, column {self.column}"
            where_zh = f"第{self.line}行第{self.column}列"
        else:
            where_en, where_zh = " at the end", "末尾"
        # the parser's own wording helps on screen; read aloud it is noise
        detail_en = "" if spoken and self.kind == "syntax" else self.reason
        detail_zh = self.reason_zh or ("" if spoken else self.reason)
        problem_en, problem_zh = {
            "syntax": (f" is not valid TOML{where_en}", f"{where_zh}有错误"),
            "unreadable": (" cannot be read", "无法读取"),
            "layout": (
                " cannot be updated without changing how it is written",
                "无法在不改变原有写法的情况下更新",
            ),
        }.get(self.cause, ("", ""))
        values = {
            "file": Path(self.source).name if spoken else self.source,
            "key": self.key,
            "reason": self.reason,
            "reason_zh": self.reason_zh or self.reason,
            "reason_en": f" ({detail_en})" if detail_en else "",
            "detail_zh": f"（{detail_zh}）" if detail_zh else "",
            "where_en": where_en,
            "where_zh": where_zh,
            "problem_en": problem_en,
            "problem_zh": problem_zh,
        }
        return (zh if lang == "zh" else en).format(**values)


@dataclass
class Settings:
    """Everything the reader can set; every field has a working default."""

    lang: str = "zh"
    #: "auto" detects a running screen reader; "on"/"off" force it.
    screen_reader: str = "auto"
    #: how much the app says about itself: brief, normal or verbose.
    verbosity: str = "normal"
    speech_driver: str = "auto"
    #: speaking rate and volume, 0-100 like NVDA's sliders; unset = the voice profile's own.
    rate: int | None = None
    volume: int | None = None
    #: voice profile name (``voices/*.toml``); empty = the default profile.
    voice: str = ""
    # low vision (reader/ui/lowvision.py): theme name (reader/ui/themes/*.toml or
    # the user's config_dir()/themes), text width in cells (0: the window's),
    # spacing, pinyin above the text, focus dimming and large print.
    theme: str = "ansi"
    measure: int = 0
    letter_spacing: bool = False
    line_spacing: int = 0
    paragraph_spacing: int = 1
    indent: int = 0
    pinyin: str = "off"
    pinyin_style: str = "marks"
    focus: str = "off"
    large_print: str = "off"
    large_print_size: int = 6
    #: the largest file ``reader import`` accepts, in MB (``--max-size`` overrides).
    max_import_mb: int = 50
    #: binding id -> comma-separated Textual key names.
    keys: dict[str, str] = field(default_factory=dict)

    errors: list[str] = field(default_factory=list, repr=False, compare=False)
    path: Path | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        #: the same problems as ``errors``, sayable in Chinese or English.
        self.problems: list[Problem] = []
        #: the values as last read from or written to the file: a save writes only
        #: the settings that differ from these, so nothing else in the file moves.
        self._stored: dict[str, Any] = self.to_dict()
        #: the user has been told that changes are not being saved (once is enough).
        self._told_unsaved = False

    # ------------------------------------------------------------------ io

    @classmethod
    def file(cls) -> Path:
        return paths.config_dir() / "settings.toml"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; never raises for bad content (see ``errors`` and ``problems``).

        A file that cannot be read or parsed leaves every default in place; its
        message says that changes will not be saved, so :meth:`save` does not
        say it a second time.
        """
        path = path or cls.file()
        settings = cls(path=path)
        data, problem = _read(path)
        if problem is not None:
            settings._report(problem)
            settings._told_unsaved = True
        elif data is not None:
            settings.apply(data, source=str(path))
        settings._stored = settings.to_dict()
        return settings

    def _report(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.errors.append(problem.text("en"))

    def messages(self, lang: str) -> list[tuple[str, str]]:
        """Each problem as (shown, spoken) in ``lang``: the screen gets the full path."""
        out = [(p.text(lang), p.text(lang, spoken=True)) for p in self.problems]
        known = {p.text("en") for p in self.problems}
        out += [(e, e) for e in self.errors if e not in known]  # added by hand elsewhere
        return out

    def apply(self, data: dict[str, Any], source: str = "settings") -> None:
        """Take every valid key of ``data``; report each bad one in ``errors``."""
        known = {f.name: f for f in fields(self) if f.name not in ("errors", "path")}
        for key, value in data.items():
            if key not in known:
                self._report(Problem("unknown", source, key=key))
                continue
            default = getattr(type(self)(), key)
            if key == "keys" and isinstance(value, dict):
                # one bad entry is reported and left out; the other rebindings stay
                good: dict[str, str] = {}
                for binding, keys in value.items():
                    problem = _check(key, {binding: keys}, default)
                    if problem:
                        zh = getattr(problem, "zh", "")
                        self._report(Problem("value", source, key=key, reason=problem, reason_zh=zh))
                    else:
                        good[str(binding)] = str(keys)
                self.keys = good
                continue
            problem = _check(key, value, default)
            if problem:
                zh = getattr(problem, "zh", "")
                self._report(Problem("value", source, key=key, reason=problem, reason_zh=zh))
                continue
            if key == "keys":
                value = {str(k): str(v) for k, v in value.items()}
            elif isinstance(default, bool):
                value = bool(value)
            elif (isinstance(default, int) and not isinstance(default, bool)) or key in RANGES:
                value = int(value)
            elif isinstance(default, float):
                value = float(value)
            if key == "screen_reader" and isinstance(value, bool):
                value = "on" if value else "off"
            setattr(self, key, value)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("errors", None)
        data.pop("path", None)
        return data

    def save(self, path: Path | None = None) -> Problem | None:
        """Write the settings changed since loading, leaving the rest of the file as written.

        The file is read again first, so edits the user made meanwhile are kept.
        Only the settings whose value differs from the one last loaded or saved
        are set; comments, order, unknown keys and refused values stay as they
        are.  A file that cannot be read or parsed (or that tomlkit could not
        write back exactly) is not touched: the changes stay in this object and
        are written by the first save after the file is fixed.  Returns the
        problem to tell the user about the first time a save is withheld (None
        otherwise); OSError from the write itself propagates.
        """
        path = path or self.path or self.file()
        current = self.to_dict()
        changes = {k: v for k, v in current.items() if v != self._stored.get(k)}
        if not changes:
            return None
        text, problem = _read_text(path)
        new_text = ""
        if problem is None:
            new_text, problem = _updated(text, changes, self._stored, str(path))
        if problem is not None:
            unsaved = Problem(
                "unsaved", str(path), reason=problem.reason, reason_zh=problem.reason_zh,
                line=problem.line, column=problem.column, cause=problem.kind,
            )
            if self._told_unsaved:
                return None
            self._told_unsaved = True
            return unsaved
        from reader.library.atomic import write_text

        write_text(path, new_text)
        self._stored = current
        self._told_unsaved = False
        return None


def _read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text (None if there is no file), or why it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8"), None
    except FileNotFoundError:
        return None, None
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text: byte {exc.start + 1}"
        return None, Problem("unreadable", str(path), reason=reason, reason_zh="不是 UTF-8 编码")
    except OSError as exc:
        return None, Problem("unreadable", str(path), reason=exc.strerror or str(exc))


#: where tomllib puts the position of a syntax error in its message (Python 3.11 has no lineno).
_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _parse(text: str, source: str) -> tuple[dict[str, Any] | None, Problem | None]:
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _AT.search(message)
        line = column = None
        if match and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        reason = message[: match.start()] if match else message
        return None, Problem("syntax", source, reason=reason, line=line, column=column)


def _read(path: Path) -> tuple[dict[str, Any] | None, Problem | None]:
    """The file's table (None if there is no file), or the problem that stops it loading."""
    text, problem = _read_text(path)
    if problem is not None or text is None:
        return None, problem
    return _parse(text, str(path))


def _updated(
    text: str | None, changes: dict[str, Any], stored: dict[str, Any], source: str
) -> tuple[str, Problem | None]:
    """``text`` with ``changes`` set in it and nothing else moved, or why that cannot be done."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    if text is None:
        doc = tomlkit.document()
    else:
        _, problem = _parse(text, source)
        if problem is not None:
            return "", problem
        try:
            doc = tomlkit.parse(text)
        except TOMLKitError as exc:
            return "", Problem("syntax", source, reason=str(exc))
        if doc.as_string() != text:  # tomlkit would reformat it: leave it to the user
            return "", Problem("layout", source)
    for key, value in changes.items():
        if key == "keys":
            _update_keys(doc, value, stored.get("keys") or {})
        elif value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    out = doc.as_string()
    if text is not None and "\r\n" in text:  # keep Windows line ends throughout
        out = re.sub(r"(?<!\r)\n", "\r\n", out)
    _, problem = _parse(out, source)
    if problem is not None:  # never write a file the next start could not read
        return "", Problem("layout", source)
    return out, None


def _update_keys(doc: Any, keys: dict[str, str], stored: dict[str, str]) -> None:
    """Change only the ``[keys]`` entries that differ from ``stored``."""
    import tomlkit

    table = doc.get("keys")
    if not isinstance(table, dict):
        if not keys:
            doc.pop("keys", None)
            return
        table = tomlkit.table()
        doc["keys"] = table
        table = doc["keys"]
        stored = {}
    for binding, value in keys.items():
        if stored.get(binding) != value:
            table[binding] = value
    for binding in stored:
        if binding not in keys:
            table.pop(binding, None)
    if not table:
        doc.pop("keys", None)


def _check(key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` is not acceptable for ``key`` (None if it is)."""
    if key == "keys":
        if not isinstance(value, dict):
            return _Reason('must be a table of binding id = "keys"', '应是一个表：绑定名 = "按键"')
        for k, v in value.items():
            if not isinstance(v, str) or not v.strip():
                return _Reason(
                    f"entry {k!r} must be a non-empty string of key names", f"中的 {k} 应是按键名"
                )
        return None
    if key == "screen_reader" and isinstance(value, bool):
        return None
    if default is None and key in RANGES:
        default = 0
    if isinstance(default, bool):
        return None if isinstance(value, bool) else _Reason("must be true or false", "应是 true 或 false")
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _Reason("must be a number", "应是数字")
        low, high = RANGES.get(key, (float("-inf"), float("inf")))
        if not low <= value <= high:
            return _Reason(f"must be between {low:g} and {high:g}", f"应在{low:g}到{high:g}之间")
        return None
    if isinstance(default, str):
        if not isinstance(value, str):
            return _Reason("must be a string", "应是加引号的文字")
        choices = CHOICES.get(key)
        if choices and value not in choices:
            return _Reason(f"must be one of {', '.join(choices)}", f"应是 {'、'.join(choices)} 之一")
        return None
    if isinstance(default, list):
        return None if isinstance(value, list) else _Reason("must be a list", "应是列表")
    if isinstance(default, dict):
        return None if isinstance(value, dict) else _Reason("must be a table", "应是表")
    return None
